import { fuelCost, travelSeconds } from '../game/nav.js';
import type { MarketView } from '../market/view.js';
import type { FleetShip, FlightMode, Task } from '../plan/types.js';
import { POLL_BACKOFF, REQUESTS_PER_REFUEL, REQUESTS_PER_STOP, SECONDS_PER_REQUEST } from './constants.js';
import { splitTrips } from './pricing.js';
import type { ProductionWait } from './production.js';
import type { Crossing } from '../routing/sector.js';
import type { TaskRoute } from '../plan/types.js';

/** (issue 13) What costTask needs of the sector to price a crossing between systems. */
export interface Crossings {
  crossing(a: string, b: string): Crossing | undefined;
}

/** API requests of one jump: the gate's market read (antimatter ask, fuel) and the jump (orbit is the flight's stop). */
export const REQUESTS_PER_JUMP = 2;

/** A task before a ship is assigned: everything but ship, trips and estimate. */
export interface DraftTask extends Omit<Task, 'ship' | 'trips' | 'estimate'> {
  /** Credits of the purchases this task makes (its share of the node's price walk). */
  purchaseCredits: number;
  /** tradeVolume at the destination when selling (feeding), for counting sell calls. */
  destTradeVolume?: number;
  /** Set when only this ship may do the task (the target kept in a hold). */
  pinnedShip?: string;
  /** A factory collect's expected production wait (production.ts). */
  production?: ProductionWait;
}

export interface TaskCost {
  seconds: number;
  fuel: number;
  requests: number;
  endsAt: string;
  trips: number[];
  /** (issue 13) Credits of the jumps (one ANTIMATTER at each origin gate's ask). */
  antimatter?: number;
  /** (issue 13) Present when the task crosses systems. */
  route?: TaskRoute;
}

function destinationOf(t: DraftTask): string {
  return t.destination.kind === 'hold' ? t.source.waypoint : t.destination.waypoint;
}

/** Ships the scheduler may give a task: its pinned ship (even one whose hold is full), else any with free hold. */
function candidatesFor(task: DraftTask, ships: FleetShip[]): FleetShip[] {
  return task.pinnedShip ? ships.filter((s) => s.symbol === task.pinnedShip) : ships.filter((s) => s.cargoCapacity > 0);
}

/** Game seconds, fuel and API requests for `ship`, now at `from`, to carry out `task`. */
export function costTask(view: MarketView, mode: FlightMode, ship: FleetShip, from: string, task: DraftTask, sector?: Crossings): TaskCost {
  // Units already aboard go in one trip from where the ship is; nothing is bought.
  const aboard = task.source.kind === 'aboard';
  const src = aboard ? from : task.source.waypoint;
  const dst = destinationOf(task);
  const trips = aboard ? [task.quantity] : splitTrips(task.quantity, ship.cargoCapacity);
  let seconds = 0;
  let fuel = 0;
  let requests = 0;
  // Jumps (issue 13): instantaneous, but the reactor must be cool for the next one.
  let reactorFreeAt = 0;
  let antimatter = 0;
  let waited = 0;
  const crossings = new Map<string, TaskRoute['crossings'][number]>();
  const leg = (a: string, b: string): void => {
    if (a === b) return;
    const crossing = sector?.crossing(a, b);
    if (crossing) {
      const key = `${a}>${b}`;
      const seen = crossings.get(key);
      if (seen) seen.times++;
      else crossings.set(key, { from: a, to: b, times: 1, legs: crossing.legs, jumps: crossing.jumps });
      // The flight to the first gate (when not starting there), the jumps, then the flight from the last gate.
      const [before, after] = crossing.legs[0]?.from === a ? [crossing.legs.slice(0, 1), crossing.legs.slice(1)] : [[], crossing.legs];
      for (const l of before) flight(l.from, l.to);
      for (const j of crossing.jumps) {
        const wait = Math.max(0, reactorFreeAt - seconds);
        seconds += wait;
        waited += wait;
        reactorFreeAt = seconds + j.cooldownSeconds;
        antimatter += j.antimatter;
        requests += REQUESTS_PER_JUMP;
      }
      for (const l of after) flight(l.from, l.to);
      return;
    }
    flight(a, b);
  };
  const flight = (a: string, b: string): void => {
    if (a === b) return;
    const d = view.distance(a, b);
    // A leg longer than the tank allows is flown in DRIFT (apply's last resort on error 4203).
    const legMode: FlightMode = fuelCost(d, mode, ship.fuelCapacity) > ship.fuelCapacity ? 'DRIFT' : mode;
    seconds += travelSeconds(d, legMode, ship.speed);
    const f = fuelCost(d, legMode, ship.fuelCapacity);
    fuel += f;
    requests += REQUESTS_PER_STOP + (f > 0 ? REQUESTS_PER_REFUEL : 0);
  };
  leg(from, src);
  if (from === src) requests += REQUESTS_PER_STOP - 1; // dock and read the market where it stands
  if (task.source.kind === 'factory' && task.production) {
    // Polls while waiting: the interval restarts at pollSeconds after each purchase (FactoryGate).
    const { firstPurchaseSeconds, refillSeconds } = task.production;
    seconds += firstPurchaseSeconds + refillSeconds;
    requests += pollCount(firstPurchaseSeconds, task.source.pollSeconds, task.source.maxPollSeconds);
    requests += pollCount(refillSeconds, task.source.pollSeconds, task.source.maxPollSeconds);
  }
  trips.forEach((units, i) => {
    if (!aboard) requests += Math.ceil(units / task.tradeVolume);
    leg(src, dst);
    if (task.destination.kind !== 'hold') requests += Math.ceil(units / (task.destTradeVolume ?? task.tradeVolume));
    if (i < trips.length - 1) leg(dst, src);
  });
  seconds += Math.round(requests * SECONDS_PER_REQUEST);
  if (crossings.size === 0) return { seconds, fuel, requests, endsAt: dst, trips };
  const list = [...crossings.values()];
  const gates = new Set(list.flatMap((c) => c.jumps.flatMap((j) => [j.from, j.to])));
  const route: TaskRoute = { crossings: list, antimatterCredits: antimatter, cooldownWaitSeconds: waited, gates: [...gates].sort() };
  return { seconds, fuel, requests, endsAt: dst, trips, antimatter, route };
}

