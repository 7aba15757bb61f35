import { fuelCost, travelSeconds } from '../game/nav.js';
import type { MarketView } from '../market/view.js';
import type { FleetShip, FlightMode, Task } from '../plan/types.js';
import { BURST_REQUESTS, POLL_BACKOFF, REQUEST_LATENCY_SECONDS, REQUESTS_PER_REFUEL, REQUESTS_PER_STOP, SECONDS_PER_REQUEST, SUSTAINED_REQUESTS_PER_SECOND } from './constants.js';
import { splitTrips } from './pricing.js';
import type { ProductionWait } from './production.js';
import type { Crossing } from '../routing/sector.js';
import type { TaskRoute } from '../plan/types.js';
import { pushStep, type Step } from './pacing-replay.js';

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
  /** (issue 14) An extraction task's time at the site and its extraction calls (extraction.ts). */
  extraction?: { seconds: number; requests: number };
}

/**
 * What a request costs in game time on the server the plan is for: its time scale (game seconds
 * per wall second) and whether the game's rate limit paces requests (the real API; a simulator
 * may run without it).
 */
export interface Pacing {
  timeScale: number;
  rateLimited: boolean;
}

/** The real API: 1 game second per second, rate limited. */
export const REAL_PACING: Pacing = { timeScale: 1, rateLimited: true };

/**
 * Game seconds one ship's request takes: under the rate limit, the sustained rate's spacing in
 * wall time (1 / 2.5 s), scaled to game time; without it, its latency. At time scale 300 a paced
 * request costs 120 game seconds, far from the 0.5 once assumed.
 */
export function secondsPerRequest(p: Pacing = REAL_PACING): number {
  const wall = p.rateLimited ? 1 / SUSTAINED_REQUESTS_PER_SECOND : REQUEST_LATENCY_SECONDS;
  return Math.max(p.rateLimited ? SECONDS_PER_REQUEST : 0, wall * p.timeScale);
}

/**
 * The least game time `requests` calls take under the rate limit, whatever the number of ships
 * (they share the agent's pools): beyond the burst, at the sustained rate. 0 without a limit.
 */
export function pacedFloorSeconds(requests: number, p: Pacing = REAL_PACING): number {
  if (!p.rateLimited) return 0;
  return Math.round((Math.max(0, requests - BURST_REQUESTS) / SUSTAINED_REQUESTS_PER_SECOND) * p.timeScale);
}

export interface TaskCost {
  /** Game seconds, each request priced at secondsPerRequest (what the scheduler compares ships by). */
  seconds: number;
  fuel: number;
  requests: number;
  endsAt: string;
  trips: number[];
  /** (issue 13) Credits of the jumps (one ANTIMATTER at each origin gate's ask). */
  antimatter?: number;
  /** (issue 13) Present when the task crosses systems. */
  route?: TaskRoute;
  /** The same work in order, requests unpriced: replayed against the rate limit (pacing-replay.ts). */
  steps: Step[];
}

/** (issue 13) Two routes of one ship's loads as one: crossings counted, antimatter and waits summed. */
function mergeRoutes(a: TaskRoute | undefined, b: TaskRoute | undefined): TaskRoute | undefined {
  if (!a || !b) return a ?? b;
  const crossings = a.crossings.map((c) => ({ ...c }));
  for (const c of b.crossings) {
    const same = crossings.find((x) => x.from === c.from && x.to === c.to);
    if (same) same.times += c.times;
    else crossings.push({ ...c });
  }
  return { crossings, antimatterCredits: a.antimatterCredits + b.antimatterCredits, cooldownWaitSeconds: a.cooldownWaitSeconds + b.cooldownWaitSeconds, gates: [...new Set([...a.gates, ...b.gates])].sort() };
}

function destinationOf(t: DraftTask): string {
  // A crew ship (mine, survey) works at the site; its yield leaves with the haul task.
  if (t.source.kind === 'extract' && t.source.role !== 'haul') return t.source.waypoint;
  return t.destination.kind === 'hold' ? t.source.waypoint : t.destination.waypoint;
}

/** Ships the scheduler may give a task: its pinned ship (even one whose hold is full), else any with free hold. */
function candidatesFor(task: DraftTask, ships: FleetShip[]): FleetShip[] {
  return task.pinnedShip ? ships.filter((s) => s.symbol === task.pinnedShip) : ships.filter((s) => s.cargoCapacity > 0);
}

