import type { SupplyLevel } from '../plan/types.js';

/** Supply levels from poorest to richest. */
export const SUPPLY_ORDER: readonly SupplyLevel[] = ['SCARCE', 'LIMITED', 'MODERATE', 'HIGH', 'ABUNDANT'];

export function supplyRank(level: SupplyLevel): number {
  return SUPPLY_ORDER.indexOf(level);
}

/** True when `level` is at least `min` (e.g. HIGH meets MODERATE). */
export function supplyAtLeast(level: SupplyLevel, min: SupplyLevel): boolean {
  return supplyRank(level) >= supplyRank(min);
}

/** The next level up (ABUNDANT stays ABUNDANT). */
export function supplyAbove(level: SupplyLevel): SupplyLevel {
  return SUPPLY_ORDER[Math.min(SUPPLY_ORDER.length - 1, supplyRank(level) + 1)]!;
}
