/**
 * The plan's makespan as apply will meet it (issue 12): the schedule replayed against the one rate
 * limit all ships share (pacing-replay.ts), after apply's pre-flight, and the choice of how many of
 * the fleet's ships to use when, under that limit, fewer ships making fewer trips end sooner.
 */
import type { MarketView } from '../market/view.js';
import type { FleetShip, FlightMode } from '../plan/types.js';
import { APPLY_PREFLIGHT_REQUESTS, APPLY_SECONDS_PER_REQUEST, APPLY_START_WALL_SECONDS, REQUEST_LATENCY_SECONDS } from './constants.js';
import { replay } from './pacing-replay.js';
import { schedule, type Crossings, type DraftTask, type Pacing, type Scheduled } from './schedule.js';

/** What the planning measured of the server (plan's PlanServer): see create.ts measuredPacing. */
export interface Measured {
  burstLeft?: number;
  roundTripSeconds?: number;
}

/**
 * Wall seconds a ship's request takes besides pacing: the round trip the planning measured (4 ms on
 * a local simulator, 100–300 ms to the real server) and apply's own work around it, never below
 * the bench's measured figure.
 */
export function requestLatency(m: Measured = {}): number {
  return Math.max(REQUEST_LATENCY_SECONDS, (m.roundTripSeconds ?? 0) + APPLY_SECONDS_PER_REQUEST);
}

/** Game seconds from apply's first request to the end of its last task. */
export function replaySchedule(scheduled: readonly Scheduled[], pacing: Pacing, m: Measured = {}): number {
  const order = [...scheduled].sort((a, b) => a.start - b.start || (a.task.id < b.task.id ? -1 : 1));
  const preflight = { id: ' pre-flight', ship: ' apply', dependsOn: [], steps: [{ requests: APPLY_PREFLIGHT_REQUESTS }, { seconds: APPLY_START_WALL_SECONDS * pacing.timeScale }] };
  return replay(
    [preflight, ...order.map((x) => ({ id: x.task.id, ship: x.ship.symbol, dependsOn: [preflight.id, ...x.task.dependsOn], steps: x.cost.steps }))],
    { timeScale: pacing.timeScale, rateLimited: pacing.rateLimited, latencySeconds: requestLatency(m), burstAtStart: m.burstLeft ?? 0 },
  ).makespan;
}

/**
 * Under a rate limit another ship is not free: its extra trips' stays cost requests that every
 * ship waits for. So the schedule is made for the whole fleet and for the ships tasks are pinned
 * to with 0, 1, 2, 4, … more of the best holds (largest, then fastest), each replayed against the
 * limit, and the one that ends first is kept (ties: fewer requests, then more ships). Without a
 * limit the whole fleet is used.
 */
export function bestSchedule(view: MarketView, mode: FlightMode, fleet: FleetShip[], drafts: DraftTask[], pacing: Pacing, m: Measured, sector?: Crossings): { scheduled: Scheduled[]; makespan: number } {
  const pinned = new Set(drafts.map((d) => d.pinnedShip).filter((s): s is string => !!s));
  const ranked = fleet.filter((s) => s.cargoCapacity > 0 && !pinned.has(s.symbol)).sort((a, b) => b.cargoCapacity - a.cargoCapacity || b.speed - a.speed || (a.symbol < b.symbol ? -1 : 1));
  const fleets = [fleet];
  if (pacing.rateLimited) {
    // k more ships than those pinned: none (when some are), 1, 2, 4, … short of all.
    for (let k = pinned.size ? 0 : 1; k < ranked.length; k = Math.max(1, 2 * k)) {
      const keep = new Set(ranked.slice(0, k).map((s) => s.symbol));
      fleets.push(fleet.filter((s) => keep.has(s.symbol) || pinned.has(s.symbol) || s.cargoCapacity === 0));
    }
  }
  let best: { scheduled: Scheduled[]; makespan: number; requests: number; ships: number } | undefined;
  for (const f of fleets) {
    let scheduled: Scheduled[];
    try {
      scheduled = schedule(view, mode, f, drafts, pacing, sector);
    } catch (e) {
      // A smaller fleet may have no ship for some task (only the whole fleet's failure is the plan's).
      if (f === fleet) throw e;
      continue;
    }
    const makespan = replaySchedule(scheduled, pacing, m);
    const requests = scheduled.reduce((a, s) => a + s.cost.requests, 0);
    const ships = new Set(scheduled.map((s) => s.ship.symbol)).size;
    const better = !best || makespan < best.makespan || (makespan === best.makespan && (requests < best.requests || (requests === best.requests && ships > best.ships)));
    if (better) best = { scheduled, makespan, requests, ships };
  }
  return { scheduled: best!.scheduled, makespan: best!.makespan };
}