/** Game seconds, fuel and API requests for `ship`, now at `from`, to carry out `task`. */
export function costTask(view: MarketView, mode: FlightMode, ship: FleetShip, from: string, task: DraftTask, pacing: Pacing = REAL_PACING, sector?: Crossings): TaskCost {
  // Units already aboard go in one trip from where the ship is; nothing is bought.
  const aboard = task.source.kind === 'aboard';
  const src = aboard ? from : task.source.waypoint;
  const dst = destinationOf(task);
  const crewShip = task.source.kind === 'extract' && task.source.role !== 'haul';
  const trips = aboard || crewShip ? [task.quantity] : splitTrips(task.quantity, ship.cargoCapacity);
  let seconds = 0;
  let fuel = 0;
  let requests = 0;
  // Jumps (issue 13): instantaneous, but the reactor must be cool for the next one.
  let reactorFreeAt = 0;
  let antimatter = 0;
  let waited = 0;
  // The ship's work in order, unpaced: requests and the time between them (pacing-replay.ts).
  const steps: Step[] = [];
  const req = (n: number): void => {
    requests += n;
    pushStep(steps, { requests: n });
  };
  const wait = (s: number): void => {
    seconds += s;
    pushStep(steps, { seconds: s });
  };
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
        const cool = Math.max(0, reactorFreeAt - seconds);
        wait(cool);
        waited += cool;
        reactorFreeAt = seconds + j.cooldownSeconds;
        antimatter += j.antimatter;
        req(REQUESTS_PER_JUMP);
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
    const f = fuelCost(d, legMode, ship.fuelCapacity);
    fuel += f;
    // Orbit and navigate, the flight, then dock and the market read.
    req(2);
    wait(travelSeconds(d, legMode, ship.speed));
    req(REQUESTS_PER_STOP - 2);
  };
  leg(from, src);
  if (from === src) req(REQUESTS_PER_STOP - 1); // dock and read the market where it stands
  if (task.source.kind === 'factory' && task.production) {
    // Polls while waiting: the interval restarts at pollSeconds after each purchase (FactoryGate).
    const { firstPurchaseSeconds, refillSeconds } = task.production;
    wait(firstPurchaseSeconds + refillSeconds);
    req(pollCount(firstPurchaseSeconds, task.source.pollSeconds, task.source.maxPollSeconds));
    req(pollCount(refillSeconds, task.source.pollSeconds, task.source.maxPollSeconds));
  }
  if (task.extraction) {
    // Extraction: the crew's time at the site (the haul's last load leaves when the quantity is in).
    wait(task.extraction.seconds);
    req(task.extraction.requests);
  }
  trips.forEach((units, i) => {
    if (crewShip) return;
    if (!aboard && task.source.kind !== 'extract') req(Math.ceil(units / task.tradeVolume));
    leg(src, dst);
    if (task.destination.kind !== 'hold') req(Math.ceil(units / (task.destTradeVolume ?? task.tradeVolume)));
    if (i < trips.length - 1) leg(dst, src);
  });
  // apply refuels at a market when the tank is below half: about once per half tank burnt.
  if (ship.fuelCapacity > 0) req(REQUESTS_PER_REFUEL * Math.floor(fuel / (ship.fuelCapacity / 2)));
  seconds += Math.round(requests * secondsPerRequest(pacing));
  if (crossings.size === 0) return { seconds, fuel, requests, endsAt: dst, trips, steps };
  const list = [...crossings.values()];
  const gates = new Set(list.flatMap((c) => c.jumps.flatMap((j) => [j.from, j.to])));
  const route: TaskRoute = { crossings: list, antimatterCredits: antimatter, cooldownWaitSeconds: waited, gates: [...gates].sort() };
  return { seconds, fuel, requests, endsAt: dst, trips, antimatter, route, steps };
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
  /** The draft this task came from (a split purchase is several tasks). */
  draftId: string;
}

/**
 * A purchase carried elsewhere (a market buy or a factory collect, not kept in a hold, not pinned)
 * is split by the scheduler into hold-loads, each given to a ship.
 */
