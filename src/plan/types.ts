/**
 * The plan file: the contract between `st-goods plan` (which writes it) and `st-goods apply`
 * (which carries it out). Serialised as YAML, validated by schemas/plan.schema.json.
 *
 * Shape: an envelope (ids, times, lineage) around a deterministic body. The same spec and the
 * same market observations give a byte-identical body, and planId is the hash of that body.
 *
 * Ownership rule (LESSONS.md #5): every unit bought belongs to exactly one task, which carries it
 * to its destination. A task is one ship's job: get `quantity` of `good` from `source` and hand it
 * to `destination`, in as many trips as the ship's hold needs.
 */

export const PLAN_FORMAT_VERSION = '1.0';

import type { ActivityLevel, FlightMode, SupplyLevel, TradeType } from '../api/types.js';

// The API's enums, from the types generated from the official spec (never hand-copied).
export type { ActivityLevel, FlightMode, SupplyLevel, TradeType };

/** One market good as a ship saw it (or as the cache remembers it), with its age. */
export interface MarketObservation {
  waypoint: string;
  good: string;
  type: TradeType;
  supply: SupplyLevel;
  activity?: ActivityLevel;
  purchasePrice: number;
  sellPrice: number;
  tradeVolume: number;
  observedAt: string;
}

export type DecisionAction = 'BUY' | 'MAKE' | 'EXTRACT' | 'SIPHON';

/** (added for issue 14) An EXTRACT or SIPHON node's crews and estimates, as the plan shows them. */
export interface ExtractionSummary {
  crews: Array<{ site: string; miners: string[]; share: number; surveyed: boolean; unitsPerHour: number; quantity: number; cooldownSeconds: number }>;
  hauler: string;
  surveyor?: string;
  unitsPerHour: number;
  seconds: number;
  shipHours: number;
  unwanted: 'jettison' | 'sell';
  /** Ship time at shipHourCredits + fuel − unwanted sales: what `cheapest` compared. */
  cost: number;
}

/** Why a node is bought or made, and what was turned down. */
export interface DecisionNode {
  good: string;
  quantity: number;
  /** (EXTRACT and SIPHON added for issue 14: mined at an asteroid, siphoned at a gas giant.) */
  action: DecisionAction;
  /** BUY: the market bought from. MAKE: the factory (a market that EXPORTS the good). EXTRACT/SIPHON: the (first) site. */
  waypoint: string;
  reason: string;
  declined: Array<{ waypoint: string; why: string }>;
  /** Estimated credits for this node alone (BUY: price walk; MAKE: buying the output back). */
  estimatedCost: number;
  /** The tasks that carry this node out. */
  taskIds: string[];
  /** MAKE only: the inputs fed to the factory. */
  inputs: DecisionNode[];
  /**
   * (added by the planner engineer) 'estimated' when a price this node rests on comes from the
   * base-price table because no ship has observed that market; 'observed' otherwise.
   */
  priceBasis?: 'observed' | 'estimated';
  /** (added for issue 14) EXTRACT and SIPHON only. */
  extraction?: ExtractionSummary;
}

/** Where a task's goods come from. */
export type TaskSource =
  /** Buy at a market (BUY decision). */
  | { kind: 'market'; waypoint: string }
  /**
   * Buy a factory's output after feeding it (MAKE decision), or (issue 13, long work) a
   * construction material from its factory or market, fed or not: before each purchase, wait until the
   * export's supply is at least `minSupply` (polling every `pollSeconds`, backing off to
   * `maxPollSeconds`), resuming buys only when it climbs back to `resumeSupply` (hysteresis);
   * give up after `timeoutSeconds` of game time without progress.
   */
  | {
      kind: 'factory';
      waypoint: string;
      minSupply: SupplyLevel;
      resumeSupply: SupplyLevel;
      pollSeconds: number;
      maxPollSeconds: number;
      timeoutSeconds: number;
    }
  /**
   * (added for issue 9) Nothing is bought: the units are already in the assigned ship's hold
   * (`waypoint` is where it was when planned). A task that clears a hold (`clear: true`) sells
   * what is left of them; any other fails if they are gone, since the plan counted on them.
   */
  | { kind: 'aboard'; waypoint: string }
  /**
   * (added for issue 14) Extracted (EXTRACT: mining lasers at an asteroid; SIPHON: siphons at a gas
   * giant) by a crew: the `haul` task's ship collects the good from the crew's miners by transfer
   * at `waypoint` (it pulls) and carries it to the destination; each `mine` and `survey` task is one
   * crew ship's job there until the haul task ends. `alternates`: where the crew moves when the
   * asteroid turns unstable (4253). `unwanted`: yields of other goods are jettisoned by the miners,
   * or carried and sold at the destination (jettisoned where it does not trade them). A mine or
   * survey task's destination is its crew's (it hands its yield to the haul task, which delivers).
   */
  | {
      kind: 'extract';
      method: 'EXTRACT' | 'SIPHON';
      role: 'haul' | 'mine' | 'survey';
      waypoint: string;
      alternates: string[];
      /** The haul task's id (its own, for the haul task): the crew. */
      crew: string;
      miners: string[];
      surveyor?: string;
      unwanted: 'jettison' | 'sell';
      /** The planner's estimate for the crew: wanted units per game hour, the share of yields, the slowest cooldown. */
      rate: { unitsPerHour: number; share: number; cooldownSeconds: number; surveyed: boolean };
    };

