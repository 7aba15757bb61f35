/**
 * Fleet benchmark (npm run bench:fleet → bench/results/fleet.json): the same large MAKE
 * (ELECTRONICS × N on the captured X1-AD75, `policy.make: [ELECTRONICS]`: buy SILICON_CRYSTALS and
 * COPPER, feed the factory at F49, collect, sell at C41, so the target need not fit one hold)
 * planned and applied with fleets of 1, 2, 4, 8, 16 and 30 cargo ships, the extra
 * haulers made by the simulator's admin endpoint (POST /_sim/agents/{agent}/ships), the
 * simulator's rate limits and the client's limiter ON. Per fleet: makespan (game seconds) against
 * the plan's estimate (sum of ship work) and bound (critical path), the ships the plan used,
 * requests per unit, the sustained request rate while requests were queued in the limiter (the
 * physical limit is 2/s plus a burst of 30 per minute), the limiter's waits per lane, and 429s.
 *
 *   npm run bench:fleet -- [--quantity 240] [--time-scale 100] [--ships 1,2,4,8,16,30]
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
import { createPlan } from '../src/planner/create.js';
import { SIM_ACCOUNT_TOKEN, startSim } from '../src/sim/index.js';
import { Store } from '../src/state/store.js';
import { loadSupplyChain } from '../src/supply-chain/index.js';

const { values } = parseArgs({ options: { quantity: { type: 'string', default: '240' }, 'time-scale': { type: 'string', default: '100' }, ships: { type: 'string', default: '1,2,4,8,16,30' } } });
const quantity = Number(values.quantity);
const timeScale = Number(values['time-scale']);
const SEED = 17;
const GOOD = 'ELECTRONICS';
const MAKE = ['ELECTRONICS'];
const SELL_AT = 'X1-AD75-C41';

async function one(ships: number): Promise<Record<string, unknown>> {
  const sim = await startSim({ port: 0, world: path.resolve('worlds/X1-AD75.json'), timeScale, seed: SEED, rateLimit: true, config: { startingCredits: 50_000_000 }, log: () => undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-fleet-'));
  const store = await Store.open(path.join(dir, 'store.sqlite'));
  try {
    sim.setRateLimit(false);
    const anon = new SpaceTradersClient({ baseUrl: sim.baseUrl, limiter: false });
    const reg = await anon.register({ symbol: `FLEET${ships}`, faction: 'COSMIC' } as never, new Secret(SIM_ACCOUNT_TOKEN));
    const setup = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), limiter: false });
    const probe = (await setup.listShips()).find((s) => s.cargo.capacity === 0)!;
    // The command frigate is one cargo ship; the admin endpoint adds the haulers.
    const haulers = ships === 1 ? 1 : ships - 1;
    const res = await fetch(`${sim.adminUrl}/agents/${reg.agent.symbol}/ships`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: probe.nav.waypointSymbol, count: haulers }),
    });
    if (res.status !== 200 && res.status !== 201) throw new Error(`admin ships: ${res.status} ${await res.text()}`);
    sim.setRateLimit(true);
    const spec = {
      name: `fleet-${ships}`,
      system: 'X1-AD75',
      target: { good: GOOD, quantity, deliver: { sell: SELL_AT } },
      fleet: ships === 1 ? { select: { role: ['HAULER'], max: 1 } } : { select: { role: ['COMMAND', 'HAULER'], max: ships } },
      policy: { mode: 'prefer-buy', make: MAKE, maxCredits: 40_000_000, reserveCredits: 50_000, productionTimeout: '6h', pollInterval: '1m' },
    };
    const specFile = path.join(dir, 'spec.yaml');
    fs.writeFileSync(specFile, YAML.stringify(spec));
    // A limiter of its own per fleet (the process-wide one would carry the previous fleet's state).
    const limiter = new RateLimiter();
    const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), limiter });
    const { plan } = await createPlan({ specFile, client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: 'bench' });
    const planRequests = apiCounters(client.metrics.snapshot()).requests;

    // Sample the limiter: the request rate over the time requests were waiting in its queue.
    let queuedMs = 0;
    let queuedRequests = 0;
    let lastReq = planRequests;
    let lastAt = Date.now();
    let maxQueued = 0;
    const sampler = setInterval(() => {
      const now = Date.now();
      const req = apiCounters(client.metrics.snapshot()).requests;
      const q = limiter.snapshot().queued;
      const waiting = q.action + q.read;
      maxQueued = Math.max(maxQueued, waiting);
      if (waiting > 0) {
        queuedMs += now - lastAt;
        queuedRequests += req - lastReq;
      }
      lastReq = req;
      lastAt = now;
    }, 200);
    const startedWall = Date.now();
    const out = await applyPlan({ plan, client, store, clock: realClock(timeScale), onObservation: (m) => recordObservation(store, m) });
    const wallSeconds = (Date.now() - startedWall) / 1000;
    clearInterval(sampler);
    const api = apiCounters(client.metrics.snapshot());
    const lim = limiter.snapshot();
    const applyRequests = api.requests - planRequests;
    const makespan = Math.round(wallSeconds * timeScale);
    return {
      ships,
      status: out.status,
      ...(out.status === 'completed' ? {} : { failures: out.tasks.filter((t) => t.status !== 'completed').map((t) => `${t.id}: ${t.status}${t.reason ? ` (${t.reason})` : ''}`) }),
      tasks: plan.tasks.length,
      shipsUsed: new Set(plan.tasks.map((t) => t.ship)).size,
      makespanGameSeconds: makespan,
      criticalPathGameSeconds: plan.estimates.criticalPathSeconds,
      plannedShipWorkGameSeconds: plan.estimates.gameSeconds,
      makespanOverCriticalPath: plan.estimates.criticalPathSeconds ? Math.round((makespan / plan.estimates.criticalPathSeconds) * 100) / 100 : null,
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      applyRequests,
      estimatedRequests: plan.estimates.apiRequests,
      requestsPerUnit: Math.round((applyRequests / quantity) * 100) / 100,
      requestsPerSecond: Math.round((applyRequests / wallSeconds) * 100) / 100,
      queuedSeconds: Math.round(queuedMs / 100) / 10,
      sustainedRateWhileQueued: queuedMs > 1000 ? Math.round((queuedRequests / (queuedMs / 1000)) * 100) / 100 : null,
      maxQueued,
      limiterWaitedMs: lim.waitedMs,
      limiterMaxWaitMs: lim.maxWaitMs,
      rateLimited429: api.rateLimited,
      creditsSpent: out.spent,
    };
  } finally {
    await store.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Array<Record<string, unknown>> = [];
for (const ships of values.ships.split(',').map(Number)) {
  const row = await one(ships);
  rows.push(row);
  console.log(JSON.stringify(row));
}
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  seed: SEED,
  world: 'X1-AD75',
  good: GOOD,
  quantity,
  deliver: { sell: SELL_AT },
  make: MAKE,
  timeScale,
  limiter: 'on (2/s + 30 per 60 s, priority lanes action > read); the simulator enforces the same limits',
  note: 'makespan = wall time of apply × timeScale (game seconds); request pacing is real seconds, so at this time scale one second of limiter wait costs timeScale game seconds. sustainedRateWhileQueued: requests per real second over the samples (200 ms) in which requests waited in the limiter.',
  rows,
};
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/fleet.json', `${JSON.stringify(result, null, 2)}\n`);
console.log('→ bench/results/fleet.json');
