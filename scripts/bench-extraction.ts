/**
 * Measures the simulator's extraction figures against their formulas (docs/sim.md, "Mining"): yields
 * and cooldowns of a mining drone, the command frigate and a siphon drone; survey sizes, units and
 * deposits; extractions a survey lasts; how many drones extracting every cooldown destabilise one
 * asteroid. Engine in process, default configuration, the captured X1-AD75 world, a ManualClock.
 * Writes bench/results/extraction.json. Run: npm run bench:extraction
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { DEFAULT_EXTRACTION_CONFIG, ManualClock, SIM_ACCOUNT_TOKEN, Universe, loadWorld } from '../src/sim/engine/index.js';
import type { ShipType } from '../src/sim/world/types.js';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
const world = loadWorld('worlds/X1-AD75.json');
const u = Universe.create({ world, clock, config: { timeScale: 1, startingCredits: 1e12 }, seed: 1 });
const reg = u.handle({ operationId: 'register', token: SIM_ACCOUNT_TOKEN, params: {}, query: {}, body: { symbol: 'MEASURE', faction: 'COSMIC' } });
const token = (reg.body as { data: { token: string } }).data.token;
const call = (operationId: string, shipSymbol: string, body?: unknown) => u.handle({ operationId, token, params: { shipSymbol }, query: {}, body });

const asteroid = world.waypoints.find((w) => w.type === 'ASTEROID' && w.traits.includes('COMMON_METAL_DEPOSITS'))!.symbol;
const giant = world.waypoints.find((w) => w.type === 'GAS_GIANT')!.symbol;

/** A ship of `type` placed in orbit at `waypoint` (navigation is not what is measured here). */
function shipAt(type: ShipType, waypoint: string): string {
  let symbol = 'MEASURE-1';
  if (type !== 'SHIP_COMMAND_FRIGATE') {
    const yard = world.shipyards.find((y) => y.ships.some((s) => s.type === type))!.symbol;
    const frigate = u.state.ships['MEASURE-1']!;
    const was = { waypoint: frigate.waypoint, status: frigate.status };
    Object.assign(frigate, { waypoint: yard, status: 'DOCKED' });
    symbol = (u.handle({ operationId: 'purchase-ship', token, params: {}, query: {}, body: { shipType: type, waypointSymbol: yard } }).body as any).data.ship.symbol;
    Object.assign(frigate, was);
  }
  Object.assign(u.state.ships[symbol]!, { waypoint, status: 'IN_ORBIT' });
  return symbol;
}

function stats(xs: number[]): { n: number; min: number; max: number; mean: number } {
  return { n: xs.length, min: Math.min(...xs), max: Math.max(...xs), mean: Number((xs.reduce((s, x) => s + x, 0) / xs.length).toFixed(3)) };
}

/** `n` calls of `op`, the hold emptied and the clock moved past the cooldown after each. */
function repeat(op: string, ship: string, n: number): { units: ReturnType<typeof stats>; cooldownSeconds: number[]; goods: Record<string, number> } {
  const units: number[] = [];
  const cooldowns = new Set<number>();
  const goods: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const r = call(op, ship).body as any;
    if (!r.data) throw new Error(`${op}: ${JSON.stringify(r)}`);
    const y = (r.data.extraction ?? r.data.siphon).yield;
    units.push(y.units);
    goods[y.symbol] = (goods[y.symbol] ?? 0) + 1;
    cooldowns.add(r.data.cooldown.totalSeconds);
    u.state.ships[ship]!.cargo = {};
    clock.advance(r.data.cooldown.totalSeconds * 1000);
  }
  return { units: stats(units), cooldownSeconds: [...cooldowns], goods };
}

const drone = shipAt('SHIP_MINING_DRONE', asteroid);
const frigate = shipAt('SHIP_COMMAND_FRIGATE', asteroid);
const mining = { drone: repeat('extract-resources', drone, 1000), frigate: repeat('extract-resources', frigate, 1000) };
const siphoner = shipAt('SHIP_SIPHON_DRONE', giant);
Object.assign(u.state.ships[frigate]!, { waypoint: giant });
const siphoning = { siphonDrone: repeat('siphon-resources', siphoner, 500), frigate: repeat('siphon-resources', frigate, 500) };

// Surveys: sizes, units and deposits; extractions a survey lasts for one laser-I drone at its mean yield.
const surveyor = shipAt('SHIP_SURVEYOR', asteroid);
const bySize: Record<string, number[]> = { SMALL: [], MODERATE: [], LARGE: [] };
const deposits: number[] = [];
let surveyCooldown = 0;
for (let i = 0; i < 2000; i++) {
  const r = (call('create-survey', surveyor).body as any).data;
  surveyCooldown = r.cooldown.totalSeconds;
  for (const s of r.surveys) {
    bySize[s.size]!.push(u.state.surveys![s.signature]!.unitsTotal);
    deposits.push(s.deposits.length);
  }
  clock.advance(surveyCooldown * 1000);
}
const surveys = Object.fromEntries(
  Object.entries(bySize).map(([size, units]) => [size, { ...stats(units), share: Number((units.length / 2000).toFixed(3)), droneExtractions: Math.round(stats(units).mean / mining.drone.units.mean) }]),
);

// Stability: N drones at a fresh asteroid, each extracting as soon as its cooldown ends, for 10 game minutes.
function destabilised(n: number): { drones: number; extractions: number; refused4253: number } {
  const rock = world.waypoints.filter((w) => w.type === 'ASTEROID')[n]!.symbol;
  const ships = Array.from({ length: n }, () => shipAt('SHIP_MINING_DRONE', rock));
  let extractions = 0;
  let refused = 0;
  for (let t = 0; t < 600; t += 70) {
    for (const s of ships) {
      const r = call('extract-resources', s);
      if (r.status === 201) extractions++;
      else if ((r.body as any).error.code === 4253) refused++;
      u.state.ships[s]!.cargo = {};
    }
    clock.advance(70_000);
  }
  return { drones: n, extractions, refused4253: refused };
}
const stability = [10, 11, 12].map(destabilised);

const result = {
  when: new Date().toISOString(),
  world: 'worlds/X1-AD75.json',
  config: DEFAULT_EXTRACTION_CONFIG,
  formulas: {
    units: 'Σ strength ± yieldJitterPerMount per mount (≥ 1, capped by the free hold)',
    cooldown: 'cooldownBaseSeconds + cooldownPerPowerSeconds · Σ power of the mounts used',
    expected: { droneLaserI: '3 ± 1 units, 70 s', frigateLaserII: '5 ± 1 units, 80 s', siphonDroneI: '10 ± 1 units, 70 s', frigateSiphonII: '20 ± 1 units, 80 s', surveyorI: '1 survey, 70 s' },
  },
  mining,
  siphoning,
  surveys: { cooldownSeconds: surveyCooldown, depositsPerSurvey: stats(deposits), bySize: surveys },
  stability,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/extraction.json', `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ mining: { drone: mining.drone.units, frigate: mining.frigate.units }, siphoning: { drone: siphoning.siphonDrone.units, frigate: siphoning.frigate.units }, surveys: result.surveys, stability }, null, 1)}\n`);
