import { distance, fuelCost, type Point } from '../game/nav.js';
import type { FlightMode, MarketObservation, PlanBody } from '../plan/types.js';
import { saleNet } from '../planner/pricing.js';
import type { StepRecord, TaskRecord } from '../state/journal.js';

/**
 * What a finished run leaves in its ships' holds that the target does not need (input left over
 * after feeding, output beyond the target), and where to sell it: pure, from the plan, the task
 * records, the holds now and the bids known (issue 15, policy.surplus).
 *
 * Surplus is only ever of the plan's own goods, and never cargo a ship held when the run started
 * (or, for a run journaled without it, when planned): of each good, a ship keeps what it held then
 * (less what the plan's `aboard` tasks carried away from it) and, for a target kept in holds, the
 * units its hold tasks bought; the rest is surplus (an input left over, units a failed ship kept
 * when its task was handed on and bought again, output beyond the target).
 */

/** Units of a good in a ship's hold. */
export interface Held {
  ship: string;
  good: string;
  units: number;
}

export interface ShipNow {
  symbol: string;
  waypoint: string;
  fuelCapacity: number;
  cargo: Array<{ good: string; units: number }>;
}

export interface SurplusSale {
  ship: string;
  good: string;
  units: number;
  waypoint: string;
  bid: number;
  tradeVolume: number;
}

/**
 * Units of each plan good the journal says the run still has somewhere in the fleet: what it
 * bought, less what it sold or delivered, plus what its `aboard` tasks sold of cargo held before,
 * less the target kept in holds. Only these can be surplus (cargo the journal does not explain is
 * not the run's to sell); zero for every good, the common case, needs no look at the ships.
 */
export function journalSurplus(plan: Pick<PlanBody, 'spec' | 'tasks'>, records: ReadonlyMap<string, TaskRecord>, steps: readonly StepRecord[]): Map<string, number> {
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const net = new Map<string, number>();
  const add = (good: string, units: number): void => void net.set(good, (net.get(good) ?? 0) + units);
  for (const st of steps) {
    const task = st.taskId ? byId.get(st.taskId) : undefined;
    const [verb, phase] = st.kind.split('.');
    if (!st.intent || !st.result?.happened || (phase !== 'result' && phase !== 'reconciled')) continue;
    // A surplus sale of an earlier attempt (its record is not a plan task).
    if (!task && st.taskId?.startsWith('surplus-') && verb === 'sell') add(st.intent.good, -st.result.units);
    if (!task || task.clear) continue;
    if (verb === 'buy') add(task.good, st.result.units);
    else if (verb === 'sell' || verb === 'deliver') add(task.good, -(st.result.units || (verb === 'deliver' ? st.intent.units : 0)));
  }
  for (const t of plan.tasks) {
    if (t.source.kind === 'aboard' && !t.clear) add(t.good, Math.min(t.quantity, records.get(t.id)?.delivered ?? 0));
    if (t.destination.kind === 'hold' && t.source.kind !== 'aboard') add(t.good, -Math.min(t.quantity, records.get(t.id)?.acquired ?? 0));
  }
  for (const [g, u] of net) if (u <= 0) net.delete(g);
  return net;
}

/** Units of each plan good in each ship's hold beyond what the run keeps, at most what the journal says it has (`expected`, per good). */
export function surplusOf(plan: Pick<PlanBody, 'spec' | 'tasks' | 'fleet'>, records: ReadonlyMap<string, TaskRecord>, ships: readonly ShipNow[], holdsAtStart?: readonly Held[], expected?: ReadonlyMap<string, number>): Held[] {
  const left = expected ? new Map(expected) : undefined;
  const goods = new Set(plan.tasks.filter((t) => !t.clear).map((t) => t.good));
  const target = plan.spec.target;
  const out: Held[] = [];
  for (const s of ships) {
    for (const c of s.cargo) {
      if (!goods.has(c.good) || c.units <= 0) continue;
      const planned = holdsAtStart
        ? (holdsAtStart.find((h) => h.ship === s.symbol && h.good === c.good)?.units ?? 0)
        : (plan.fleet.find((f) => f.symbol === s.symbol)?.cargo?.find((x) => x.good === c.good)?.units ?? 0);
      const carriedAway = plan.tasks.filter((t) => t.source.kind === 'aboard' && t.ship === s.symbol && t.good === c.good).reduce((a, t) => a + t.quantity, 0);
      let keep = Math.max(0, planned - carriedAway);
      if (c.good === target.good && target.deliver.kind === 'hold') {
        for (const t of plan.tasks) {
          const r = records.get(t.id);
          if (t.destination.kind === 'hold' && t.good === c.good && r?.ship === s.symbol) keep += Math.min(r.acquired, t.quantity);
        }
      }
      const units = Math.min(c.units - keep, left ? (left.get(c.good) ?? 0) : Infinity);
      if (units > 0) {
        out.push({ ship: s.symbol, good: c.good, units });
        left?.set(c.good, (left.get(c.good) ?? 0) - units);
      }
    }
  }
  return out;
}

/**
 * The best bid in reach for each surplus: the market that pays most for the units (the bid walked
 * down by them) net of the fuel to fly there from where the ship is; markets beyond a full tank
 * are out of reach. Surplus no known market buys is left where it is (and named by the caller).
 */
export function chooseSales(
  surplus: ReadonlyArray<{ ship: string; good: string; units: number }>,
  ships: readonly ShipNow[],
  bids: readonly MarketObservation[],
  points: ReadonlyMap<string, Point>,
  opts: { mode: FlightMode; fuelPrice: number },
): { sales: SurplusSale[]; unsold: Array<{ ship: string; good: string; units: number }> } {
  // The newest bid per market and good.
  const latest = new Map<string, MarketObservation>();
  for (const o of bids) {
    const k = `${o.waypoint}|${o.good}`;
    const prev = latest.get(k);
    if (o.sellPrice > 0 && (!prev || prev.observedAt <= o.observedAt)) latest.set(k, o);
  }
  const sales: SurplusSale[] = [];
  const unsold: Array<{ ship: string; good: string; units: number }> = [];
  for (const s of surplus) {
    const ship = ships.find((x) => x.symbol === s.ship)!;
    const here = points.get(ship.waypoint);
    let best: (SurplusSale & { net: number }) | undefined;
    for (const o of latest.values()) {
      if (o.good !== s.good) continue;
      // Selling where the ship is costs no flight; elsewhere the fuel to get there, when both positions are known.
      const there = points.get(o.waypoint);
      const fuel = o.waypoint === ship.waypoint ? 0 : here && there ? fuelCost(distance(here, there), opts.mode, ship.fuelCapacity) : NaN;
      if (!Number.isFinite(fuel)) continue;
      if (ship.fuelCapacity > 0 && fuel > ship.fuelCapacity) continue;
      const net = saleNet(o.sellPrice, o.tradeVolume, s.units, fuel, opts.fuelPrice);
      if (net > 0 && (!best || net > best.net)) best = { ...s, waypoint: o.waypoint, bid: o.sellPrice, tradeVolume: o.tradeVolume, net };
    }
    if (!best) unsold.push(s);
    else {
      const { net: _net, ...sale } = best;
      sales.push(sale);
    }
  }
  return { sales, unsold };
}
