import { systemOfKnown as systemOf } from '../api/symbols.js';
import { planSystems } from '../plan/systems.js';
import { planTargets } from '../plan/targets.js';
import type { DecisionNode, PlanFile, Task } from '../plan/types.js';
import type { MapPoint, RunMap, RunRecord, StepRecord } from '../state/journal.js';
import type { StatusReport } from '../executor/status-view.js';

/**
 * What the dashboard's run page draws, computed from the journal alone (pure: no store, no
 * clock of its own). Times are wall milliseconds since the epoch, as the journal records them.
 */

/** wait: a production wait; cooldown: a reactor cooldown (after an extraction or survey, before a jump). */
export type SegmentKind = 'flight' | 'dock' | 'trade' | 'wait' | 'cooldown';

export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
  label: string;
  taskId?: string;
  /** Still going (a docked spell that has not ended): the page extends it to its now. */
  open?: boolean;
}

export interface Lane {
  ship: string;
  segments: Segment[];
  /** The plan's schedule of this ship's tasks (list scheduling of the plan's estimates). */
  planned: Array<{ taskId: string; start: number; end: number }>;
}

export interface Flight {
  from: MapPoint;
  to: MapPoint;
  departure: number;
  arrival: number;
}

export interface ShipOnMap {
  ship: string;
  /** The system it is in (or flies in); absent when the journal has not placed it yet. */
  system?: string;
  /** Where it is (or, in flight, where it flies to: the page interpolates from `flight`). */
  at?: MapPoint;
  flight?: Flight;
}

/** One system the run involves: its markets (and what the plan does there), its jump gate, the flights in it. */
export interface SystemMap {
  system: string;
  home: boolean;
  /** The system's coordinates in the sector (from the plan's sector section), when known. */
  sector?: { x: number; y: number };
  markets: Array<MapPoint & { roles: string[] }>;
  /** Its jump gate, when the plan's sector lists it. */
  gate?: MapPoint & { built: boolean; charted: boolean };
  /** Every flight of the run inside this system, oldest first. */
  routes: Flight[];
}

/** A jump between two systems' gates: in a task's planned route, made by ships, or both. */
export interface JumpOnMap {
  from: string;
  to: string;
  fromSystem: string;
  toSystem: string;
  planned: boolean;
  /** Jumps the ships made (jump results in the journal). */
  made: number;
}

export interface MapView {
  /** The home system. */
  system: string;
  /** Every system the run involves (the plan's waypoints and routes, the fleet, where ships have been), home first. */
  systems: SystemMap[];
  ships: ShipOnMap[];
  jumps: JumpOnMap[];
}

export interface SeriesPoint {
  t: number;
  supply: string;
  activity?: string;
  /** The price we would pay (the output) or get (an input fed to the factory). */
  price: number;
}

export interface FactoryPanel {
  waypoint: string;
  output: string;
  inputs: string[];
  series: Record<string, SeriesPoint[]>;
  trades: Array<{ t: number; good: string; kind: 'buy' | 'sell'; units: number; price: number; ship: string }>;
}

export interface WaitingTask {
  taskId: string;
  ship: string;
  reason: string;
  endsWhen: string;
  until?: number;
}

export interface Money {
  spent: number;
  budget: number;
  reserve: number;
  earned: number;
  /** The agent's credits over the run (after each trade or refuel). */
  credits: Array<{ t: number; credits: number }>;
  /** Realized P&L (src/pnl, from the journal's transactions): earned (feeding, sales, contract payments) minus spent (purchases, fuel, antimatter). */
  realized: number;
  /** Output still in holds at its cost basis (src/pnl), when any. */
  held?: { units: number; value: number };
  /** Buying the target directly at the best ask seen, against this run's cost basis (src/pnl). */
  counterfactual?: { cost: number; saved: number };
  /** Target units kept in hold, valued at the last price a market was seen to pay (undefined: never seen). */
  inventory?: { units: number; value: number; unitPrice: number };
}

export interface EventRow {
  seq: number;
  t: number;
  ship: string;
  taskId?: string;
  kind: string;
  text: string;
}

export interface RunView {
  report: StatusReport;
  timeScale: number;
  lanes: Lane[];
  etas: Record<string, number>;
  waiting: WaitingTask[];
  factories: FactoryPanel[];
  map: MapView;
  money: Money;
  /** Wall ms of the run's last progress (a trade, a departure, a lane starting), for the no-progress alert. */
  lastProgressAt: number;
  lastSeq: number;
}

