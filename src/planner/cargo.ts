import { infeasible } from '../cli/errors.js';
import { fuelCost } from '../game/nav.js';
import type { MarketView } from '../market/view.js';
import type { FleetShip, FlightMode } from '../plan/types.js';
import { CLEAR_BELOW_FREE_SHARE, FEED_FLOOR_RATIO } from './constants.js';
import { saleNet } from './pricing.js';

const bySymbol = (a: { symbol: string }, b: { symbol: string }): number => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);

/** Where a ship's cargo that the plan does not use is sold to make room (a clear task). */
export interface ClearSale {
  ship: string;
  good: string;
  units: number;
  waypoint: string;
  /** The bid there (observed or estimated) and its tradeVolume. */
  bid: number;
  tradeVolume: number;
  minSellPrice: number;
  estimated: boolean;
}

/**
 * The cargo already in the fleet's holds when planning (LESSONS: a plan that ignores it plans on
 * room it does not have). Units of a good the plan needs are taken from it ("already aboard":
 * the target, and goods the plan buys); what is left is other cargo, which shrinks a ship's free
 * hold, or is sold at the best bid in reach (a clear task) when that leaves too little room.
 */
export class CargoPool {
  readonly #left = new Map<string, Map<string, number>>();
  readonly #ships: FleetShip[];
  readonly #cleared = new Set<string>();

  constructor(fleet: FleetShip[]) {
    this.#ships = [...fleet].sort(bySymbol);
    for (const s of this.#ships) {
      const m = new Map<string, number>();
      for (const c of s.cargo ?? []) if (c.units > 0) m.set(c.good, (m.get(c.good) ?? 0) + c.units);
      this.#left.set(s.symbol, m);
    }
  }

  /** Takes up to `units` of `good` from the holds (ships in symbol order): what each ship gives. */
  take(good: string, units: number): Array<{ ship: string; units: number }> {
    const out: Array<{ ship: string; units: number }> = [];
    let want = units;
    for (const s of this.#ships) {
      if (want <= 0) break;
      const m = this.#left.get(s.symbol)!;
      const have = m.get(good) ?? 0;
      if (have <= 0) continue;
      const n = Math.min(have, want);
      m.set(good, have - n);
      want -= n;
      out.push({ ship: s.symbol, units: n });
    }
    return out;
  }