/** Where a task's goods go. */
export type TaskDestination =
  /** Sell into a factory's IMPORT: feeding production of the parent good. */
  | { kind: 'feed'; waypoint: string; forGood: string }
  /** The target, kept in the hold of the ship that bought it. */
  | { kind: 'hold' }
  /** The target, sold at a waypoint. */
  | { kind: 'sell'; waypoint: string }
  /** The target, delivered to a contract at its delivery waypoint. */
  | { kind: 'contract'; contractId: string; waypoint: string }
  /** (added for issue 13) A material, supplied to the construction site at `waypoint` (POST …/construction/supply). */
  | { kind: 'construction'; waypoint: string };

/** Price and budget guards, re-checked at every buy and sell. */
export interface TaskGuards {
  /** Never pay more than this per unit (from the spec, or a market-derived ceiling). */
  maxUnitPrice: number;
  /** When selling (feeding), never accept less than this per unit; 0 = no floor. */
  minSellPrice: number;
  /**
   * (added for issue 9) true: maxUnitPrice rests on estimated asks (markets no ship had seen).
   * apply re-derives it from the first real ask it observes at the source with the same rule
   * (ask × the ceiling margin, capped by policy.maxUnitPrice), journals it and shows it in
   * status; only a policy cap or the budget then stops the task. Absent: observed.
   */
  estimated?: true;
}

export interface Task {
  /** Stable id, e.g. `buy-IRON@X1-AD75-H51>MACHINERY` ; unique within the plan. */
  id: string;
  good: string;
  quantity: number;
  /** The ship assigned by the planner; apply may hand the task to another fleet ship if it fails. */
  ship: string;
  source: TaskSource;
  destination: TaskDestination;
  /** Tasks that must finish first (e.g. a factory's collect task waits for its feed tasks). */
  dependsOn: string[];
  /** Planned trips: units per trip, each at most the ship's cargo capacity; sums to quantity. */
  trips: number[];
  /** tradeVolume at the source when planned: the largest units per purchase call. */
  tradeVolume: number;
  guards: TaskGuards;
  estimate: { credits: number; fuel: number; gameSeconds: number; requests: number };
  /**
   * (added for issue 13) Present when the task crosses systems: each crossing between waypoints
   * of different systems it makes (to its source, to its destination, back for the next trip),
   * with the in-system legs, the jumps (gate → gate, one ANTIMATTER at the origin gate's ask,
   * the reactor cooldown) and the gates it relies on being built.
   */
  route?: TaskRoute;
  /**
   * (added for issue 9) This task sells cargo the plan does not use, at the best bid in reach,
   * to make room in its ship's hold (policy.clearHolds). Absent otherwise.
   */
  clear?: true;
}

export interface FleetShip {
  symbol: string;
  role: string;
  frame: string;
  cargoCapacity: number;
  fuelCapacity: number;
  speed: number;
  /** Where the ship was when planned. */
  waypoint: string;
  /**
   * (added for issue 9) What was in its hold when planned, by good (absent when empty). Units of
   * a good the plan needs count toward it (tasks with source `aboard`); other cargo shrinks the
   * free hold, or is sold first by a `clear` task.
   */
  cargo?: Array<{ good: string; units: number }>;
}

