/**
 * Crash torture for `st-goods apply` (the long version of the e2e SIGKILL test): for each seed,
 * a fresh simulator world and the three-level ADVANCED_CIRCUITRY plan with 3 ships; the real CLI
 * is SIGKILLed at 25+ seeded points spread by progress (every 1..3 journal events), re-run each
 * time, then run to completion; the invariants (target reached, nothing bought twice, no cargo
 * stranded, no open intent, credits moved = journal) are checked. Writes
 * bench/results/crash-torture.json (with --faults: crash-torture-faults.json) and exits 1 if any
 * seed broke an invariant.
 *
 * With `--store postgres` the store is a database of a throwaway Postgres cluster (Debian's
 * postgresql package, started here), and the server is restarted once per seed under a running
 * apply; results go to bench/results/crash-torture-postgres.json.
 *
 * Besides that plan-file path (`plan-file`), `--paths` adds the other ways users met crashes
 * (issue 8), each per seed on a fresh world:
 *   cron-spec    the cron form `apply SPEC --auto-approve` SIGKILLed at seeded points and re-run
 *                until it completes: one run, the target exactly (no re-plan, nothing bought twice)
 *   two-applies  two `apply PLAN` started together on one store: the plan runs once
 *   store-lost   apply SIGKILLed after seeded progress, then its store deleted (odd seeds) or
 *                truncated (even seeds): the re-run must refuse (exit 12 / exit 4) and buy nothing
 *   plan-out     `plan --out FILE` SIGKILLed at seeded instants over a reviewed FILE: FILE is
 *                always a whole valid plan (the old or the new one)
 *   extraction   (issue 14) a mining crew's run (surveys, extractions, jettisons, transfers, sales)
 *                SIGKILLed at seeded points and resumed: every unit extracted is held, pulled or
 *                delivered exactly once, hold by hold (npm run crash-torture:extract)
 * Each row counts kills survived, double purchases (units bought beyond the target) and stranded
 * units (cargo left in holds that no task owns); results go to bench/results/crash-torture-paths*.json
 * (one path alone: crash-torture-PATH*.json).
 *
 *   npm run crash-torture -- [--seeds 3] [--first-seed 1] [--kills 25] [--spread 3] [--faults "drop=0.1,5xx=0.05,429=0.05"] [--store sqlite|postgres]
 *                            [--paths plan-file,cron-spec,two-applies,store-lost,plan-out,extraction]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { circuitryPlan, cli, crashLoop, e2eWorld, verifyFinished, writeCheckedPlan } from '../test/e2e/apply-helpers.js';
import { OTHER_PATHS } from './crash-paths.js';
import { startPostgres, type PgCluster } from '../test/helpers/postgres.js';

const { values } = parseArgs({ options: { paths: { type: 'string', default: 'plan-file' }, 'first-seed': { type: 'string', default: '1' }, seeds: { type: 'string', default: '3' }, kills: { type: 'string', default: '25' }, spread: { type: 'string', default: '3' }, faults: { type: 'string', default: '' }, store: { type: 'string', default: 'sqlite' } } });
const seeds = Number(values.seeds);
const kills = Number(values.kills);
const spread = Number(values.spread);
if (values.store !== 'sqlite' && values.store !== 'postgres') {
  console.error('--store is sqlite or postgres');
  process.exit(2);
}
const pg: PgCluster | undefined = values.store === 'postgres' ? await startPostgres() : undefined;
process.on('exit', () => pg?.close());

if (!fs.existsSync('dist/commands/apply.js')) {
  console.error('Build first: npm run build');
  process.exit(2);
}

const paths = values.paths.split(',').map((p) => p.trim());
const firstSeed = Number(values['first-seed']);
const unknown = paths.filter((p) => !['plan-file', ...Object.keys(OTHER_PATHS)].includes(p));
if (unknown.length) {
  console.error(`Unknown path(s) ${unknown.join(', ')}: use plan-file, ${Object.keys(OTHER_PATHS).join(', ')}`);
  process.exit(2);
}

const results: Array<Record<string, unknown>> = [];
let failed = 0;
for (let seed = firstSeed; seed < firstSeed + seeds && paths.includes('plan-file'); seed++) {
  const started = Date.now();
  const w = await e2eWorld({ seed, store: pg ? await pg.freshDatabase() : undefined });
  try {
    const plan = await circuitryPlan(w);
    const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), plan);
    const before = (await w.client.getAgent()).credits;
    w.sim.sim.setFaults(`latency=2-8,seed=${seed}${values.faults ? `,${values.faults}` : ''}`);
    const restart = pg ? { restartAt: Math.floor(kills / 2), restart: () => pg.restart() } : {};
    const loop = await crashLoop(w, file, { seed, kills, spread, log: path.join(w.dir, 'events.ndjson'), ...restart });
    w.sim.sim.setFaults('off');
    const last = await cli(['apply', file], w.env);
    const problems = last.code === 0 ? await verifyFinished(w, plan.planId, before) : [`final apply exited ${last.code}: ${last.stderr.slice(0, 500)}`];
    if (problems.length) failed++;
    const doubles = problems.filter((p) => /bought twice/.test(p)).length;
    const stranded = problems.filter((p) => /stranded|other cargo/.test(p)).length;
    const row = { path: 'plan-file', seed, doublePurchaseTasks: doubles, strandedShips: stranded, killed: loop.killed, runs: loop.runs + 1, completedBeforeAllKills: loop.completedEarly, ...(pg ? { storeRestarted: loop.restarted } : {}), problems, seconds: Math.round((Date.now() - started) / 100) / 10 };
    results.push(row);
    console.log(JSON.stringify(row));
  } finally {
    await w.close();
  }
}
for (const name of paths.filter((p) => p !== 'plan-file')) {
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const started = Date.now();
    const w = await e2eWorld({ seed, haulers: name === 'extraction' ? 0 : 2, store: pg ? await pg.freshDatabase() : undefined });
    try {
      const row = await OTHER_PATHS[name]!(w, { seed, kills, spread, faults: `latency=2-8,seed=${seed}${values.faults ? `,${values.faults}` : ''}` });
      if ((row.problems as string[]).length) failed++;
      const full = { path: name, seed, ...row, seconds: Math.round((Date.now() - started) / 100) / 10 };
      results.push(full);
      console.log(JSON.stringify(full));
    } finally {
      await w.close();
    }
  }
}

const byPath = Object.fromEntries(
  paths.map((p) => {
    const rows = results.filter((r) => r.path === p);
    const sum = (k: string) => rows.reduce((a, r) => a + (Number(r[k]) || 0), 0);
    return [p, { seeds: rows.length, killsSurvived: sum('killed'), doublePurchases: sum('doublePurchased') + sum('doublePurchaseTasks'), stranded: sum('strandedUnits') + sum('strandedShips'), problems: rows.flatMap((r) => r.problems as string[]).length }];
  }),
);
const out = { date: new Date().toISOString(), node: process.version, store: values.store, paths, firstSeed, seeds, killsPerSeed: kills, spread, faults: values.faults || 'latency only', failedSeeds: failed, totalKills: results.reduce((a, r) => a + (Number(r.killed) || 0), 0), byPath, results };
fs.mkdirSync('bench/results', { recursive: true });
// plan-file alone: crash-torture.json; one other path: crash-torture-PATH.json; several: -paths.
const suffix = `${paths.length === 1 ? (paths[0] === 'plan-file' ? '' : `-${paths[0]}`) : '-paths'}${pg ? '-postgres' : values.faults ? '-faults' : ''}`;
const file = `bench/results/crash-torture${suffix}.json`;
fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(`${out.totalKills} kills over ${seeds} seeds, ${failed} seed(s) with problems → ${file}`);
process.exit(failed ? 1 : 0);
