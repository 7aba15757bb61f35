/**
 * Gate benchmark (npm run bench:gate → bench/results/gate.json): build the home jump gate of the
 * captured X1-AD75 (`target: {construction: home-gate}`) from a new agent with 1, 4 and 10 light
 * haulers on a fixed seed. The simulator's admin endpoints give the credits and the haulers, and
 * (with --bill-scale below 1) scale the gate's bill down to keep wall time modest. Per fleet:
 * game-time makespan (the simulator's own game clock), units delivered per game hour, credits
 * spent against the plan's estimate, API requests of apply and the share that are trades
 * (purchases, sales and construction supplies), and 429s. Anchors (BEYOND.md a.3): a serial
 * buy→feed→wait→buy loop delivered 8.6 units per hour; the best bot finished a gate on day 3.4.
 *
 *   npm run bench:gate -- [--haulers 1,4,10] [--bill-scale 1] [--time-scale 1000] [--limits on|off] [--make ADVANCED_CIRCUITRY]
 *
 * --make GOODS: policy.make (default none: prefer-buy decides, and both materials are bought from
 * their factories behind the supply gate, unfed).
 *
 * --limits on: the simulator enforces the API's rate limits and the client's limiter paces
 * requests in real seconds; at a time scale K one real second of waiting costs K game seconds,
 * K times more than on the real server. --limits off takes that distortion out of the game-time
 * figures (the requests are still counted, and their rate per game hour set against the real
 * budget of 2/s).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { SpaceTradersClient } from '../src/api/client.js';
import { RateLimiter } from '../src/api/limiter.js';
import { Secret } from '../src/config/redact.js';
import { applyPlan } from '../src/executor/apply.js';
import { realClock } from '../src/executor/clock.js';
import { apiCounters } from '../src/executor/ports.js';
import { recordObservation } from '../src/market/cache.js';
import { planTargets } from '../src/plan/targets.js';
import { createPlan } from '../src/planner/create.js';
import { SIM_ACCOUNT_TOKEN, startSim } from '../src/sim/index.js';
import { Journal } from '../src/state/journal.js';
import { Store } from '../src/state/store.js';
import { loadSupplyChain } from '../src/supply-chain/index.js';

const { values } = parseArgs({
  options: {
    haulers: { type: 'string', default: '1,4,10' },
    'bill-scale': { type: 'string', default: '1' },
    'time-scale': { type: 'string', default: '1000' },
    limits: { type: 'string', default: 'off' },
    make: { type: 'string', default: '' },
  },
});
const timeScale = Number(values['time-scale']);
const billScale = Number(values['bill-scale']);
const limits = values.limits === 'on';
const make = values.make ? values.make.split(',').filter(Boolean) : [];
const SEED = 13;
const GATE = 'X1-AD75-I55';
const FULL_BILL = { FAB_MATS: 1600, ADVANCED_CIRCUITRY: 400 };
const bill = Object.fromEntries(Object.entries(FULL_BILL).map(([g, n]) => [g, Math.max(1, Math.round(n * billScale))]));
const billUnits = Object.values(bill).reduce((a, n) => a + n, 0);

async function admin(adminUrl: string, method: string, p: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${adminUrl}${p}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`admin ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function one(haulers: number): Promise<Record<string, unknown>> {
  const sim = await startSim({ port: 0, world: path.resolve('worlds/X1-AD75.json'), timeScale, seed: SEED, rateLimit: limits, log: () => undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-gate-'));
  const store = await Store.open(path.join(dir, 'store.sqlite'));
  try {
    sim.setRateLimit(false);
    const anon = new SpaceTradersClient({ baseUrl: sim.baseUrl, limiter: false });
    const reg = await anon.register({ symbol: `GATE${haulers}`, faction: 'COSMIC' } as never, new Secret(SIM_ACCOUNT_TOKEN));
    await admin(sim.adminUrl, 'PUT', `/agents/${reg.agent.symbol}/credits`, { credits: 50_000_000 });
    await admin(sim.adminUrl, 'POST', `/agents/${reg.agent.symbol}/ships`, { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: reg.agent.headquarters, count: haulers });
    if (billScale !== 1) await admin(sim.adminUrl, 'PUT', `/construction/${GATE}`, { materials: Object.entries(bill).map(([tradeSymbol, required]) => ({ tradeSymbol, required, fulfilled: 0 })) });
    sim.setRateLimit(limits);
    const spec = {
      name: `gate-${haulers}`,
      target: { construction: 'home-gate' },
      fleet: { select: { role: ['HAULER'], max: haulers } },
      policy: { maxCredits: 40_000_000, reserveCredits: 50_000, productionTimeout: '6h', pollInterval: '2m', ...(make.length ? { make } : {}) },
    };
    const specFile = path.join(dir, 'spec.yaml');
    fs.writeFileSync(specFile, YAML.stringify(spec));
    const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), limiter: limits ? new RateLimiter() : false });
    const { plan } = await createPlan({ specFile, client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: 'bench' });
    const before = apiCounters(client.metrics.snapshot());
    const gameStart = sim.universe.time.gameNow();
    const wallStart = Date.now();
    const out = await applyPlan({ plan, client, store, clock: realClock(timeScale), onObservation: (m) => recordObservation(store, m) });
    const wallSeconds = (Date.now() - wallStart) / 1000;
    const makespan = Math.round((sim.universe.time.gameNow() - gameStart) / 1000);
    const api = apiCounters(client.metrics.snapshot());
    const steps = await new Journal(store).steps(out.runId);
    const supplies = steps.filter((s) => s.kind === 'deliver.result' || (s.kind === 'deliver.reconciled' && s.result?.happened)).length;
    const site = await client.getConstruction('X1-AD75', GATE);
    const delivered = site.materials.filter((m) => m.tradeSymbol in bill).reduce((a, m) => a + m.fulfilled, 0);
    const requests = api.requests - before.requests;
    const trades = out.api.purchases + out.api.sales + supplies;
    const hours = makespan / 3600;
    return {
      haulers,
      status: out.status,
      ...(out.status === 'completed' ? {} : { failures: out.tasks.filter((t) => t.status !== 'completed').map((t) => `${t.id}: ${t.status}${t.reason ? ` (${t.reason})` : ''}`) }),
      decisions: planTargets(plan).map((t) => `${t.decisions.action} ${t.quantity} ${t.good} @ ${t.decisions.waypoint}`),
      tasks: plan.tasks.length,
      siteComplete: site.isComplete,
      unitsDelivered: delivered,
      makespanGameSeconds: makespan,
      makespanGameHours: Math.round(hours * 100) / 100,
      plannedMakespanGameSeconds: plan.estimates.makespanSeconds,
      unitsPerGameHour: hours > 0 ? Math.round((delivered / hours) * 10) / 10 : null,
      creditsSpent: out.spent,
      creditsEstimate: plan.estimates.credits,
      spentOverEstimate: Math.round((out.spent / plan.estimates.credits) * 1000) / 1000,
      applyRequests: requests,
      trades,
      tradeShare: requests ? Math.round((trades / requests) * 1000) / 1000 : null,
      requestsPerGameHour: hours > 0 ? Math.round(requests / hours) : null,
      rateLimited429: api.rateLimited - before.rateLimited,
      wallSeconds: Math.round(wallSeconds),
    };
  } finally {
    await store.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Array<Record<string, unknown>> = [];
for (const haulers of values.haulers.split(',').map(Number)) {
  const row = await one(haulers);
  rows.push(row);
  console.log(JSON.stringify(row));
}
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  seed: SEED,
  world: 'X1-AD75 (captured), new agent, admin credits and haulers',
  bill,
  billScale,
  timeScale,
  make,
  limits: limits ? 'on: the simulator enforces 2/s + 30 per 60 s, the client limiter paces (real seconds)' : 'off: no pacing, so the game-time figures carry no time-scale distortion; requestsPerGameHour against the real budget of 7,200 (2/s)',
  anchors: { serialLoopUnitsPerHour: 8.6, bestBotGateCompleteDay: 3.4, source: 'BEYOND.md a.3 (ACD)' },
  rows,
};
fs.mkdirSync('bench/results', { recursive: true });
const file = `bench/results/gate${billScale === 1 ? '' : `-scale-${billScale}`}${limits ? '-limits' : ''}.json`;
fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`→ ${file}`);