const ms = (iso: string): number => Date.parse(iso);

/** The plan's schedule per ship: each task starts when its ship is free and its dependencies are done. */
export function plannedSchedule(tasks: Task[], startMs: number, timeScale: number): Map<string, { ship: string; start: number; end: number }> {
  const out = new Map<string, { ship: string; start: number; end: number }>();
  const free = new Map<string, number>();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const visit = (t: Task, seen: Set<string>): { start: number; end: number } => {
    const done = out.get(t.id);
    if (done) return done;
    if (seen.has(t.id)) return { start: startMs, end: startMs }; // a cycle cannot be in a valid plan
    seen.add(t.id);
    let start = free.get(t.ship) ?? startMs;
    for (const d of t.dependsOn) {
      const dep = byId.get(d);
      if (dep) start = Math.max(start, visit(dep, seen).end);
    }
    start = Math.max(start, free.get(t.ship) ?? startMs);
    const slot = { ship: t.ship, start, end: start + (t.estimate.gameSeconds * 1000) / timeScale };
    out.set(t.id, slot);
    free.set(t.ship, slot.end);
    return slot;
  };
  for (const t of tasks) visit(t, new Set());
  return out;
}

/** Each unfinished task's projected end: its ship's remaining planned work, in plan order, from now. */
export function taskEtas(report: StatusReport, plan: PlanFile, now: number, timeScale: number): Record<string, number> {
  const rec = new Map(report.tasks.map((t) => [t.id, t]));
  const at = new Map<string, number>();
  const out: Record<string, number> = {};
  for (const t of plan.tasks) {
    const r = rec.get(t.id);
    if (!r || r.status === 'completed' || r.status === 'skipped') continue;
    const ship = r.ship || t.ship;
    const left = t.quantity > 0 ? Math.max(0, 1 - r.delivered / t.quantity) : 1;
    const end = (at.get(ship) ?? now) + (t.estimate.gameSeconds * left * 1000) / timeScale;
    at.set(ship, end);
    out[t.id] = Math.round(end);
  }
  return out;
}

/** A journal before `cooldown` steps wrote a jump's reactor cooldown as a `wait` with this reason. */
const LEGACY_COOLDOWN = 'reactor cooldown';

/** Flights, docked spells, trades, production waits and reactor cooldowns of each ship, from the step log. */
export function lanesOf(steps: StepRecord[], ships: string[], now: number): Map<string, Segment[]> {
  const lanes = new Map<string, Segment[]>(ships.map((s) => [s, []]));
  const docked = new Map<string, { start: number; waypoint: string; taskId?: string }>();
  const intents = new Map<string, StepRecord>();
  const lane = (s: string): Segment[] => {
    let l = lanes.get(s);
    if (!l) lanes.set(s, (l = []));
    return l;
  };
  const undock = (s: string, at: number, open = false): void => {
    const d = docked.get(s);
    if (!d) return;
    lane(s).push({ kind: 'dock', start: d.start, end: Math.max(at, d.start), label: `docked at ${d.waypoint}`, taskId: d.taskId, ...(open ? { open } : {}) });
    docked.delete(s);
  };
  for (const st of steps) {
    const t = ms(st.at);
    if (st.kind === 'navigate' && st.nav) {
      undock(st.ship, ms(st.nav.departure));
      lane(st.ship).push({ kind: 'flight', start: ms(st.nav.departure), end: ms(st.nav.arrival), label: `${st.nav.from.symbol} → ${st.nav.to.symbol}`, taskId: st.taskId });
    } else if (st.kind === 'dock') {
      if (!docked.has(st.ship)) docked.set(st.ship, { start: t, waypoint: st.waypoint ?? '?', taskId: st.taskId });
    } else if ((st.kind === 'wait' || st.kind === 'cooldown') && st.wait) {
      const kind = st.kind === 'cooldown' || st.wait.reason === LEGACY_COOLDOWN ? 'cooldown' : 'wait';
      lane(st.ship).push({ kind, start: t, end: Math.max(t, ms(st.wait.until)), label: st.wait.reason, taskId: st.taskId });
    } else if (st.intent && st.kind.endsWith('.intent')) {
      intents.set(st.intent.id, st);
    } else if (st.intent && (st.kind.endsWith('.result') || st.kind.endsWith('.error') || st.kind.endsWith('.reconciled'))) {
      const opened = intents.get(st.intent.id);
      const start = opened ? ms(opened.at) : t;
      const what = st.result ? `${st.intent.kind} ${st.result.units} ${st.intent.good} at ${st.intent.waypoint}` : `${st.intent.kind} ${st.intent.units} ${st.intent.good} refused`;
      lane(st.ship).push({ kind: 'trade', start, end: Math.max(t, start), label: what, taskId: st.taskId });
      intents.delete(st.intent.id);
    }
  }
  for (const s of [...docked.keys()]) undock(s, now, true);
  for (const l of lanes.values()) l.sort((a, b) => a.start - b.start);
  return lanes;
}

