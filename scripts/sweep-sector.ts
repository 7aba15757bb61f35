/**
 * Sweep of every good of the supply chain in the sector world (issue 13; npm run sweep:sector →
 * bench/results/sweep-sector[-LABEL].json): one simulator of a 12-system sector (seed 3), and for each good a new
 * agent (its command frigate, the simulator's starting credits) with a store of its own (nothing
 * cached) plans `target: {good, quantity: 5}` kept in the hold with a budget of what it has,
 * halving the quantity while the plan refuses on its budget, then applies it. Recorded per good:
 * the plan's outcome (and every refusal with its reason), the systems its tasks cross into, the
 * run's status.
 *
 * The home gate starts UNDER_CONSTRUCTION, so a new agent reaches no other system; building it is
 * issue 13's other half (npm run bench:gate). `--home-gate built` (the default) finishes it through
 * the admin endpoint first; `--home-gate as-is` keeps it unbuilt. Other systems' gates start
 * UNCHARTED (their connections unreadable, as on the real server), so only home's neighbours are
 * known; `--chart` has a probe chart every gate first (what other agents do over a reset).
 *
 *   npm run sweep:sector -- [--home-gate built|as-is] [--chart] [--only IRON,COPPER] [--no-apply] [--time-scale 2000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { SpaceTradersClient } from '../src/api/client.js';
import { systemOf } from '../src/api/symbols.js';
import { Secret } from '../src/config/redact.js';
import { applyPlan } from '../src/executor/apply.js';
import { realClock } from '../src/executor/clock.js';
import { recordObservation } from '../src/market/cache.js';
import { createPlan } from '../src/planner/create.js';
import { SIM_ACCOUNT_TOKEN, startSim } from '../src/sim/index.js';
import { Store } from '../src/state/store.js';
import { loadSupplyChain } from '../src/supply-chain/index.js';

const { values } = parseArgs({
  options: {
    'time-scale': { type: 'string', default: '2000' },
    only: { type: 'string' },
    seed: { type: 'string', default: '3' },
    systems: { type: 'string', default: '12' },
    'home-gate': { type: 'string', default: 'built' },
    chart: { type: 'boolean', default: false },
    'no-apply': { type: 'boolean', default: false },
    quantity: { type: 'string', default: '5' },
  },
});
const timeScale = Number(values['time-scale']);
const supplyChain = loadSupplyChain();
const goods = values.only ? values.only.split(',') : Object.keys(supplyChain.map).sort();

interface Row {
  good: string;
  quantity: number;
  plan: 'planned' | 'refused';
  /** Systems other than home the plan's tasks go to. */
  systems?: string[];
  decision?: string;
  status?: string;
  message: string;
  spent?: number;
}

