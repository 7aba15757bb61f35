import type { FlightMode, PlanPolicy, SupplyLevel } from '../plan/types.js';

export type { FlightMode, SupplyLevel };

/** (issue 13) `deliver: {sell: best-bid}`: the market in scope paying most, chosen by the planner. */
export const BEST_BID = 'best-bid';

/** Where the target goes once produced. Names match the plan's TaskDestination (the contract's waypoint is resolved by the planner). */
export type SpecDelivery =
  | { kind: 'hold' }
  | { kind: 'sell'; waypoint: string }
  | { kind: 'contract'; contractId: string };

/** Which ships to use. */
export type FleetSelector =
  /** Exactly these ships (checked against the agent's fleet by `checkFleetShips`). */
  | { kind: 'ships'; ships: string[] }
  /**
   * Every ship with cargo capacity > 0 that matches: role in `roles` (when given) and frame in
   * `frames` (when given); at most `max` of them (when given). `{kind: 'select'}` alone: all cargo ships.
   */
  | { kind: 'select'; roles?: string[]; frames?: string[]; max?: number };

/**
 * A production spec after validation and normalisation: every default filled in, durations in
 * seconds, policy named as in the plan file (PlanPolicy). Deterministic: its canonical JSON is hashed.
 */
export interface ProductionSpec {
  name: string;
  /** Undefined: the system of the agent's headquarters (the planner resolves it). */
  system?: string;
  target: { good: string; quantity: number; deliver: SpecDelivery };
  fleet: FleetSelector;
  policy: PlanPolicy;
}

/** What `loadSpec` returns. */
export interface LoadedSpec {
  spec: ProductionSpec;
  /** `sha256:<hex>` of the canonical JSON of `spec`: the plan's specHash. */
  hash: string;
  /** The file it came from, as given. */
  file: string;
}

/** Defaults applied by normalisation (documented in schemas/production-spec.schema.json). */
export const SPEC_DEFAULTS = {
  mode: 'prefer-buy',
  minSupply: 'MODERATE',
  reserveCredits: 10_000,
  productionTimeoutSeconds: 60 * 60,
  pollSeconds: 30,
  flightMode: 'CRUISE',
} as const satisfies Partial<Record<string, unknown>>;
