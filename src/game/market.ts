/**
 * Market vocabulary shared by the simulator and the planner (MECHANICS.md §3).
 */
import type { ActivityLevel, SupplyLevel } from '../api/types.js';

export type { ActivityLevel, SupplyLevel };

/** Supply levels from scarcest to most plentiful. */
export const SUPPLY_LEVELS: readonly SupplyLevel[] = ['SCARCE', 'LIMITED', 'MODERATE', 'HIGH', 'ABUNDANT'];

/** Position of a supply level in SUPPLY_LEVELS (0 = SCARCE … 4 = ABUNDANT). */
export function supplyRank(level: SupplyLevel): number {
  return SUPPLY_LEVELS.indexOf(level);
}

/** True when supply `a` is at least as plentiful as `b` (e.g. supplyAtLeast('HIGH', 'MODERATE')). */
export function supplyAtLeast(a: SupplyLevel, b: SupplyLevel): boolean {
  return supplyRank(a) >= supplyRank(b);
}

/** Comparator ordering supply levels from SCARCE to ABUNDANT. */
export function compareSupply(a: SupplyLevel, b: SupplyLevel): number {
  return supplyRank(a) - supplyRank(b);
}

/** Activity levels from weakest to strongest; RESTRICTED (a bottleneck) ranks below WEAK. */
export const ACTIVITY_LEVELS: readonly ActivityLevel[] = ['RESTRICTED', 'WEAK', 'GROWING', 'STRONG'];

/**
 * Half the bid/ask spread of an EXCHANGE good around its mid price: `max(2, round(mid/100))`
 * (MECHANICS.md §3.3, S13; FUEL mid 70 → 72/68).
 */
export function exchangeHalfSpread(mid: number): number {
  return Math.max(2, Math.round(mid / 100));
}

/** Purchase (ask) and sell (bid) prices of an EXCHANGE good with mid price `mid`. */
export function exchangePrices(mid: number): { purchasePrice: number; sellPrice: number } {
  const half = exchangeHalfSpread(mid);
  return { purchasePrice: Math.round(mid) + half, sellPrice: Math.max(1, Math.round(mid) - half) };
}

/** Ratio of purchase to sell price at an IMPORT or EXPORT (MECHANICS.md §3.3: ≈ 2). */
export const IMPORT_EXPORT_SPREAD_RATIO = 2;