/** Every MAKE node's factory: supply, activity and price of its output and inputs over the run, and our trades there. */
export function factoryPanels(decisions: DecisionNode, steps: StepRecord[]): FactoryPanel[] {
  const makes: DecisionNode[] = [];
  const walk = (n: DecisionNode): void => {
    if (n.action === 'MAKE') makes.push(n);
    n.inputs.forEach(walk);
  };
  walk(decisions);
  return makes.map((n) => {
    const inputs = n.inputs.map((i) => i.good);
    const goods = new Set([n.good, ...inputs]);
    const series: Record<string, SeriesPoint[]> = Object.fromEntries([...goods].map((g) => [g, []]));
    const trades: FactoryPanel['trades'] = [];
    for (const st of steps) {
      if (st.kind === 'market' && st.waypoint === n.waypoint && st.market) {
        for (const g of st.market) {
          if (!goods.has(g.good)) continue;
          series[g.good]!.push({ t: ms(st.at), supply: g.supply, activity: g.activity, price: g.good === n.good ? g.purchasePrice : g.sellPrice });
        }
      } else if (st.intent && st.result?.happened && st.intent.waypoint === n.waypoint && goods.has(st.intent.good) && (st.intent.kind === 'buy' || st.intent.kind === 'sell')) {
        trades.push({ t: ms(st.at), good: st.intent.good, kind: st.intent.kind, units: st.result.units, price: st.result.pricePerUnit, ship: st.ship });
      }
    }
    return { waypoint: n.waypoint, output: n.good, inputs, series, trades };
  });
}

/** The map of every system the run involves: markets (with the roles the plan gives them), gates, ships where they are, their flights, and the jumps between systems. */
export function mapOf(plan: PlanFile, steps: StepRecord[], runMap: RunMap | undefined, ships: string[], now: number): MapView {
  const home = plan.spec.system;
  const systems = new Set<string>(planSystems(plan));
  const roles = new Map<string, Set<string>>();
  const role = (wp: string, r: string): void => {
    let s = roles.get(wp);
    if (!s) roles.set(wp, (s = new Set()));
    s.add(r);
  };
  const jumps = new Map<string, JumpOnMap>();
  const jumpOf = (from: string, to: string): JumpOnMap => {
    const key = `${from}>${to}`;
    let j = jumps.get(key);
    if (!j) jumps.set(key, (j = { from, to, fromSystem: systemOf(from), toSystem: systemOf(to), planned: false, made: 0 }));
    return j;
  };
  for (const t of plan.tasks) {
    role(t.source.waypoint, t.source.kind === 'factory' ? `factory of ${t.good}` : `source of ${t.good}`);
    const d = t.destination;
    if (d.kind === 'feed') role(d.waypoint, `factory of ${d.forGood}`);
    else if (d.kind === 'sell' || d.kind === 'contract') role(d.waypoint, `${d.kind === 'sell' ? 'sells' : 'delivers'} ${t.good}`);
    else if (d.kind === 'construction') role(d.waypoint, `builds with ${t.good}`);
    for (const c of t.route?.crossings ?? []) for (const j of c.jumps) jumpOf(j.from, j.to).planned = true;
  }
  const gates = new Map((plan.sector?.gates ?? []).map((g) => [g.gate, g]));
  const points = new Map<string, MapPoint>();
  for (const m of runMap?.markets ?? []) points.set(m.symbol, { symbol: m.symbol, x: m.x, y: m.y });
  const routes: Flight[] = [];
  const where = new Map<string, ShipOnMap>();
  const place = (ship: string, at: MapPoint, flight?: Flight): void => {
    systems.add(systemOf(at.symbol));
    where.set(ship, { ship, system: systemOf(at.symbol), at, ...(flight ? { flight } : {}) });
  };
  for (const st of steps) {
    if (st.kind === 'position' && st.position) {
      points.set(st.position.symbol, st.position);
      place(st.ship, st.position);
    } else if (st.kind === 'navigate' && st.nav) {
      points.set(st.nav.from.symbol, st.nav.from);
      points.set(st.nav.to.symbol, st.nav.to);
      const f: Flight = { from: st.nav.from, to: st.nav.to, departure: ms(st.nav.departure), arrival: ms(st.nav.arrival) };
      routes.push(f);
      place(st.ship, st.nav.to, f.arrival > now ? f : undefined);
    } else if ((st.kind === 'jump.result' || st.kind === 'jump.reconciled') && st.intent?.destination && st.result?.happened) {
      jumpOf(st.intent.waypoint, st.intent.destination).made += 1;
      const g = gates.get(st.intent.destination);
      if (g) place(st.ship, { symbol: st.intent.destination, x: g.position.x, y: g.position.y });
      else where.set(st.ship, { ship: st.ship, system: systemOf(st.intent.destination) }); // in that system, its gate's coordinates unknown
    }
  }
  for (const j of jumps.values()) systems.add(j.fromSystem).add(j.toSystem);
  const gateOf = new Map((plan.sector?.gates ?? []).map((g) => [g.system, g]));
  const order = [home, ...[...systems].filter((s) => s !== home).sort()];
  return {
    system: home,
    systems: order.map((system) => {
      const g = gateOf.get(system);
      const markets = [...points.values()]
        .filter((p) => systemOf(p.symbol) === system && (runMap?.markets.some((m) => m.symbol === p.symbol) || roles.has(p.symbol)))
        .map((p) => ({ ...p, roles: [...(roles.get(p.symbol) ?? [])].sort() }))
        .sort((a, b) => a.symbol.localeCompare(b.symbol));
      return {
        system,
        home: system === home,
        ...(g ? { sector: { x: g.x, y: g.y }, gate: { symbol: g.gate, x: g.position.x, y: g.position.y, built: g.built, charted: g.charted } } : {}),
        markets,
        routes: routes.filter((r) => systemOf(r.to.symbol) === system),
      };
    }),
    ships: ships.map((s) => where.get(s) ?? { ship: s }),
    jumps: [...jumps.values()],
  };
}