export interface PlanPolicy {
  mode: 'prefer-buy' | 'cheapest';
  minSupplyToBuy: SupplyLevel;
  maxCredits: number;
  maxUnitPrice: Record<string, number>;
  reserveCredits: number;
  productionTimeoutSeconds: number;
  pollSeconds: number;
  flightMode: FlightMode;
  /**
   * (added in round 2, optional) Goods to make even where they can be bought (spec `policy.make`),
   * sorted. Absent when the spec lists none.
   */
  make?: string[];
  /**
   * (added for issue 9) false: never sell cargo the plan does not use to make room; refuse the
   * plan instead when that cargo leaves too little room. Absent (the default): sell it.
   */
  clearHolds?: false;
  /** (added for issue 14) Goods to extract (mine or siphon) even where they can be bought or made (spec `policy.extract`), sorted. */
  extract?: string[];
  /** (added for issue 14) Credits an hour of one ship is worth when extraction is compared (absent: the planner's default). */
  shipHourCredits?: number;
  /** (added for issue 14) At most this many miners per asteroid (MOO caps 12); absent: only the stability limit. */
  maxMinersPerSite?: number;
  /** (added for issue 14) What happens to extracted goods the plan does not want (absent: jettison). */
  unwantedYield?: 'jettison' | 'sell';
  /**
   * (added for issue 13) Which systems the market view may span (spec `policy.scope`): at most
   * `maxJumps` jumps from home, and only `systems` when listed. Absent: the default (3 jumps, any
   * system).
   */
  scope?: { maxJumps?: number; systems?: string[] };
  /**
   * (added for issue 15) The least expected profit a plan may have (src/pnl/expected.ts): credits,
   * or a margin of the expected cost (0.1 = 10%). Absent: no floor.
   */
  minProfit?: { credits: number } | { margin: number };
  /** (added for issue 15) 'keep': leave the plan's goods left in holds at the end. Absent: sell them (the default). */
  surplus?: 'keep';
  /**
   * (added for issue 15) How far the plan's markets may have moved before apply refuses it
   * (src/drift): the largest price move in percent, and whether a source's supply below the gate
   * refuses it. Absent: the defaults (25%, true).
   */
  maxDrift?: { price: number; supplyBelowGate: boolean };
}

export interface PlanEstimates {
  credits: number;
  fuel: number;
  /** Sum over all tasks of game seconds. */
  gameSeconds: number;
  /** Longest dependency chain, in game seconds: a lower bound on the makespan. */
  criticalPathSeconds: number;
  /**
   * (added for issue 9) The estimated time to finish, in game seconds: the end of the planner's
   * schedule, in which each ship does one task at a time (ship contention) and a task starts
   * after those it depends on. At least criticalPathSeconds.
   */
  makespanSeconds?: number;
  apiRequests: number;
  /**
   * (added for issue 12) How requests were priced in game time: the server's time scale, whether
   * its rate limit paces them, the game seconds a ship's request costs, and the least game time
   * all of the plan's requests take under the agent's shared limit (makespanSeconds is at least
   * that). contentionSeconds: what the makespan adds to the schedule's end for the other ships'
   * requests sharing the limit ((k − 1)/k of the floor with k ships). productionStepMinutes: the
   * server's step the production waits used, when it said.
   */
  pacing?: { timeScale: number; rateLimited: boolean; secondsPerRequest: number; requestFloorSeconds: number; contentionSeconds?: number; requestLatencySeconds?: number; productionStepMinutes?: number };
}

/**
 * (added for issue 9) The contract the target is delivered to, as it stood when planned. apply
 * accepts it first when `accepted` is false (the game pays `onAccepted`), delivers, and fulfils
 * it when its terms are met (`fulfils`: this plan's quantity completes them; pays `onFulfilled`).
 */
export interface PlanContract {
  id: string;
  accepted: boolean;
  onAccepted: number;
  onFulfilled: number;
  deadline: string;
  unitsRequired: number;
  unitsFulfilled: number;
  fulfils: boolean;
}

/** (added for issue 13) One jump: gate → gate of a connected system. */
export interface RouteJump {
  from: string;
  to: string;
  /** Credits: one ANTIMATTER at the origin gate's market ask. */
  antimatter: number;
  /** The ask is an estimate (no ship has seen that gate's market). */
  estimated?: true;
  /** Game seconds the reactor cools down after this jump (round(15 + 0.3·d), d between the systems). */
  cooldownSeconds: number;
}

