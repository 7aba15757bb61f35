/**
 * What the apply benchmarks share (scripts/bench-apply.ts, scripts/bench-fleet.ts): a simulator
 * in this process with an agent and an admin-made fleet, `plan` and `apply` run as the real CLI
 * in separate processes the way a user runs them (each with its own limiter, so 429s show), and
 * the figures read from the game's side: the simulator's game clock from the apply's first request
 * to its last, the requests it served and the 429s it sent, per phase.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { SpaceTradersClient } from '../src/api/client.js';
import { Secret } from '../src/config/redact.js';
import type { PlanFile } from '../src/plan/types.js';
import { SIM_ACCOUNT_TOKEN, startSim, type RunningSim } from '../src/sim/index.js';

export interface BenchWorld {
  sim: RunningSim;
  token: string;
  agent: string;
  dir: string;
  /** Game seconds now, on the simulator's clock. */
  gameNow(): number;
  close(): Promise<void>;
}

/** The simulator on the captured X1-AD75 with an agent whose fleet has `cargoShips` ships with holds. */
export async function benchWorld(opts: { timeScale: number; rateLimited: boolean; cargoShips: number; seed?: number; credits?: number; symbol: string; probes?: boolean }): Promise<BenchWorld> {
  const sim = await startSim({ port: 0, world: path.resolve('worlds/X1-AD75.json'), timeScale: opts.timeScale, seed: opts.seed ?? 17, rateLimit: false, config: { startingCredits: opts.credits ?? 5_000_000 }, log: () => undefined });
  const anon = new SpaceTradersClient({ baseUrl: sim.baseUrl, limiter: false });
  const reg = await anon.register({ symbol: opts.symbol, faction: 'COSMIC' } as never, new Secret(SIM_ACCOUNT_TOKEN));
  const setup = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), limiter: false });
  const probe = (await setup.listShips()).find((s) => s.cargo.capacity === 0)!;
  // The command frigate is one cargo ship; with one ship the bench uses a hauler alone.
  const haulers = opts.cargoShips === 1 ? 1 : opts.cargoShips - 1;
  const res = await fetch(`${sim.adminUrl}/agents/${reg.agent.symbol}/ships`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: probe.nav.waypointSymbol, count: haulers }),
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`admin ships: ${res.status} ${await res.text()}`);
  if (opts.probes) await stationProbes(sim, reg.agent.symbol, probe.nav.systemSymbol);
  sim.setRateLimit(opts.rateLimited);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-'));
  return {
    sim,
    token: reg.token,
    agent: reg.agent.symbol,
    dir,
    gameNow: () => sim.universe.time.gameNow() / 1000,
    async close() {
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A probe at every marketplace of the system, as players keep to see prices (the API shows a
 * market's prices only while one of the agent's ships is there): the plan then rests on observed
 * prices, not on the capture's medians, so its spend estimate can be judged. Probes have no hold
 * and are never in a bench's fleet selection.
 */
async function stationProbes(sim: RunningSim, agent: string, system: string): Promise<void> {
  const markets: string[] = [];
  for (let page = 1; ; page++) {
    const r = (await (await fetch(`${sim.baseUrl}/systems/${system}/waypoints?traits=MARKETPLACE&limit=20&page=${page}`)).json()) as { data: Array<{ symbol: string }>; meta: { total: number } };
    markets.push(...r.data.map((w) => w.symbol));
    if (markets.length >= r.meta.total || r.data.length === 0) break;
  }
  for (const waypointSymbol of markets) {
    const res = await fetch(`${sim.adminUrl}/agents/${agent}/ships`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shipType: 'SHIP_PROBE', waypointSymbol, count: 1 }) });
    if (res.status !== 200 && res.status !== 201) throw new Error(`admin probe at ${waypointSymbol}: ${res.status} ${await res.text()}`);
  }
}

/** The fleet selection of a bench spec: one hauler alone, else the command frigate and haulers. */
export function fleetSelect(ships: number): Record<string, unknown> {
  return ships === 1 ? { select: { role: ['HAULER'], max: 1 } } : { select: { role: ['COMMAND', 'HAULER'], max: ships } };
}

