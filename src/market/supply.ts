import { SUPPLY_LEVELS, supplyAtLeast, supplyRank } from '../game/market.js';
import type { SupplyLevel } from '../plan/types.js';

export { supplyAtLeast, supplyRank };

/** Supply levels from poorest to richest. */
export const SUPPLY_ORDER: readonly SupplyLevel[] = SUPPLY_LEVELS;

/** The next level up (ABUNDANT stays ABUNDANT). */
export function supplyAbove(level: SupplyLevel): SupplyLevel {
  return SUPPLY_ORDER[Math.min(SUPPLY_ORDER.length - 1, supplyRank(level) + 1)]!;
}

/** `levels` levels down (SCARCE stays SCARCE). */
export function supplyBelow(level: SupplyLevel, levels = 1): SupplyLevel {
  return SUPPLY_ORDER[Math.max(0, supplyRank(level) - levels)]!;
}