export function splittable(task: DraftTask): boolean {
  return !task.pinnedShip && task.destination.kind !== 'hold' && (task.source.kind === 'market' || task.source.kind === 'factory');
}

/** Per ship: when it is free and where it will be then. */
type ShipState = Map<string, { free: number; at: string }>;

/**
 * List scheduling: tasks in dependency order (every task after those it depends on). A task that
 * cannot be split goes to the ship that would finish it first, counting where that ship will be
 * and when it is free. A splittable purchase is given out one hold-load at a time, each to the
 * ship that would deliver it at the best rate (units per second from when it could start: its
 * capacity, and where and when it will be free, decide), so parts
 * are aligned to the holds (960 units on eight holds of 80: twelve trips) and as many ships carry
 * as help; a ship's loads of one purchase become one task (its trips), named `ID`, `ID#2`, ….
 * Tasks that depended on the purchase depend on all its parts. Ties go to the earlier finish, then
 * the ship whose symbol sorts first: the result is deterministic. Work: loads × ships.
 */
export function schedule(view: MarketView, mode: FlightMode, fleet: FleetShip[], tasks: DraftTask[], pacing: Pacing = REAL_PACING, sector?: Crossings): Scheduled[] {
  const ships = [...fleet].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const state: ShipState = new Map(ships.map((s) => [s.symbol, { free: 0, at: s.waypoint }]));
  const finished = new Map<string, number>();
  /** Draft id → the ids of the tasks it became. */
  const partsOf = new Map<string, string[]>();
  const ids = new Set(tasks.map((t) => t.id));
  const out: Scheduled[] = [];
  for (const draft of tasks) {
    const task: DraftTask = { ...draft, dependsOn: [...new Set(draft.dependsOn.flatMap((id) => partsOf.get(id) ?? [id]))].sort() };
    const ready = Math.max(0, ...task.dependsOn.map((id) => finished.get(id) ?? 0));
    const candidates = candidatesFor(task, ships);
    if (candidates.length === 0) throw new Error(`no ship for task ${task.id}`);
    const placed = splittable(task) && candidates.length > 1 ? byLoads(view, mode, candidates, state, task, ready, ids, pacing, sector) : [whole(view, mode, candidates, state, task, ready, pacing, sector)];
    for (const p of placed) {
      p.draftId = draft.id;
      state.set(p.ship.symbol, { free: p.finish, at: p.cost.endsAt });
      finished.set(p.task.id, p.finish);
      out.push(p);
    }
    partsOf.set(draft.id, placed.map((p) => p.task.id));
  }
  return out;
}

function whole(view: MarketView, mode: FlightMode, candidates: FleetShip[], state: ShipState, task: DraftTask, ready: number, pacing: Pacing, sector?: Crossings): Scheduled {
  let best: Scheduled | undefined;
  for (const ship of candidates) {
    const st = state.get(ship.symbol)!;
    const cost = costTask(view, mode, ship, st.at, task, pacing, sector);
    const start = Math.max(st.free, ready);
    const finish = start + cost.seconds;
    if (!best || finish < best.finish) best = { task, ship, cost, start, finish, draftId: task.id };
  }
  return best!;
}

/**
 * Gives a purchase out one hold-load at a time. For a factory collect, the units become available
 * as the plan's production wait says (none before its first-purchase wait, the rest at the refill
 * rate), so a load may wait at the factory; its ship counts the polls.
 */
