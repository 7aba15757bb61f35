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
 * apply buys while the market's supply holds and pauses while it recovers, so the walk starts
 * again every `cycleUnits` units: the first cycle from `ask` (the supply seen), the next ones
 * from `resumeAsk` (the ask where buying resumes, at the gate's resume level). apply never pays
 * above `ceiling` (it waits instead), so no tranche is priced above it.
 */
export function gatedWalk(ask: number, tradeVolume: number, quantity: number, opts: { cycleUnits: number; resumeAsk: number; ceiling: number }): PriceWalk {
  const cycle = Math.max(1, Math.floor(opts.cycleUnits));
  const tranches: number[] = [];
  const prices: number[] = [];
  let total = 0;
  for (let left = quantity, from = ask; left > 0; left -= cycle, from = opts.resumeAsk) {
    const w = buyWalk(from, tradeVolume, Math.min(cycle, left));
    tranches.push(...w.tranches);
    for (let i = 0; i < w.tranches.length; i++) {
      const p = Math.min(w.prices[i]!, opts.ceiling);
      prices.push(p);
      total += p * w.tranches[i]!;
    }
  }
  return { tranches, prices, total, lastPrice: prices.reduce((a, p) => Math.max(a, p), 0) };
}

/**
 * What selling `units` at a market earns once there, less the fuel (units, bought at `fuelPrice`
 * per 100) of carrying them there: how a hold's cargo is weighed against the markets that buy it
 * (clear tasks when planning, surplus at the end of a run).
 */
export function saleNet(bid: number, tradeVolume: number, units: number, fuel: number, fuelPrice: number): number {
  return sellWalk(bid, tradeVolume, units).total - (fuel / 100) * fuelPrice;
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