/** (added for issue 13) How a task crosses systems. */
export interface TaskRoute {
  crossings: Array<{
    from: string;
    to: string;
    /** How many times the task flies it (trips there and back). */
    times: number;
    /** In-system flights of one crossing, in order. */
    legs: Array<{ from: string; to: string }>;
    jumps: RouteJump[];
  }>;
  /** Credits of every jump the task makes. */
  antimatterCredits: number;
  /** Game seconds waited on reactor cooldowns, counted in the task's estimate. */
  cooldownWaitSeconds: number;
  /** Gates the route relies on being built, sorted. */
  gates: string[];
}

/**
 * (added for issue 13) The systems a plan spans: its home, the scope the spec set (policy.scope),
 * and every jump gate read (built or not, connections when readable, when read). apply routes
 * ships on it, and re-routes on it when the game refuses a jump (4255, 4262).
 */
export interface PlanSector {
  home: string;
  scope: { maxJumps: number; systems?: string[] };
  gates: Array<{
    system: string;
    gate: string;
    /** The system's coordinates in the sector. */
    x: number;
    y: number;
    /** The gate waypoint's coordinates in its system (an uncharted gate lists no MARKETPLACE trait, so no market listing gives them). */
    position: { x: number; y: number };
    built: boolean;
    charted: boolean;
    /** Gate waypoints it connects to; absent when unreadable (uncharted). */
    connections?: string[];
    /** An unbuilt gate's bill, e.g. "FAB_MATS 0/1600, ADVANCED_CIRCUITRY 0/400". */
    construction?: string;
    /** When the gate (and its construction) was read. */
    readAt: string;
  }>;
}

/**
 * (added for issue 13) The construction site the target (or the whole bill) is supplied to, as
 * read when planned (a public read). apply reads it again before it starts and after every
 * delivery: a material met ends its tasks, a complete site ends the run.
 */
export interface PlanConstruction {
  /** The site's waypoint (a JUMP_GATE: `home-gate` in the spec resolves to the system's gate). */
  waypoint: string;
  /** What the spec named: `home-gate` or the waypoint itself. */
  site: string;
  /** The bill when planned, every material (met ones included). */
  materials: Array<{ good: string; required: number; fulfilled: number }>;
  isComplete: boolean;
}

/**
 * (added for issue 13) A target beyond spec.target: with `target: {construction: SITE}` every
 * material still short is one, spec.target (and decisions) being the first. Delivered like it.
 */
export interface PlanExtraTarget {
  good: string;
  quantity: number;
  decisions: DecisionNode;
}

/** A `fleet.select` rule as the plan records it: ships with a hold, of these roles and frames (when given), at most `max`. */
export interface FleetSelectRule {
  kind: 'select';
  roles?: string[];
  frames?: string[];
  max?: number;
}

/** Everything that is hashed into planId. Deterministic: sorted keys, no timestamps of its own. */
export interface PlanBody {
  formatVersion: string;
  lineage: { agentSymbol: string; resetDate: string };
  specHash: string;
  supplyChainHash: string;
  spec: {
    name: string;
    system: string;
    target: { good: string; quantity: number; deliver: TaskDestination };
    policy: PlanPolicy;
    /**
     * (added for issue 17) The spec's fleet rule when it selects ships by role and frame (not
     * `fleet.ships`): apply re-evaluates it between tasks and takes in matching ships that are
     * not in the run yet (added or freed since the plan was made), up to `max` in all.
     */
    fleet?: FleetSelectRule;
  };
  fleet: FleetShip[];
  observations: MarketObservation[];
  decisions: DecisionNode;
  tasks: Task[];
  estimates: PlanEstimates;
  /** (added for issue 9) Present when the target goes to a contract. */
  contract?: PlanContract;
  /** (added for issue 13) Present when the plan's view spans more than the home system. */
  sector?: PlanSector;
  /** (added for issue 13) Present when the target goes to a construction site. */
  construction?: PlanConstruction;
  /** (added for issue 13) The other materials of a whole-bill target, in bill order (absent otherwise). */
  otherTargets?: PlanExtraTarget[];
}

export interface PlanFile extends PlanBody {
  planId: string;
  toolVersion: string;
  createdAt: string;
  expiresAt: string;
  /** sha256 of planId, createdAt and expiresAt (src/plan/canonical.ts sealOf): the times apply acts on are covered too. */
  seal: string;
}
