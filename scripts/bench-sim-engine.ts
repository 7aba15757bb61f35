/**
 * In-process benchmark of the simulator engine (no HTTP): Universe.handle() throughput for market
 * reads and trades, and the cost of a market catching up after a long idle time. Writes
 * bench/results/sim-engine.json. Run: npm run bench:sim-engine
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { ManualClock, SIM_ACCOUNT_TOKEN, Universe, loadWorld } from '../src/sim/engine/index.js';

const clock = new ManualClock(Date.now());
const world = loadWorld('worlds/X1-AD75.json');
const u = Universe.create({ world, clock, config: { timeScale: 100, startingCredits: 1e12 } });
const reg = u.handle({ operationId: 'register', token: SIM_ACCOUNT_TOKEN, params: {}, query: {}, body: { symbol: 'BENCH', faction: 'COSMIC' } });
const token = (reg.body as { data: { token: string } }).data.token;
const marketReq = { operationId: 'get-market', token, params: { systemSymbol: 'X1-AD75', waypointSymbol: 'X1-AD75-A1' }, query: {}, body: undefined };
const buy = { operationId: 'purchase-cargo', token, params: { shipSymbol: 'BENCH-1' }, query: {}, body: { symbol: 'FUEL', units: 1 } };
const sell = { operationId: 'sell-cargo', token, params: { shipSymbol: 'BENCH-1' }, query: {}, body: { symbol: 'FUEL', units: 1 } };

function rate(label: string, n: number, fn: (i: number) => void): { label: string; calls: number; seconds: number; callsPerSecond: number } {
  for (let i = 0; i < 2000; i++) fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const seconds = (performance.now() - t0) / 1000;
  return { label, calls: n, seconds: Number(seconds.toFixed(3)), callsPerSecond: Math.round(n / seconds) };
}

const results = [
  rate('get-market (agent ship present)', 50_000, () => {
    clock.advance(1);
    u.handle(marketReq);
  }),
  rate('mix: 8 get-market, 1 purchase, 1 sell', 50_000, (i) => {
    clock.advance(1);
    const k = i % 10;
    u.handle(k === 8 ? buy : k === 9 ? sell : marketReq);
  }),
  rate('get-my-ships (2 ships)', 20_000, () => u.handle({ operationId: 'get-my-ships', token, params: {}, query: {}, body: undefined })),
];

// A market untouched for 30 game days catches up in bounded steps.
clock.advance((30 * 86_400 * 1000) / 100);
const t0 = performance.now();
u.handle({ ...marketReq, params: { systemSymbol: 'X1-AD75', waypointSymbol: 'X1-AD75-D44' } });
const catchUpMs = performance.now() - t0;

const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  world: 'worlds/X1-AD75.json',
  mode: 'in-process Universe.handle(), ManualClock advancing 1 ms per call, time scale 100',
  results,
  marketCatchUpAfter30GameDaysMs: Number(catchUpMs.toFixed(2)),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/sim-engine.json', JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify(out, null, 2));