/** Every task that is not moving, why, and what ends the wait. */
export function waitingTasks(report: StatusReport, plan: PlanFile, steps: StepRecord[]): WaitingTask[] {
  const lastWait = new Map<string, StepRecord>();
  for (const st of steps) if (st.kind === 'wait' && st.taskId) lastWait.set(st.taskId, st);
  const byId = new Map(report.tasks.map((t) => [t.id, t]));
  const out: WaitingTask[] = [];
  for (const t of plan.tasks) {
    const r = byId.get(t.id);
    if (!r) continue;
    if (r.status === 'waiting') {
      const w = lastWait.get(t.id);
      const src = t.source;
      const ends =
        src.kind === 'factory'
          ? `${t.good} supply at ${src.waypoint} reaches ${src.resumeSupply} and its price is at most ${t.guards.maxUnitPrice} (gives up after ${Math.round(src.timeoutSeconds / 60)} min of game time without progress)`
          : `the price of ${t.good} at ${src.waypoint} falls to ${t.guards.maxUnitPrice}`;
      out.push({ taskId: t.id, ship: r.ship, reason: w?.wait?.reason ?? r.step ?? 'waiting', endsWhen: ends, until: w?.wait ? ms(w.wait.until) : undefined });
    } else if (r.status === 'pending') {
      const open = t.dependsOn.filter((d) => byId.get(d)?.status !== 'completed');
      if (open.length) out.push({ taskId: t.id, ship: r.ship, reason: `waits for ${open.join(', ')}`, endsWhen: `${open.length === 1 ? 'that task completes' : 'those tasks complete'}` });
      else {
        const busy = report.ships.find((s) => s.ship === r.ship && s.taskId && s.taskId !== t.id && s.state === 'working');
        if (busy) out.push({ taskId: t.id, ship: r.ship, reason: `${r.ship} is busy with ${busy.taskId}`, endsWhen: `${r.ship} finishes ${busy.taskId}` });
      }
    }
  }
  return out;
}

