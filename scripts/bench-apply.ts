/**
 * Benchmark of `st-goods apply` (npm run bench → bench/results/apply.json). On a fixed seed and
 * the captured X1-AD75 system: plan ADVANCED_CIRCUITRY × N with the planner, apply it with 1, 2
 * and 4 cargo ships, and record the game-time makespan against the plan's own critical-path lower
 * bound, API requests per unit produced and the share that are purchases and sales, 429s
 * received, and credits spent against the plan's estimate. Two settings per fleet size:
 * "logistics" (no rate limiter: the makespan is the ships' work) and "rate-limited" (the
 * simulator's real limits and the client's limiter on).
 *
 *   npm run bench -- [--quantity 80] [--time-scale 1000] [--mode cheapest|prefer-buy]
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
import { apiCounters } from '../src/executor/ports.js';
import { recordObservation } from '../src/market/cache.js';
import type { DecisionNode } from '../src/plan/types.js';
import { createPlan } from '../src/planner/create.js';
import { startSim } from '../src/sim/index.js';
import { Store } from '../src/state/store.js';
import { loadSupplyChain } from '../src/supply-chain/index.js';

const { values } = parseArgs({ options: { quantity: { type: 'string', default: '80' }, 'time-scale': { type: 'string', default: '1000' }, mode: { type: 'string', default: 'cheapest' } } });
const quantity = Number(values.quantity);
const timeScale = Number(values['time-scale']);
const SEED = 17;

function countNodes(n: DecisionNode, acc = { buy: 0, make: 0 }): { buy: number; make: number } {
  if (n.action === 'BUY') acc.buy++;
  else acc.make++;
  n.inputs.forEach((c) => countNodes(c, acc));
  return acc;
}

async function one(ships: number, rateLimited: boolean): Promise<Record<string, unknown>> {
  const sim = await startSim({ port: 0, world: path.resolve('worlds/X1-AD75.json'), timeScale, seed: SEED, rateLimit: rateLimited, config: { startingCredits: 5_000_000 }, log: () => undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-apply-'));
  const store = await Store.open(path.join(dir, 'store.sqlite'));
  try {
    const anon = new SpaceTradersClient({ baseUrl: sim.baseUrl, limiter: false });
    const reg = await anon.register({ symbol: `BENCH${ships}${rateLimited ? 'R' : 'L'}`, faction: 'COSMIC' } as never);
    const setup = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), limiter: false });
    sim.setRateLimit(false);
    const probe = (await setup.listShips()).find((s) => s.cargo.capacity === 0)!;
    const haulers = ships === 1 ? 1 : ships - 1; // the command frigate is the other cargo ship
    for (let i = 0; i < haulers; i++) await setup.purchaseShip('SHIP_LIGHT_HAULER', probe.nav.waypointSymbol);
    sim.setRateLimit(rateLimited);
    const spec = {
      name: `advanced-circuitry-${quantity}`,
      system: 'X1-AD75',
      target: { good: 'ADVANCED_CIRCUITRY', quantity, deliver: 'hold' },
      fleet: ships === 1 ? { select: { role: ['HAULER'], max: 1 } } : { select: { role: ['COMMAND', 'HAULER'], max: ships } },
      policy: { mode: values.mode, minSupply: 'LIMITED', maxCredits: 3_000_000, reserveCredits: 50_000, productionTimeout: '2h', pollInterval: '1m' },
    };
    const specFile = path.join(dir, 'spec.yaml');
    fs.writeFileSync(specFile, YAML.stringify(spec));
    const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), ...(rateLimited ? {} : { limiter: false as const }) });
    const { plan } = await createPlan({ specFile, client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: 'bench' });
    const planRequests = apiCounters(client.metrics.snapshot()).requests;
    const startedWall = Date.now();
    const out = await applyPlan({ plan, client, store, clock: realClock(timeScale), onObservation: (m) => recordObservation(store, m) });
    const wallSeconds = (Date.now() - startedWall) / 1000;
    const snap = client.metrics.snapshot();
    const api = apiCounters(snap);
    const applyRequests = api.requests - planRequests;
    const makespan = Math.round(wallSeconds * timeScale);
    return {
      ships,
      rateLimited,
      status: out.status,
      tasks: plan.tasks.length,
      shipsUsed: new Set(plan.tasks.map((t) => t.ship)).size,
      decisions: countNodes(plan.decisions),
      makespanGameSeconds: makespan,
      criticalPathGameSeconds: plan.estimates.criticalPathSeconds,
      makespanOverCriticalPath: plan.estimates.criticalPathSeconds ? Math.round((makespan / plan.estimates.criticalPathSeconds) * 100) / 100 : null,
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      applyRequests,
      requestsPerUnit: Math.round((applyRequests / quantity) * 100) / 100,
      purchases: api.purchases,
      sales: api.sales,
      tradeShare: applyRequests ? Math.round(((api.purchases + api.sales) / applyRequests) * 1000) / 1000 : 0,
      rateLimited429: api.rateLimited,
      estimatedRequests: plan.estimates.apiRequests,
      creditsSpent: out.spent,
      creditsEstimate: plan.estimates.credits,
      spentOverEstimate: plan.estimates.credits ? Math.round((out.spent / plan.estimates.credits) * 100) / 100 : null,
    };
  } finally {
    await store.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The planner buys ADVANCED_CIRCUITRY outright on this world (one task, one ship), which says
 * little about parallel lanes; so the same three-level MAKE tree (7 tasks: feed SILICON_CRYSTALS
 * and COPPER to the ELECTRONICS and MICROPROCESSORS factories, carry those to the
 * ADVANCED_CIRCUITRY factory, buy 20) is also applied with all tasks on 1 ship and spread over 3.
 */
