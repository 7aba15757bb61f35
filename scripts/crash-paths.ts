/**
 * The crash paths of scripts/crash-torture.ts beyond a plan file killed and resumed (issue 8):
 * the cron form, two applies of one plan, a store lost mid-run, a kill during `plan --out`.
 * Each takes a fresh world (two haulers) and returns its row: kills survived, double purchases
 * (units beyond the target), stranded units (cargo in holds no task owns), problems.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parsePlan } from '../src/plan/file.js';
import { prng } from '../src/sim/random.js';
import { Journal } from '../src/state/journal.js';
import { Store } from '../src/state/store.js';
import { cli, crashLoop, holdsOf, ironSpec, startCli, type E2EWorld } from '../test/e2e/apply-helpers.js';
import { extractionCrew, extractionSpec, verifyExtraction } from '../test/e2e/extraction-helpers.js';

export interface PathOptions {
  seed: number;
  kills: number;
  spread: number;
  faults: string;
}

type Row = Record<string, unknown> & { problems: string[] };

/** Units in the agent's holds other than `good` (nothing else is bought by these plans). */
async function otherCargo(w: E2EWorld, good: string): Promise<number> {
  return (await w.client.listShips()).reduce((a, s) => a + s.cargo.inventory.filter((i) => i.symbol !== good).reduce((b, i) => b + i.units, 0), 0);
}

async function runStatuses(w: E2EWorld): Promise<string[]> {
  const store = await Store.open(w.store);
  try {
    return (await new Journal(store).runs()).filter((r) => r.agentSymbol === w.sim.agentSymbol).map((r) => r.status);
  } finally {
    await store.close();
  }
}

/** The target of these paths: IRON kept in the holds, more than one tranche and one hold. */
const quantityFor = (seed: number): number => 60 + (seed % 3) * 20;