export function moneyOf(report: StatusReport, plan: PlanFile, steps: StepRecord[]): Money {
  const credits: Money['credits'] = [];
  let bid: number | undefined;
  const target = plan.spec.target.good;
  for (const st of steps) {
    if (st.credits !== undefined) credits.push({ t: ms(st.at), credits: st.credits });
    for (const g of st.market ?? []) if (g.good === target) bid = g.sellPrice;
  }
  const kept = new Set(plan.tasks.filter((t) => t.destination.kind === 'hold').map((t) => t.id));
  const held = report.tasks.filter((t) => kept.has(t.id)).reduce((a, t) => a + t.acquired, 0);
  const pnl = report.pnl as StatusReport['pnl'] | undefined; // absent in reports made before issue 15
  const earned = pnl?.earned.total ?? report.credits.earned;
  const realized = pnl?.realized ?? earned - report.credits.spent;
  return {
    spent: report.credits.spent,
    budget: report.credits.budget,
    reserve: plan.spec.policy.reserveCredits,
    earned,
    credits,
    realized,
    ...(pnl && pnl.held.units > 0 ? { held: pnl.held } : {}),
    ...(pnl?.counterfactual ? { counterfactual: { cost: pnl.counterfactual.cost, saved: pnl.counterfactual.saved } } : {}),
    inventory: held > 0 && bid !== undefined ? { units: held, value: held * bid, unitPrice: bid } : undefined,
  };
}

/** Progress is a trade that moved goods, a departure, or a lane (re)starting; polls and waits are not. */
export function lastProgressAt(run: Pick<RunRecord, 'startedAt'>, steps: StepRecord[]): number {
  let last = ms(run.startedAt);
  for (const st of steps) {
    const moved = st.kind.endsWith('.result') && st.kind !== 'refuel.result' && (st.result?.units ?? 0) > 0;
    if (moved || st.kind === 'navigate' || st.kind === 'position') last = Math.max(last, ms(st.at));
  }
  return last;
}

/** One line of the event stream. */
export function eventRow(st: StepRecord): EventRow {
  const i = st.intent;
  let text: string;
  if (st.nav) text = `${st.nav.from.symbol} → ${st.nav.to.symbol} (${st.nav.mode ?? 'CRUISE'}), arrives ${st.nav.arrival}`;
  else if (st.wait) text = `${st.wait.reason} (${Math.round(st.wait.seconds)} s of game time)`;
  else if (st.market) text = `market ${st.waypoint}: ${st.market.map((g) => `${g.good} ${g.supply} ${g.purchasePrice}/${g.sellPrice}`).join(', ')}`;
  else if (st.position) text = `at ${st.position.symbol}`;
  else if (i && st.result) text = `${i.kind} ${st.result.units} ${i.good} at ${i.waypoint} for ${st.result.totalPrice}${st.result.reconciled ? ' (reconciled)' : ''}`;
  else if (i && st.error) text = `${i.kind} ${i.units} ${i.good} at ${i.waypoint}: ${st.error}`;
  else if (i) text = `${i.kind} ${i.units} ${i.good} at ${i.waypoint} (~${i.expectedUnitPrice}/u)`;
  else text = st.waypoint ? `${st.kind} at ${st.waypoint}` : st.kind;
  return { seq: st.seq, t: ms(st.at), ship: st.ship, taskId: st.taskId, kind: st.kind, text };
}

export function runView(input: { report: StatusReport; run: RunRecord; steps: StepRecord[]; map?: RunMap; now: number }): RunView {
  const { report, run, steps, now } = input;
  const plan = run.plan;
  const timeScale = run.timeScale || 1;
  const ships = report.ships.map((s) => s.ship);
  const segs = lanesOf(steps, ships, now);
  const planned = plannedSchedule(plan.tasks, ms(run.startedAt), timeScale);
  const lanes: Lane[] = ships.map((ship) => ({
    ship,
    segments: segs.get(ship) ?? [],
    planned: [...planned.entries()].filter(([, p]) => p.ship === ship).map(([taskId, p]) => ({ taskId, start: p.start, end: p.end })),
  }));
  return {
    report,
    timeScale,
    lanes,
    etas: report.status === 'running' ? taskEtas(report, plan, now, timeScale) : {},
    waiting: report.status === 'running' ? waitingTasks(report, plan, steps) : [],
    factories: planTargets(plan).flatMap((t) => factoryPanels(t.decisions, steps)),
    map: mapOf(plan, steps, input.map, ships, now),
    money: moneyOf(report, plan, steps),
    lastProgressAt: lastProgressAt(run, steps),
    lastSeq: steps.at(-1)?.seq ?? 0,
  };
}