function byLoads(view: MarketView, mode: FlightMode, candidates: FleetShip[], state: ShipState, task: DraftTask, ready: number, ids: Set<string>, pacing: Pacing, sector?: Crossings): Scheduled[] {
  const local: ShipState = new Map(candidates.map((s) => [s.symbol, { ...state.get(s.symbol)! }]));
  const loads = new Map<string, { ship: FleetShip; from: string; start: number; finish: number; units: number[]; cost: TaskCost }>();
  const production = task.source.kind === 'factory' ? task.production : undefined;
  const noWait: DraftTask = { ...task, production: undefined };
  let done = 0;
  while (done < task.quantity) {
    let best: { ship: FleetShip; units: number; cost: TaskCost; start: number; finish: number; rate: number } | undefined;
    for (const ship of candidates) {
      const st = local.get(ship.symbol)!;
      const units = Math.min(task.quantity - done, ship.cargoCapacity);
      const cost = costTask(view, mode, ship, st.at, { ...noWait, quantity: units }, pacing, sector);
      const start = Math.max(st.free, ready);
      let finish = start + cost.seconds;
      if (production) {
        // The last unit of this load is produced at `available`; the ship waits there if it arrives sooner.
        const available = ready + production.firstPurchaseSeconds + (production.refillSeconds * (done + units)) / task.quantity;
        const toSource = legSeconds(view, mode, ship, st.at, task.source.waypoint);
        const waited = Math.max(0, available - (start + toSource));
        if (waited > 0) {
          const polls = pollCount(waited, task.source.kind === 'factory' ? task.source.pollSeconds : 60, task.source.kind === 'factory' ? task.source.maxPollSeconds : 600);
          cost.requests += polls;
          cost.seconds += Math.round(waited + polls * secondsPerRequest(pacing));
          cost.steps = [{ seconds: waited }, { requests: polls }, ...cost.steps];
          finish = start + cost.seconds;
        }
      }
      // The most units delivered per second from when the load could start: a full hold that lands
      // a little later beats a half one (a second trip costs a stay's calls), a near ship a far one.
      const rate = units / Math.max(1, finish - ready);
      const better = !best || rate > best.rate || (rate === best.rate && finish < best.finish);
      if (better) best = { ship, units, cost, start, finish, rate };
    }
    const b = best!;
    const prev = loads.get(b.ship.symbol);
    if (prev) {
      prev.units.push(b.units);
      prev.finish = b.finish;
      const route = mergeRoutes(prev.cost.route, b.cost.route);
      const antimatter = (prev.cost.antimatter ?? 0) + (b.cost.antimatter ?? 0);
      prev.cost = {
        seconds: prev.cost.seconds + b.cost.seconds,
        fuel: prev.cost.fuel + b.cost.fuel,
        requests: prev.cost.requests + b.cost.requests,
        endsAt: b.cost.endsAt,
        trips: [...prev.cost.trips, ...b.cost.trips],
        steps: [...prev.cost.steps, ...b.cost.steps],
        ...(route ? { route, antimatter } : {}),
      };
    } else {
      loads.set(b.ship.symbol, { ship: b.ship, from: local.get(b.ship.symbol)!.at, start: b.start, finish: b.finish, units: [b.units], cost: b.cost });
    }
    local.set(b.ship.symbol, { free: b.finish, at: b.cost.endsAt });
    done += b.units;
  }
  const parts = [...loads.values()];
  return parts.map((p, i) => {
    let id = task.id;
    if (i > 0) {
      let n = i + 1;
      while (ids.has(`${task.id}#${n}`)) n++;
      id = `${task.id}#${n}`;
      ids.add(id);
    }
    const quantity = p.units.reduce((a, u) => a + u, 0);
    return {
      task: { ...task, id, quantity, purchaseCredits: Math.round((task.purchaseCredits * quantity) / task.quantity) },
      ship: p.ship,
      cost: p.cost,
      start: p.start,
      finish: p.finish,
      draftId: task.id,
    };
  });
}

/** Game seconds of one leg as costTask flies it (DRIFT beyond the tank). */
function legSeconds(view: MarketView, mode: FlightMode, ship: FleetShip, a: string, b: string): number {
  if (a === b) return 0;
  const d = view.distance(a, b);
  const legMode: FlightMode = fuelCost(d, mode, ship.fuelCapacity) > ship.fuelCapacity ? 'DRIFT' : mode;
  return travelSeconds(d, legMode, ship.speed);
}

/**
 * The longest chain of dependent task durations, each task's requests at `requestSeconds` (the
 * latency alone: no ship can do better, so it is a lower bound on the makespan).
 */
export function criticalPath(scheduled: Scheduled[], requestSeconds: number): number {
  const longest = new Map<string, number>();
  for (const s of scheduled) {
    const before = Math.max(0, ...s.task.dependsOn.map((id) => longest.get(id) ?? 0));
    const own = s.cost.steps.reduce((a, st) => a + ('seconds' in st ? st.seconds : st.requests * requestSeconds), 0);
    longest.set(s.task.id, before + own);
  }
  return Math.round(Math.max(0, ...longest.values()));
}