async function makeTree(spread: boolean): Promise<Record<string, unknown>> {
  const { e2eWorld, circuitryPlan } = await import('../test/e2e/apply-helpers.js');
  const w = await e2eWorld({ timeScale, seed: SEED });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-tree-'));
  const store = await Store.open(path.join(dir, 'store.sqlite'));
  try {
    let plan = await circuitryPlan(w);
    if (!spread) {
      const one = `${w.sim.agentSymbol}-3`;
      plan = { ...plan, tasks: plan.tasks.map((t) => ({ ...t, ship: one })) };
    }
    const client = new SpaceTradersClient({ baseUrl: w.sim.baseUrl, token: new Secret(w.sim.token), limiter: false });
    const started = Date.now();
    const out = await applyPlan({ plan, client, store, clock: realClock(timeScale) });
    const wallSeconds = (Date.now() - started) / 1000;
    const api = apiCounters(client.metrics.snapshot());
    return {
      plan: 'hand-made ADVANCED_CIRCUITRY MAKE tree, 20 units, 7 tasks',
      ships: spread ? 3 : 1,
      status: out.status,
      makespanGameSeconds: Math.round(wallSeconds * timeScale),
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      applyRequests: api.requests,
      requestsPerUnit: Math.round((api.requests / 20) * 100) / 100,
      purchases: api.purchases,
      sales: api.sales,
      tradeShare: Math.round(((api.purchases + api.sales) / api.requests) * 1000) / 1000,
      creditsSpent: out.spent,
    };
  } finally {
    await store.close();
    await w.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Array<Record<string, unknown>> = [];
for (const rateLimited of [false, true]) {
  for (const ships of [1, 2, 4]) {
    const row = await one(ships, rateLimited);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
const makeTreeRows: Array<Record<string, unknown>> = [];
for (const spread of [false, true]) {
  const row = await makeTree(spread);
  makeTreeRows.push(row);
  console.log(JSON.stringify(row));
}
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  seed: SEED,
  world: 'X1-AD75',
  good: 'ADVANCED_CIRCUITRY',
  quantity,
  mode: values.mode,
  timeScale,
  note: 'makespan = wall time of apply × timeScale (game seconds); rate-limited rows include the 2 req/s limiter, which at this time scale dominates game time',
  rows,
  makeTree: makeTreeRows,
};
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/apply.json', `${JSON.stringify(result, null, 2)}\n`);
console.log('→ bench/results/apply.json');