const sim = await startSim({ port: 0, world: 'sector', systems: Number(values.systems), seed: Number(values.seed), timeScale, rateLimit: false, log: () => undefined });
const admin = async (method: string, p: string, body?: unknown): Promise<any> => {
  const res = await fetch(`${sim.adminUrl}${p}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
};
const anon = new SpaceTradersClient({ baseUrl: sim.baseUrl, limiter: false });
let n = 0;
async function newAgent(): Promise<{ client: SpaceTradersClient; symbol: string; home: string }> {
  const symbol = `SWS${(++n).toString(36).toUpperCase()}${process.pid.toString(36).toUpperCase()}`.slice(0, 14);
  const reg = await anon.register({ symbol, faction: 'COSMIC' } as never, new Secret(SIM_ACCOUNT_TOKEN));
  return { client: new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), limiter: false }), symbol, home: systemOf(reg.agent.headquarters) };
}

// Setup: the home gate (and, with --chart, every gate's chart), through the admin endpoints.
const setup = await newAgent();
const [homeGate] = await setup.client.listWaypoints(setup.home, { type: 'JUMP_GATE' });
if (values['home-gate'] === 'built') await admin('PUT', `/jump-gates/${homeGate!.symbol}`, { built: true });
if (values.chart) {
  for (const gate of sim.universe.gates.keys()) {
    if (sim.universe.isCharted(sim.universe.waypoint(gate)!)) continue;
    const probe = (await admin('POST', `/agents/${setup.symbol}/ships`, { shipType: 'SHIP_PROBE', waypointSymbol: gate })).data.ships[0];
    await setup.client.createChart(probe);
  }
}

async function sweepOne(good: string): Promise<Row> {
  const { client, home } = await newAgent();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-sweep-sector-'));
  const store = await Store.open(path.join(dir, 'store.sqlite'));
  try {
    const credits = (await client.getAgent()).credits;
    let quantity = Number(values.quantity);
    for (;;) {
      const specFile = path.join(dir, 'spec.yaml');
      fs.writeFileSync(specFile, YAML.stringify({ name: `sweep-${good.toLowerCase()}`, target: { good, quantity }, policy: { maxCredits: credits - 10_000 } }));
      let plan;
      try {
        ({ plan } = await createPlan({ specFile, client, store, supplyChain, now: new Date(), toolVersion: 'sweep' }));
      } catch (e) {
        const msg = (e as Error).message;
        if (/budget allows/.test(msg) && quantity > 1) {
          quantity = Math.max(1, Math.floor(quantity / 2));
          continue;
        }
        return { good, quantity, plan: 'refused', message: msg.split('\n')[0]! };
      }
      const systems = [...new Set(plan.tasks.flatMap((t) => [t.source.waypoint, 'waypoint' in t.destination ? t.destination.waypoint : '']).filter(Boolean).map(systemOf))].filter((s) => s !== home).sort();
      const decision = `${plan.decisions.action} @ ${plan.decisions.waypoint}`;
      if (values['no-apply']) return { good, quantity, plan: 'planned', systems, decision, message: '' };
      const out = await applyPlan({ plan, client, store, clock: realClock(timeScale), renderer: 'silent', onObservation: (m) => recordObservation(store, m) });
      return { good, quantity, plan: 'planned', systems, decision, status: out.status, message: out.message, spent: out.spent };
    }
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
const started = Date.now();
try {
  for (const good of goods) {
    const row = await sweepOne(good);
    rows.push(row);
    process.stderr.write(`${good.padEnd(30)} ${row.plan === 'refused' ? 'plan refused' : (row.status ?? 'planned')} ${row.quantity} ${row.systems?.join(',') ?? ''} ${row.status === 'completed' ? '' : row.message.slice(0, 200)}\n`);
  }
} finally {
  await sim.close();
}
const summary = {
  goods: rows.length,
  planned: rows.filter((r) => r.plan === 'planned').length,
  plannedAcrossSystems: rows.filter((r) => r.systems?.length).length,
  appliedToCompletion: rows.filter((r) => r.status === 'completed').length,
  applyNotCompleted: rows.filter((r) => r.plan === 'planned' && r.status !== undefined && r.status !== 'completed').length,
  refusedAtPlan: rows.filter((r) => r.plan === 'refused').length,
  wallSeconds: Math.round((Date.now() - started) / 1000),
};
const label = `${values['home-gate'] === 'built' ? '' : '-home-gate-unbuilt'}${values.chart ? '-charted' : ''}`;
const result = {
  when: new Date().toISOString(),
  world: `sector seed ${values.seed}, ${values.systems} systems`,
  homeGate: values['home-gate'],
  charted: values.chart,
  timeScale,
  applied: !values['no-apply'],
  summary,
  refusals: rows.filter((r) => r.plan === 'refused').map((r) => ({ good: r.good, quantity: r.quantity, why: r.message })),
  rows,
};
if (!values.only) {
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync(`bench/results/sweep-sector${label}.json`, `${JSON.stringify(result, null, 2)}\n`);
}
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
