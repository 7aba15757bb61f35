/**
 * Benchmark of `st-goods apply` (npm run bench → bench/results/apply.json), measured the way a
 * user runs it: `st-goods plan` then `st-goods apply` as two processes of the real CLI, back to
 * back, against a simulator on the captured X1-AD75 (fixed seed) with the fleet made by its admin
 * endpoint. Scenarios: 40 IRON on one ship (plans/iron.yaml), plans/advanced-circuitry.yaml on 3
 * ships, and ADVANCED_CIRCUITRY × 80 made (`policy.make: [ADVANCED_CIRCUITRY, ELECTRONICS]`) on
 * 1, 2, 4, 8 and 12 ships; each with the rate limits off, then on (the simulator's real limits and
 * each process's own limiter).
 *
 * Per row: calls (what the simulator served to apply, and what apply's own counter says), the
 * trade floor (purchases and sales made) and the hold-aware floor (scripts/bench-lib.ts), the
 * trades' share, 429s per process, the makespan on the game's clock (from apply's first request
 * to its last, read on the simulator) against the plan's estimate and its critical-path bound,
 * the speedup against one ship and its ceiling (one ship's makespan over this fleet's bound: no
 * fleet can beat its dependency chain), and credits spent against the estimate.
 *
 * Prices: by default a probe sits at every market (`--prices observed`), as players keep them, so
 * the plan's spend estimate rests on prices seen; `--prices estimated` plans from the capture's
 * medians instead. Time scale 100 with the limits off keeps the client's own CPU small next to the
 * game's clock (at 1000 a wall millisecond of it is a game second).
 *
 *   npm run bench -- [--quantity 80] [--time-scale 100] [--limited-time-scale 100] [--limits both|off|on] [--ships 1,2,4,8,12] [--only make|examples] [--prices observed|estimated] [--out FILE]
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import type { PlanFile } from '../src/plan/types.js';
import { benchWorld, cli, fleetSelect, holdAwareFloor, planSpec, round2, type Phase } from './bench-lib.js';

const { values } = parseArgs({
  options: {
    quantity: { type: 'string', default: '80' },
    'time-scale': { type: 'string', default: '100' },
    'limited-time-scale': { type: 'string', default: '100' },
    limits: { type: 'string', default: 'both' },
    ships: { type: 'string', default: '1,2,4,8,12' },
    only: { type: 'string' },
    prices: { type: 'string', default: 'observed' },
    out: { type: 'string' },
  },
});
const quantity = Number(values.quantity);
const MAKE = ['ADVANCED_CIRCUITRY', 'ELECTRONICS'];

interface Scenario {
  name: string;
  ships: number;
  spec: (ships: number) => Record<string, unknown>;
}

function example(file: string, name: string, ships: number): Scenario {
  return {
    name,
    ships,
    spec: (n) => {
      const spec = YAML.parse(fs.readFileSync(`plans/${file}`, 'utf8')) as Record<string, any>;
      spec.fleet = fleetSelect(n);
      spec.policy = { ...spec.policy, maxCredits: 3_000_000, reserveCredits: 50_000 };
      if (spec.target.deliver?.contract) spec.target.deliver = 'hold';
      return spec;
    },
  };
}

const make = (ships: number): Scenario => ({
  name: `ADVANCED_CIRCUITRY x${quantity} made`,
  ships,
  spec: (n) => ({
    name: `advanced-circuitry-${quantity}-${n}`,
    system: 'X1-AD75',
    target: { good: 'ADVANCED_CIRCUITRY', quantity, deliver: 'hold' },
    fleet: fleetSelect(n),
    policy: { mode: 'prefer-buy', make: MAKE, maxCredits: 3_000_000, reserveCredits: 50_000, productionTimeout: '6h', pollInterval: '1m' },
  }),
});

async function one(sc: Scenario, rateLimited: boolean): Promise<Record<string, unknown>> {
  const timeScale = Number(rateLimited ? values['limited-time-scale'] : values['time-scale']);
  const w = await benchWorld({ timeScale, rateLimited, cargoShips: sc.ships, probes: values.prices === 'observed', symbol: `B${sc.ships}${rateLimited ? 'R' : 'L'}${Math.random().toString(36).slice(2, 6).toUpperCase()}` });
  try {
    const planned = await planSpec(w, sc.spec(sc.ships));
    const { json: out, phase } = await cli(w, ['apply', planned.file]);
    return row(sc, rateLimited, timeScale, planned.plan, planned.phase, out, phase);
  } finally {
    await w.close();
  }
}

function row(sc: Scenario, rateLimited: boolean, timeScale: number, plan: PlanFile, planPhase: Phase, out: any, apply: Phase): Record<string, unknown> {
  const floor = holdAwareFloor(plan);
  const trades = (out.api?.purchases ?? 0) + (out.api?.sales ?? 0);
  const e = plan.estimates;
  const estimate = e.makespanSeconds ?? e.criticalPathSeconds;
  return {
    scenario: sc.name,
    ships: sc.ships,
    rateLimited,
    timeScale,
    status: out.status,
    ...(out.status === 'completed' ? {} : { failures: (out.tasks ?? []).filter((t: any) => t.status !== 'completed').map((t: any) => `${t.id}: ${t.status}${t.reason ? ` (${t.reason})` : ''}`), message: out.message }),
    tasks: plan.tasks.length,
    shipsUsed: new Set(plan.tasks.map((t) => t.ship)).size,
    trips: floor.trips,
    calls: apply.served,
    callsCounted: out.api?.requests,
    tradeFloor: trades,
    holdAwareFloor: floor.calls,
    callsOverHoldAwareFloor: round2(apply.served / floor.calls),
    tradesShare: apply.served ? round2(trades / apply.served) : 0,
    holdAwareTradesShare: round2(floor.trades / floor.calls),
    estimatedCalls: e.apiRequests,
    rateLimited429: { plan: planPhase.rateLimited429, apply: apply.rateLimited429 },
    makespanGameSeconds: apply.gameSeconds,
    estimateGameSeconds: estimate,
    makespanOverEstimate: estimate ? round2(apply.gameSeconds / estimate) : null,
    boundGameSeconds: e.criticalPathSeconds,
    makespanOverBound: e.criticalPathSeconds ? round2(apply.gameSeconds / e.criticalPathSeconds) : null,
    wallSeconds: apply.wallSeconds,
    spent: out.spent,
    spentEstimate: e.credits,
    spentOverEstimate: e.credits ? round2(out.spent / e.credits) : null,
  };
}

const scenarios: Scenario[] = [
  ...(values.only === 'make' ? [] : [example('iron.yaml', '40 IRON, one ship', 1), example('advanced-circuitry.yaml', 'plans/advanced-circuitry.yaml', 3)]),
  ...(values.only === 'examples' ? [] : values.ships.split(',').map(Number).map(make)),
];
const rows: Array<Record<string, unknown>> = [];
for (const rateLimited of values.limits === 'on' ? [true] : values.limits === 'off' ? [false] : [false, true]) {
  for (const sc of scenarios) {
    const r = await one(sc, rateLimited);
    rows.push(r);
    console.log(JSON.stringify(r));
  }
}
// Speedup against one ship, per limiter setting, for the MAKE rows.
for (const r of rows) {
  const base = rows.find((b) => b.scenario === r.scenario && b.rateLimited === r.rateLimited && b.ships === 1);
  if (base && String(r.scenario).includes('made')) {
    r.speedupVsOneShip = round2((base.makespanGameSeconds as number) / Math.max(1, r.makespanGameSeconds as number));
    r.speedupCeiling = round2((base.makespanGameSeconds as number) / Math.max(1, r.boundGameSeconds as number));
  }
}
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  seed: 17,
  world: 'X1-AD75',
  quantity,
  timeScale: { limitsOff: Number(values['time-scale']), limitsOn: Number(values['limited-time-scale']) },
  prices: values.prices,
  note:
    'plan and apply run as separate processes of the real CLI (bin/run.js), back to back. calls: requests the simulator served to apply (callsCounted: apply\'s own counter, the pre-flight included). tradeFloor: purchases and sales made; holdAwareFloor: the trips\' trades + 4 calls per stay (orbit, navigate, dock, one market read) + 3 pre-flight calls. makespan: the simulator\'s game clock from apply\'s first request to its last. estimate: the plan\'s makespanSeconds (its schedule replayed request by request against the one rate limit all ships share, at the server\'s time scale); bound: its critical path (requests at their latency) or the limit\'s floor for all its requests. holdAwareTradesShare: the trades\' share of the hold-aware floor, the most any client reaches with these holds. speedupCeiling: one ship\'s makespan over this fleet\'s bound. prices observed: a probe at every market of the system when planning.',
  rows,
};
fs.mkdirSync('bench/results', { recursive: true });
const file = values.out ?? (values.only ? `bench/results/apply-${values.only}.json` : 'bench/results/apply.json');
fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`→ ${file}`);
