import { PRICE_STEP_PER_TRANCHE, SELL_STEP_PER_TRANCHE } from './constants.js';

export interface PriceWalk {
  /** Units per purchase call, in order; each at most tradeVolume. */
  tranches: number[];
  /** Unit price of each tranche. */
  prices: number[];
  total: number;
  /** The unit price of the last tranche: the highest paid. */
  lastPrice: number;
}

/** Splits `quantity` into calls of at most `tradeVolume` units (error 4604 otherwise). */
export function splitTranches(quantity: number, tradeVolume: number): number[] {
  const tv = Math.max(1, Math.floor(tradeVolume));
  const out: number[] = [];
  for (let left = quantity; left > 0; left -= tv) out.push(Math.min(tv, left));
  return out;
}

/**
 * The cost of buying `quantity` units at a market whose ask is `ask`: one price per call, and the
 * ask rises by PRICE_STEP_PER_TRANCHE × units/tradeVolume after each call (MECHANICS.md §3.4).
 */
export function buyWalk(ask: number, tradeVolume: number, quantity: number, step = PRICE_STEP_PER_TRANCHE): PriceWalk {
  const tranches = splitTranches(quantity, tradeVolume);
  const prices: number[] = [];
  let price = ask;
  let total = 0;
  for (const units of tranches) {
    const p = Math.round(price);
    prices.push(p);
    total += p * units;
    price *= 1 + step * (units / tradeVolume);
  }
  return { tranches, prices, total, lastPrice: prices.at(-1) ?? ask };
}

/**
 * The cost of buying `quantity` units gated by supply (long work: a construction material):
 * apply buys while the market's supply holds, pauses while it recovers, and the ask comes back
 * with it, so the walk starts again from `ask` every `cycleUnits` units.
 */
export function gatedWalk(ask: number, tradeVolume: number, quantity: number, cycleUnits: number): PriceWalk {
  const cycle = Math.max(1, Math.floor(cycleUnits));
  const tranches: number[] = [];
  const prices: number[] = [];
  let total = 0;
  for (let left = quantity; left > 0; left -= cycle) {
    const w = buyWalk(ask, tradeVolume, Math.min(cycle, left));
    tranches.push(...w.tranches);
    prices.push(...w.prices);
    total += w.total;
  }
  // lastPrice is the highest paid, what the ceiling is checked against: the end of a full cycle.
  return { tranches, prices, total, lastPrice: prices.reduce((a, p) => Math.max(a, p), ask) };
}

/** The revenue of selling `quantity` units into a bid that falls after each call. */
export function sellWalk(bid: number, tradeVolume: number, quantity: number, step = SELL_STEP_PER_TRANCHE): PriceWalk {
  const tranches = splitTranches(quantity, tradeVolume);
  const prices: number[] = [];
  let price = bid;
  let total = 0;
  for (const units of tranches) {
    const p = Math.max(1, Math.round(price));
    prices.push(p);
    total += p * units;
    price *= 1 - step * (units / tradeVolume);
  }
  return { tranches, prices, total, lastPrice: prices.at(-1) ?? bid };
}

/** Splits `quantity` into trips of at most `capacity` units (the ship's hold). */
export function splitTrips(quantity: number, capacity: number): number[] {
  if (capacity <= 0) throw new Error('splitTrips: a ship without cargo room cannot carry goods');
  const out: number[] = [];
  for (let left = quantity; left > 0; left -= capacity) out.push(Math.min(capacity, left));
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
