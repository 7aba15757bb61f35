import { SUPPLY_LEVELS, supplyAtLeast, supplyRank } from '../game/market.js';
import type { SupplyLevel } from '../api/types.js';

export { supplyAtLeast, supplyRank };

/** The next level up (ABUNDANT stays ABUNDANT). */
export function supplyAbove(level: SupplyLevel): SupplyLevel {
  return SUPPLY_LEVELS[Math.min(SUPPLY_LEVELS.length - 1, supplyRank(level) + 1)]!;
}

/** `levels` levels down (SCARCE stays SCARCE). */
export function supplyBelow(level: SupplyLevel, levels = 1): SupplyLevel {
  return SUPPLY_LEVELS[Math.max(0, supplyRank(level) - levels)]!;
}
