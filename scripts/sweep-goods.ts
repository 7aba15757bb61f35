/**
 * Sweep of every buyable good of worlds/X1-AD75.json (npm run sweep:goods → bench/results/sweep-goods.json):
 * for each good some market EXPORTS or EXCHANGES, a new agent (175,000 credits, its 40-unit
 * frigate) on a fresh simulator plans `target: {good, quantity}` kept in the hold, with a budget of
 * what it has (maxCredits 160,000), then applies it. The quantity is 40 (the hold), halved while
 * the plan refuses on its budget. Recorded per good: the plan's outcome, the run's status and
 * message, how many price guards rested on estimates and how many apply re-derived.
 * Most markets are unobserved for a new agent, so this is the test bed of issue 9's item 2.
 *
 *   npm run sweep:goods -- [--time-scale 2000] [--only IRON,COPPER]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { SpaceTradersClient } from '../src/api/client.js';
import { Secret } from '../src/config/redact.js';
import { applyPlan } from '../src/executor/apply.js';
import { realClock } from '../src/executor/clock.js';
import { recordObservation } from '../src/market/cache.js';
import { createPlan } from '../src/planner/create.js';
import { startSim } from '../src/sim/index.js';
import { Journal } from '../src/state/journal.js';
import { Store } from '../src/state/store.js';
import { loadSupplyChain } from '../src/supply-chain/index.js';

const { values } = parseArgs({ options: { 'time-scale': { type: 'string', default: '2000' }, only: { type: 'string' }, seed: { type: 'string', default: '1' } } });
const timeScale = Number(values['time-scale']);
const world = path.resolve('worlds/X1-AD75.json');
const supplyChain = loadSupplyChain();

/** Goods some market of the world exports or exchanges, FUEL included (buyable by a new agent, prices unseen). */
async function buyableGoods(): Promise<string[]> {
  const sim = await startSim({ port: 0, world, timeScale, rateLimit: false, seed: Number(values.seed), log: () => undefined });
  try {
    const goods = new Set<string>();
    for (const m of sim.universe.world.markets) {
      const state = sim.universe.state.markets[m.symbol];
      for (const g of state?.goods ?? []) if (g.type === 'EXPORT' || g.type === 'EXCHANGE') goods.add(g.symbol);
    }
    return [...goods].sort();
  } finally {
    await sim.close();
  }
}

interface Row {
  good: string;
  quantity?: number;
  plan: 'planned' | 'refused';
  status?: string;
  message: string;
  estimatedGuards?: number;
  rederived?: number;
  spent?: number;
}

async function sweepOne(good: string): Promise<Row> {
  const sim = await startSim({ port: 0, world, timeScale, rateLimit: false, seed: Number(values.seed), log: () => undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-sweep-'));
  const store = await Store.open(path.join(dir, 'store.sqlite'));
  try {
    const anon = new SpaceTradersClient({ baseUrl: sim.baseUrl, limiter: false });
    const reg = await anon.register({ symbol: `SW${good.replace(/_/g, '').slice(0, 10)}`, faction: 'COSMIC' } as never);
    const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), limiter: false });
    let quantity = 40;
    for (;;) {
      const specFile = path.join(dir, 'spec.yaml');
      fs.writeFileSync(specFile, YAML.stringify({ name: `sweep-${good.toLowerCase()}`, target: { good, quantity }, policy: { maxCredits: 160_000 } }));
      let plan;
      try {
        ({ plan } = await createPlan({ specFile, client, store, supplyChain, now: new Date(), toolVersion: 'sweep' }));
      } catch (e) {
        const msg = (e as Error).message;
        if (/budget allows/.test(msg) && quantity > 1) {
          quantity = Math.floor(quantity / 2);
          continue;
        }
        return { good, quantity, plan: 'refused', message: msg.split('\n')[0]! };
      }
      const estimatedGuards = plan.tasks.filter((t) => t.guards.estimated).length;
      const out = await applyPlan({ plan, client, store, clock: realClock(timeScale), renderer: 'silent', onObservation: (m) => recordObservation(store, m) });
      const tasks = await new Journal(store).getTasks(out.runId, plan.tasks.map((t) => t.id));
      const rederived = [...tasks.values()].filter((t) => t.ceiling).length;
      return { good, quantity, plan: 'planned', status: out.status, message: out.message, estimatedGuards, rederived, spent: out.spent };
    }
  } finally {
    await store.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const goods = values.only ? values.only.split(',') : await buyableGoods();
const rows: Row[] = [];
for (const good of goods) {
  const row = await sweepOne(good);
  rows.push(row);
  process.stderr.write(`${good.padEnd(28)} ${row.plan === 'refused' ? 'plan refused' : row.status} ${row.quantity ?? ''} ${row.status === 'completed' ? '' : row.message.slice(0, 160)}\n`);
}
const summary = {
  goods: rows.length,
  planned: rows.filter((r) => r.plan === 'planned').length,
  completed: rows.filter((r) => r.status === 'completed').length,
  failed: rows.filter((r) => r.plan === 'planned' && r.status !== 'completed').length,
  refusedAtPlan: rows.filter((r) => r.plan === 'refused').length,
  priceGuardFailures: rows.filter((r) => /price guard/.test(r.message) && r.status !== 'completed').length,
  runsWithEstimatedGuards: rows.filter((r) => (r.estimatedGuards ?? 0) > 0).length,
  runsWithCeilingsRederived: rows.filter((r) => (r.rederived ?? 0) > 0).length,
};
const result = { when: new Date().toISOString(), world: 'worlds/X1-AD75.json', timeScale, seed: Number(values.seed), summary, rows };
fs.mkdirSync('bench/results', { recursive: true });
if (!values.only) fs.writeFileSync('bench/results/sweep-goods.json', `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