/** Polls apply makes while waiting `wait` seconds, its interval growing ×POLL_BACKOFF up to `max`. */
export function pollCount(wait: number, first: number, max: number): number {
  let n = 0;
  let poll = Math.max(1, first);
  for (let t = 0; t < wait; t += poll, poll = Math.min(Math.max(1, max), poll * POLL_BACKOFF)) n++;
  return n;
}

export interface Scheduled {
  task: DraftTask;
  ship: FleetShip;
  cost: TaskCost;
  start: number;
  finish: number;
}

/**
 * List scheduling: tasks in dependency order (every task after those it depends on), each given
 * to the ship that would finish it first, counting where that ship will be and when it is free.
 * Independent branches therefore run on different ships whenever that is faster. Ties go to the
 * ship whose symbol sorts first, so the result is deterministic.
 */
export function schedule(view: MarketView, mode: FlightMode, fleet: FleetShip[], tasks: DraftTask[], sector?: Crossings): Scheduled[] {
  const ships = [...fleet].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const state = new Map(ships.map((s) => [s.symbol, { free: 0, at: s.waypoint }]));
  const finished = new Map<string, number>();
  const out: Scheduled[] = [];
  for (const task of tasks) {
    const ready = Math.max(0, ...task.dependsOn.map((id) => finished.get(id) ?? 0));
    const candidates = candidatesFor(task, ships);
    let best: Scheduled | undefined;
    for (const ship of candidates) {
      const st = state.get(ship.symbol)!;
      const cost = costTask(view, mode, ship, st.at, task, sector);
      const start = Math.max(st.free, ready);
      const finish = start + cost.seconds;
      if (!best || finish < best.finish) best = { task, ship, cost, start, finish };
    }
    if (!best) throw new Error(`no ship for task ${task.id}`);
    state.set(best.ship.symbol, { free: best.finish, at: best.cost.endsAt });
    finished.set(task.id, best.finish);
    out.push(best);
  }
  return out;
}

/** The longest chain of dependent task durations (a lower bound on the makespan). */
export function criticalPath(scheduled: Scheduled[]): number {
  const longest = new Map<string, number>();
  for (const s of scheduled) {
    const before = Math.max(0, ...s.task.dependsOn.map((id) => longest.get(id) ?? 0));
    longest.set(s.task.id, before + s.cost.seconds);
  }
  return Math.max(0, ...longest.values());
}