export const OTHER_PATHS: Record<string, (w: E2EWorld, o: PathOptions) => Promise<Row>> = {
  /**
   * (issue 14) An extraction run (two drones and a surveyor mining GOLD_ORE at an asteroid, a
   * hauler pulling and selling it at the factory) SIGKILLed at seeded points and resumed: every
   * unit extracted is pulled, held or delivered exactly once, hold by hold (verifyExtraction).
   */
  async extraction(w, o) {
    const crew = await extractionCrew(w);
    const qty = 40 + (o.seed % 3) * 20;
    const spec = extractionSpec(w, crew, { ore: qty });
    const planFile = path.join(w.dir, 'ore.plan.yaml');
    const planned = await cli(['plan', spec, '--out', planFile], w.env);
    if (planned.code !== 0) return { killed: 0, problems: [`plan exited ${planned.code}: ${planned.stderr.slice(0, 300)}`] };
    const plan = parsePlan(fs.readFileSync(planFile, 'utf8'), planFile);
    w.sim.sim.setFaults(o.faults);
    const loop = await crashLoop(w, planFile, { seed: o.seed, kills: o.kills, spread: o.spread, log: path.join(w.dir, 'events.ndjson') });
    w.sim.sim.setFaults('off');
    const last = await cli(['apply', planFile], w.env);
    const problems = last.code === 0 ? [] : [`final apply exited ${last.code}: ${last.stderr.slice(0, 300)}`];
    const v = await verifyExtraction(w, crew, plan.planId);
    const lost = v.problems.filter((p) => /lost/.test(p)).length;
    const twice = v.problems.filter((p) => /counted twice/.test(p)).length;
    return { killed: loop.killed, runs: loop.runs + 1, quantity: qty, extracted: v.extracted, delivered: v.delivered, lostHolds: lost, doubleCountedHolds: twice, doublePurchased: 0, strandedUnits: 0, problems: [...problems, ...v.problems] };
  },

  async 'cron-spec'(w, o) {
    const qty = quantityFor(o.seed);
    const spec = ironSpec(w, qty);
    w.sim.sim.setFaults(o.faults);
    const loop = await crashLoop(w, spec, { seed: o.seed, kills: o.kills, spread: o.spread, log: path.join(w.dir, 'events.ndjson'), args: ['apply', spec, '--auto-approve'] });
    w.sim.sim.setFaults('off');
    const last = await cli(['apply', spec, '--auto-approve'], w.env);
    const problems: string[] = [];
    const statuses = await runStatuses(w);
    // The last run may be a fresh plan when the run completed under the final kill (nothing to do then).
    if (!statuses.includes('completed')) problems.push(`no completed run: ${statuses.join(', ')}; last exit ${last.code}: ${last.stderr.slice(0, 300)}`);
    if (statuses.length > 1 && statuses.filter((s) => s === 'completed').length !== 1) problems.push(`runs ${statuses.join(', ')}`);
    const held = await holdsOf(w, 'IRON');
    if (held < qty) problems.push(`${held} IRON in the holds, expected ${qty}`);
    const stranded = await otherCargo(w, 'IRON');
    return { killed: loop.killed, runs: loop.runs + 1, runsInJournal: statuses.length, doublePurchased: Math.max(0, held - qty), strandedUnits: stranded, problems: [...problems, ...(held > qty ? [`bought twice: ${held - qty} IRON beyond ${qty}`] : [])] };
  },

  async 'two-applies'(w, o) {
    const qty = quantityFor(o.seed);
    const spec = ironSpec(w, qty);
    const planFile = path.join(w.dir, 'iron.plan.yaml');
    const planned = await cli(['plan', spec, '--out', planFile], w.env);
    if (planned.code !== 0) return { killed: 0, problems: [`plan exited ${planned.code}: ${planned.stderr.slice(0, 300)}`] };
    w.sim.sim.setFaults(o.faults);
    const a = startCli(['apply', planFile, '--lock-timeout', '300s'], w.env);
    await new Promise((r) => setTimeout(r, Math.floor(prng(o.seed)() * 400)));
    const b = startCli(['apply', planFile, '--lock-timeout', '300s'], w.env);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    w.sim.sim.setFaults('off');
    const problems: string[] = [];
    if (ra.code !== 0 || rb.code !== 0) problems.push(`exits ${ra.code} and ${rb.code}: ${(ra.stderr + rb.stderr).slice(0, 300)}`);
    if (![ra.stdout, rb.stdout].some((t) => /already complete/.test(t))) problems.push('neither apply found the plan already complete');
    const held = await holdsOf(w, 'IRON');
    if (held !== qty) problems.push(`${held} IRON in the holds, expected ${qty}${held > qty ? ' (bought twice)' : ''}`);
    return { killed: 0, doublePurchased: Math.max(0, held - qty), strandedUnits: await otherCargo(w, 'IRON'), problems };
  },

  async 'store-lost'(w, o) {
    const qty = quantityFor(o.seed);
    const spec = ironSpec(w, qty);
    const planFile = path.join(w.dir, 'iron.plan.yaml');
    const planned = await cli(['plan', spec, '--out', planFile], w.env);
    if (planned.code !== 0) return { killed: 0, problems: [`plan exited ${planned.code}: ${planned.stderr.slice(0, 300)}`] };
    w.sim.sim.setFaults(o.faults);
    const log = path.join(w.dir, 'events.ndjson');
    // Kill after a seeded number of purchases journaled (1..3), never more than the plan makes less
    // one (at least 1): waiting for a purchase that never comes, the apply finished unkilled.
    const plan = parsePlan(fs.readFileSync(planFile, 'utf8'), planFile);
    const purchases = plan.tasks.reduce((a, t) => a + Math.ceil(t.quantity / Math.max(1, t.tradeVolume)), 0);
    const want = 1 + Math.floor(prng(o.seed)() * Math.max(1, Math.min(3, purchases - 1)));
    const { child, done } = startCli(['apply', planFile, '--log-json', log], w.env);
    let exited = false;
    void done.then(() => (exited = true));
    const results = (): number => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('"type":"result"').length - 1 : 0);
    while (!exited && results() < want) await new Promise((r) => setTimeout(r, 3));
    child.kill('SIGKILL');
    const r = await done;
    w.sim.sim.setFaults('off');
    const truncate = o.seed % 2 === 0;
    if (truncate) {
      fs.truncateSync(w.store, Math.floor(fs.statSync(w.store).size / 3));
      fs.rmSync(`${w.store}-wal`, { force: true });
    } else {
      for (const f of [w.store, `${w.store}-wal`, `${w.store}-shm`]) fs.rmSync(f, { force: true });
    }
    const before = await holdsOf(w, 'IRON');
    const credits = (await w.client.getAgent()).credits;
    const again = await cli(['apply', planFile], w.env);
    const problems: string[] = [];
    const expected = truncate ? 4 : 12;
    const completedBeforeKill = r.signal !== 'SIGKILL';
    if (!completedBeforeKill && again.code !== expected) problems.push(`re-run after the store was ${truncate ? 'truncated' : 'deleted'} exited ${again.code}, expected ${expected}: ${again.stderr.slice(0, 300)}`);
    if ((await w.client.getAgent()).credits !== credits) problems.push('the re-run bought after the store was lost');
    const after = await holdsOf(w, 'IRON');
    return { killed: r.signal === 'SIGKILL' ? 1 : 0, killedAfterResults: want, plannedPurchases: purchases, how: truncate ? 'truncated' : 'deleted', refusedWith: again.code, doublePurchased: Math.max(0, after - Math.max(before, qty)), strandedUnits: await otherCargo(w, 'IRON'), problems };
  },

  async 'plan-out'(w, o) {
    const spec = ironSpec(w, quantityFor(o.seed));
    const planFile = path.join(w.dir, 'iron.plan.yaml');
    const first = await cli(['plan', spec, '--out', planFile], w.env);
    if (first.code !== 0) return { killed: 0, problems: [`plan exited ${first.code}`] };
    const rand = prng(o.seed);
    const problems: string[] = [];
    let killed = 0;
    const n = Math.max(3, Math.ceil(o.kills / 3));
    for (let i = 0; i < n; i++) {
      // Half the kills at the write itself (the failpoint), half at a seeded instant of the run.
      const failpoint = i % 2 === 0;
      const { child, done } = startCli(['plan', spec, '--out', planFile], failpoint ? { ...w.env, ST_GOODS_FAILPOINT: 'plan-write' } : w.env);
      if (!failpoint) setTimeout(() => child.kill('SIGKILL'), 300 + Math.floor(rand() * 2500));
      const r = await done;
      if (r.signal === 'SIGKILL') killed++;
      try {
        parsePlan(fs.readFileSync(planFile, 'utf8'), planFile);
      } catch (e) {
        problems.push(`after kill ${i}: ${(e as Error).message.slice(0, 200)}`);
      }
    }
    return { killed, doublePurchased: 0, strandedUnits: 0, problems };
  },
};
