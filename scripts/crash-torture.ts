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
 *   npm run crash-torture -- [--seeds 3] [--kills 25] [--spread 3] [--faults "drop=0.1,5xx=0.05,429=0.05"] [--store sqlite|postgres]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { circuitryPlan, cli, crashLoop, e2eWorld, verifyFinished, writeCheckedPlan } from '../test/e2e/apply-helpers.js';
import { startPostgres, type PgCluster } from '../test/helpers/postgres.js';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '3' }, kills: { type: 'string', default: '25' }, spread: { type: 'string', default: '3' }, faults: { type: 'string', default: '' }, store: { type: 'string', default: 'sqlite' } } });
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

const results: Array<Record<string, unknown>> = [];
let failed = 0;
for (let seed = 1; seed <= seeds; seed++) {
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
    const row = { seed, killed: loop.killed, runs: loop.runs + 1, completedBeforeAllKills: loop.completedEarly, ...(pg ? { storeRestarted: loop.restarted } : {}), problems, seconds: Math.round((Date.now() - started) / 100) / 10 };
    results.push(row);
    console.log(JSON.stringify(row));
  } finally {
    await w.close();
  }
}
const out = { date: new Date().toISOString(), node: process.version, store: values.store, seeds, killsPerSeed: kills, spread, faults: values.faults || 'latency only', failedSeeds: failed, totalKills: results.reduce((a, r) => a + (r.killed as number), 0), results };
fs.mkdirSync('bench/results', { recursive: true });
const file = pg ? 'bench/results/crash-torture-postgres.json' : values.faults ? 'bench/results/crash-torture-faults.json' : 'bench/results/crash-torture.json';
fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(`${out.totalKills} kills over ${seeds} seeds, ${failed} seed(s) with problems → ${file}`);
process.exit(failed ? 1 : 0);
