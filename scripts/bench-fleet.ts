/**
 * Fleet benchmark (npm run bench:fleet → bench/results/fleet.json): the same large MAKE
 * (ELECTRONICS × N on the captured X1-AD75, `policy.make: [ELECTRONICS]`: buy SILICON_CRYSTALS and
 * COPPER, feed the factory, collect, sell at C41) planned and applied with fleets of 1 to 30 cargo
 * ships (the haulers made by the simulator's admin endpoint), the simulator's rate limits and each
 * process's limiter ON, `plan` and `apply` as separate processes of the real CLI
 * (scripts/bench-lib.ts). Per fleet: makespan on the game clock against the plan's estimate and
 * bound, the ships the plan used, calls against the trade floor and the hold-aware floor, calls
 * per unit, the request rate the simulator saw (over the run, and the best 10 s window: the
 * physical limit is 2/s plus a burst of 30 per minute), and 429s.
 *
 *   npm run bench:fleet -- [--quantity 240] [--time-scale 100] [--ships 1,2,4,8,16,30]
 */
import os from 'node:os';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { benchWorld, cli, fleetSelect, holdAwareFloor, planSpec, round2 } from './bench-lib.js';

const { values } = parseArgs({ options: { quantity: { type: 'string', default: '240' }, 'time-scale': { type: 'string', default: '100' }, ships: { type: 'string', default: '1,2,4,8,16,30' } } });
const quantity = Number(values.quantity);
const timeScale = Number(values['time-scale']);
const GOOD = 'ELECTRONICS';
const SELL_AT = 'X1-AD75-C41';

/** The most requests served in any `windowMs` of the run, per second. */
function bestWindowRate(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! > windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return round2(best / (windowMs / 1000));
}

async function one(ships: number): Promise<Record<string, unknown>> {
  const w = await benchWorld({ timeScale, rateLimited: true, cargoShips: ships, credits: 50_000_000, symbol: `FLEET${ships}X${Math.random().toString(36).slice(2, 5).toUpperCase()}` });
  try {
    const planned = await planSpec(w, {
      name: `fleet-${ships}`,
      system: 'X1-AD75',
      target: { good: GOOD, quantity, deliver: { sell: SELL_AT } },
      fleet: fleetSelect(ships),
      policy: { mode: 'prefer-buy', make: [GOOD], maxCredits: 40_000_000, reserveCredits: 50_000, productionTimeout: '6h', pollInterval: '1m' },
    });
    const { json: out, phase } = await cli(w, ['apply', planned.file]);
    const plan = planned.plan;
    const floor = holdAwareFloor(plan);
    const trades = (out.api?.purchases ?? 0) + (out.api?.sales ?? 0);
    const e = plan.estimates;
    const estimate = e.makespanSeconds ?? e.criticalPathSeconds;
    const span = phase.requestTimes.length > 1 ? (phase.requestTimes.at(-1)! - phase.requestTimes[0]!) / 1000 : 0;
    return {
      ships,
      status: out.status,
      ...(out.status === 'completed' ? {} : { message: out.message }),
      tasks: plan.tasks.length,
      shipsUsed: new Set(plan.tasks.map((t) => t.ship)).size,
      trips: floor.trips,
      calls: phase.served,
      tradeFloor: trades,
      holdAwareFloor: floor.calls,
      tradesShare: phase.served ? round2(trades / phase.served) : 0,
      callsPerUnit: round2(phase.served / quantity),
      makespanGameSeconds: phase.gameSeconds,
      estimateGameSeconds: estimate,
      makespanOverEstimate: estimate ? round2(phase.gameSeconds / estimate) : null,
      boundGameSeconds: e.criticalPathSeconds,
      makespanOverBound: e.criticalPathSeconds ? round2(phase.gameSeconds / e.criticalPathSeconds) : null,
      requestFloorGameSeconds: e.pacing?.requestFloorSeconds,
      requestsPerSecond: span ? round2(phase.served / span) : null,
      best10sRequestsPerSecond: bestWindowRate(phase.requestTimes, 10_000),
      rateLimited429: { plan: planned.phase.rateLimited429, apply: phase.rateLimited429 },
      wallSeconds: phase.wallSeconds,
      spent: out.spent,
      spentEstimate: e.credits,
    };
  } finally {
    await w.close();
  }
}

const rows: Array<Record<string, unknown>> = [];
for (const ships of values.ships.split(',').map(Number)) {
  const row = await one(ships);
  rows.push(row);
  console.log(JSON.stringify(row));
}
for (const r of rows) r.speedupVsOneShip = round2((rows[0]!.makespanGameSeconds as number) / Math.max(1, r.makespanGameSeconds as number));
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  seed: 17,
  world: 'X1-AD75',
  good: GOOD,
  quantity,
  deliver: { sell: SELL_AT },
  timeScale,
  limiter: 'on in every process (2/s + 30 per 60 s, priority lanes action > read, the host-wide ledger); the simulator enforces the same limits',
  note: 'plan and apply run as separate processes of the real CLI. makespan: the simulator\'s game clock from apply\'s first request to its last. requestsPerSecond: requests the simulator served to apply over the wall time between its first and last; best10s: the busiest 10 s window.',
  rows,
};
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/fleet.json', `${JSON.stringify(result, null, 2)}\n`);
console.log('→ bench/results/fleet.json');