  /** Cargo of `ship` the plan has not taken, sorted by good. */
  other(ship: string): Array<{ good: string; units: number }> {
    return [...(this.#left.get(ship) ?? new Map<string, number>()).entries()]
      .filter(([, u]) => u > 0)
      .map(([good, units]) => ({ good, units }))
      .sort((a, b) => (a.good < b.good ? -1 : 1));
  }

  otherUnits(ship: string): number {
    return this.other(ship).reduce((a, c) => a + c.units, 0);
  }

  /**
   * Decides which ships sell their other cargo first. With `clearHolds`, a ship whose other cargo
   * leaves less than CLEAR_BELOW_FREE_SHARE of its hold free is cleared; then, while the room
   * the fleet needs (`roomNeeded`, the target kept in holds) is not there, the ships with the
   * most other cargo are cleared. Without `clearHolds` nothing is sold: when the room is not
   * there (or no ship has any), the plan is refused, naming each ship and its cargo.
   * `reserved(ship)` is room already spoken for (the target already aboard, kept).
   */
  decideClears(opts: { clearHolds: boolean; roomNeeded: number; reserved?: (ship: string) => number }): void {
    const reserved = opts.reserved ?? (() => 0);
    const carriers = this.#ships.filter((s) => s.cargoCapacity > 0);
    const room = (s: FleetShip): number => Math.max(0, s.cargoCapacity - reserved(s.symbol) - (this.#cleared.has(s.symbol) ? 0 : this.otherUnits(s.symbol)));
    const total = (): number => carriers.reduce((a, s) => a + room(s), 0);
    if (opts.clearHolds) {
      for (const s of carriers) {
        if (this.otherUnits(s.symbol) > 0 && room(s) < s.cargoCapacity * CLEAR_BELOW_FREE_SHARE) this.#cleared.add(s.symbol);
      }
      const rest = carriers.filter((s) => !this.#cleared.has(s.symbol) && this.otherUnits(s.symbol) > 0);
      rest.sort((a, b) => this.otherUnits(b.symbol) - this.otherUnits(a.symbol) || bySymbol(a, b));
      for (const s of rest) {
        if (total() >= Math.max(1, opts.roomNeeded)) break;
        this.#cleared.add(s.symbol);
      }
      return;
    }
    if (total() >= Math.max(1, opts.roomNeeded)) return;
    const full = carriers.filter((s) => this.otherUnits(s.symbol) > 0);
    const listed = full.map((s) => `${s.symbol} holds ${this.other(s.symbol).map((c) => `${c.units} ${c.good}`).join(', ')} (${room(s)} of ${s.cargoCapacity} free)`).join('; ');
    throw infeasible(
      opts.roomNeeded > 0
        ? `The plan needs ${opts.roomNeeded} units of room in the holds, but other cargo leaves only ${total()}: ${listed}. policy.clearHolds is false, so the plan does not sell it.`
        : `No ship of the fleet has room left: ${listed}. policy.clearHolds is false, so the plan does not sell that cargo.`,
      'Sell or jettison that cargo, remove policy.clearHolds: false (the plan then sells it at the best bid in reach first), or add ships; then re-run `st-goods plan`.',
      { ships: full.map((s) => ({ ship: s.symbol, cargo: this.other(s.symbol) })) },
    );
  }

  /**
   * The free hold each carrier plans with: its capacity, less other cargo it keeps and
   * `reserved` room. Ships with none left are dropped (their clear or aboard tasks are pinned).
   */
  planningFleet(reserved: (ship: string) => number = () => 0): FleetShip[] {
    return this.#ships.map((s) => ({
      ...s,
      cargoCapacity: Math.max(0, s.cargoCapacity - reserved(s.symbol) - (this.#cleared.has(s.symbol) ? 0 : this.otherUnits(s.symbol))),
    }));
  }

  /** The sales that clear the ships decided on: every good at its best bid in reach. */
  clearSales(view: MarketView, mode: FlightMode, fuelPrice: number): ClearSale[] {
    const out: ClearSale[] = [];
    for (const s of this.#ships) {
      if (!this.#cleared.has(s.symbol)) continue;
      for (const c of this.other(s.symbol)) out.push(bestBid(view, mode, fuelPrice, s, c.good, c.units));
    }
    return out;
  }
}

/**
 * The market that pays most for `units` of `good` carried from where `ship` is, net of the fuel to
 * get there; markets out of the tank's reach are not considered. Refused when no market buys it.
 */
export function bestBid(view: MarketView, mode: FlightMode, fuelPrice: number, ship: FleetShip, good: string, units: number): ClearSale {
  let best: (ClearSale & { net: number }) | undefined;
  for (const { listing } of view.marketsListing(good)) {
    const q = view.quote(listing.waypoint, good);
    if (!q || q.sellPrice <= 0) continue;
    const fuel = fuelCost(view.distance(ship.waypoint, listing.waypoint), mode, ship.fuelCapacity);
    if (ship.fuelCapacity > 0 && fuel > ship.fuelCapacity) continue;
    const net = saleNet(q.sellPrice, q.tradeVolume, units, fuel, fuelPrice);
    if (!best || net > best.net) {
      best = {
        ship: ship.symbol,
        good,
        units,
        waypoint: listing.waypoint,
        bid: q.sellPrice,
        tradeVolume: q.tradeVolume,
        minSellPrice: Math.round(q.sellPrice * FEED_FLOOR_RATIO),
        estimated: q.estimated,
        net,
      };
    }
  }
  if (!best) {
    throw infeasible(
      `${ship.symbol} holds ${units} ${good}, which this plan does not use, and no market of ${view.system} within its reach buys it, so the hold cannot be cleared.`,
      `Sell or jettison the ${good} yourself, set policy.clearHolds: false to plan around it, or leave ${ship.symbol} out of the fleet; then re-run \`st-goods plan\`.`,
      { ship: ship.symbol, good, units },
    );
  }
  const { net: _net, ...sale } = best;
  return sale;
}