export interface Phase {
  /** Requests the simulator served to this process. */
  served: number;
  rateLimited429: number;
  /** Game seconds from the simulator's first request of the phase to its last. */
  gameSeconds: number;
  wallSeconds: number;
  /** Wall ms of each request the simulator served in the phase. */
  requestTimes: number[];
}

/**
 * Runs the CLI (bin/run.js) in its own process against the world, counting on the simulator's
 * side: requests served, 429s, and the game clock at its first and last request.
 */
export async function cli(w: BenchWorld, args: string[]): Promise<{ json: any; phase: Phase }> {
  const stats = w.sim.controls.stats;
  const before = { served: stats.apiRequests, limited: stats.byStatus['429'] ?? 0 };
  let first: number | undefined;
  let last: number | undefined;
  let n = stats.apiRequests;
  const times: number[] = [];
  Object.defineProperty(stats, 'apiRequests', {
    configurable: true,
    get: () => n,
    set: (v: number) => {
      n = v;
      times.push(Date.now());
      const t = w.gameNow();
      first ??= t;
      last = t;
    },
  });
  const env = { ...process.env, NO_COLOR: '1', ST_BASE_URL: w.sim.baseUrl, ST_TOKEN: w.token, ST_GOODS_STORE: path.join(w.dir, 'store.sqlite'), ST_GOODS_CONFIG_DIR: w.dir, ST_GOODS_RUNTIME_DIR: w.dir };
  const started = Date.now();
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, [path.resolve('bin/run.js'), ...args, '--json'], { env, maxBuffer: 64 * 1024 * 1024 }));
  } catch (e) {
    stdout = (e as { stdout?: string }).stdout ?? '';
    if (!stdout) throw e;
  }
  const wallSeconds = (Date.now() - started) / 1000;
  const served = stats.apiRequests - before.served;
  Object.defineProperty(stats, 'apiRequests', { configurable: true, writable: true, enumerable: true, value: n });
  return {
    json: JSON.parse(stdout),
    phase: { served, rateLimited429: (stats.byStatus['429'] ?? 0) - before.limited, gameSeconds: first !== undefined && last !== undefined ? Math.round(last - first) : 0, wallSeconds: Math.round(wallSeconds * 10) / 10, requestTimes: times },
  };
}

/** Writes a spec into the world's folder and plans it with the CLI; returns the plan and the planning phase. */
export async function planSpec(w: BenchWorld, spec: Record<string, unknown>): Promise<{ plan: PlanFile; file: string; phase: Phase }> {
  const specFile = path.join(w.dir, `${String(spec.name)}.yaml`);
  const planFile = path.join(w.dir, `${String(spec.name)}.plan.yaml`);
  fs.writeFileSync(specFile, YAML.stringify(spec));
  const { json, phase } = await cli(w, ['plan', specFile, '--out', planFile]);
  if (json.status === 'error') throw new Error(`plan ${spec.name}: ${json.error.message}`);
  return { plan: YAML.parse(fs.readFileSync(planFile, 'utf8')) as PlanFile, file: planFile, phase };
}

/**
 * The fewest calls that can move the plan's goods with its holds: its trades (every trip's
 * tranches at the source and, unless kept in the hold, at the destination), orbit + navigate +
 * dock per stay, one market read per stay where something is bought or sold, and the run's
 * pre-flight (server status, agent, fleet list). A client that uses every response's state makes
 * about this many; `trades` alone is the trade floor.
 */
export function holdAwareFloor(plan: PlanFile): { trades: number; calls: number; trips: number } {
  let trades = 0;
  let calls = 3;
  let trips = 0;
  for (const t of plan.tasks) {
    const keep = t.destination.kind === 'hold';
    const dest = 'waypoint' in t.destination ? t.destination.waypoint : undefined;
    const destTv = plan.observations.find((o) => o.waypoint === dest && o.good === t.good)?.tradeVolume ?? t.tradeVolume;
    for (const units of t.trips) {
      trips++;
      const buys = t.source.kind === 'aboard' ? 0 : Math.ceil(units / Math.max(1, t.tradeVolume));
      const sells = keep ? 0 : Math.ceil(units / Math.max(1, destTv));
      trades += buys + sells;
      const stays = (buys > 0 ? 1 : 0) + (keep ? 0 : 1);
      calls += buys + sells + stays * 4;
    }
  }
  return { trades, calls, trips };
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
