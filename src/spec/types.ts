import type { FlightMode, PlanPolicy, SupplyLevel } from '../plan/types.js';

export type { FlightMode, SupplyLevel };

/** (issue 13) `deliver: {sell: best-bid}`: the market in scope paying most, chosen by the planner. */
export const BEST_BID = 'best-bid';

/** Where the target goes once produced. Names match the plan's TaskDestination (the contract's waypoint is resolved by the planner). */
export type SpecDelivery =
  | { kind: 'hold' }
  | { kind: 'sell'; waypoint: string }
  | { kind: 'contract'; contractId: string }
  /** Supply a construction site: `site` is `home-gate` (the spec system's jump gate) or a waypoint symbol (resolved by the planner). */
  | { kind: 'construction'; site: string };

/** One good, how many units, where they go. */
export interface SpecGoodTarget {
  good: string;
  quantity: number;
  deliver: SpecDelivery;
}

/**
 * `target: {construction: SITE}`: every material the site still needs when planned (its remaining
 * bill), each a target of its own delivered there. `site` as in SpecDelivery's construction.
 */
export interface SpecBillTarget {
  construction: string;
}

export type SpecTarget = SpecGoodTarget | SpecBillTarget;

export function isBillTarget(t: SpecTarget): t is SpecBillTarget {
  return 'construction' in t;
}

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
  target: SpecTarget;
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
  /** policy.maxDrift.price: the largest price move (percent) apply accepts without --replan. */
  maxDriftPrice: 25,
} as const satisfies Partial<Record<string, unknown>>;
