import { supplyRank } from '../market/supply.js';
import type { SupplyLevel } from '../plan/types.js';
import { SUPPLY_STEP_SECONDS, TRANCHES_PER_SUPPLY_LEVEL } from './constants.js';

/** What the planner knows about a factory collect: the export's supply and apply's gate. */
export interface ProductionInput {
  good: string;
  /** The export's supply at planning time (observed, or the base-table estimate). */
  supply: SupplyLevel;
  /** True when `supply` is an estimate (no ship has seen the market). */
  estimated: boolean;
  /** apply's FactoryGate buys while supply ≥ minSupply, stops below it… */
  minSupply: SupplyLevel;
  /** …and, once stopped (or when it started below minSupply), resumes at resumeSupply. */
  resumeSupply: SupplyLevel;
  quantity: number;
  tradeVolume: number;
  stepSeconds?: number;
  tranchesPerLevel?: number;
}

export interface ProductionWait {
  /** Game seconds before the first purchase (climbing to resumeSupply). */
  firstPurchaseSeconds: number;
  /** Game seconds waiting for production while buying, when the quantity drains the factory. */
  refillSeconds: number;
  /** firstPurchaseSeconds + refillSeconds. */
  seconds: number;
  /** Supply levels to climb before the first purchase. */
  levelsToClimb: number;
  /** One sentence for the decision's reason. */
  why: string;
}

/**
 * The expected production wait of a factory collect task, a lower bound in the common case.
 *
 * Model (supply labels are bands; MECHANICS.md §3.5, DEFAULT_SIM_CONFIG):
 * - Supply at or above the gate's minSupply: apply's FactoryGate starts open, so the first
 *   purchase is immediate. Optimistically the supply sits at the top of its band, so the units
 *   bought before it falls below minSupply are (levels from minSupply up to the supply, inclusive)
 *   × TRANCHES_PER_SUPPLY_LEVEL × tradeVolume.
 * - Below minSupply: the gate waits for resumeSupply. The wait is (levels to climb) ×
 *   SUPPLY_STEP_SECONDS; then the units before falling below minSupply again are the levels
 *   between resumeSupply and minSupply.
 * - Units beyond those must be produced while the collect runs: the gate pauses and resumes,
 *   and on average one level of production (one step) gives one level of purchases, so the refill
 *   is shortfall ÷ (TRANCHES_PER_SUPPLY_LEVEL × tradeVolume) × SUPPLY_STEP_SECONDS.
 *
 * Where it is not a bound: the wait is counted from the collect task's start, but the factory
 * also produces while earlier tasks run; a real-game factory can step faster than the 24-minute
 * mean (18 min measured for CLOTHING) or sit near the top of its band when observed; and the
 * ceiling price (guards.maxUnitPrice) can hold purchases back longer than supply does, which only
 * lengthens the real run. In the simulator a step takes ≥ 109 game minutes, so these cases are
 * covered by a wide margin there.
 */
export function productionWait(input: ProductionInput): ProductionWait {
  const step = input.stepSeconds ?? SUPPLY_STEP_SECONDS;
  const perLevel = (input.tranchesPerLevel ?? TRANCHES_PER_SUPPLY_LEVEL) * Math.max(1, input.tradeVolume);
  const s = supplyRank(input.supply);
  const m = supplyRank(input.minSupply);
  const r = Math.max(m, supplyRank(input.resumeSupply));
  const seen = input.estimated ? `${input.supply} (estimated, not observed)` : `${input.supply} (observed)`;
  let levelsToClimb = 0;
  let levelsToSell: number;
  if (s >= m) {
    levelsToSell = s - m + 1;
  } else {
    levelsToClimb = r - s;
    levelsToSell = r - m;
  }
  const firstPurchaseSeconds = levelsToClimb * step;
  const shortfall = Math.max(0, input.quantity - levelsToSell * perLevel);
  const refillSeconds = Math.round((shortfall / perLevel) * step);
  const minutes = (sec: number): string => `${Math.round(sec / 60)} min`;
  const first =
    levelsToClimb === 0
      ? `${input.good} supply ${seen} is at or above the collect's gate ${input.minSupply}: no wait before the first purchase`
      : `${input.good} supply ${seen} is below the collect's gate ${input.minSupply}: ~${minutes(firstPurchaseSeconds)} to climb ${levelsToClimb} level${levelsToClimb > 1 ? 's' : ''} to ${input.resumeSupply}`;
  const refill = shortfall > 0 ? `, then ~${minutes(refillSeconds)} of production for the ${shortfall} units beyond the ~${levelsToSell * perLevel} its supply allows` : '';
  return { firstPurchaseSeconds, refillSeconds, seconds: firstPurchaseSeconds + refillSeconds, levelsToClimb, why: `${first}${refill}` };
}
