/** The Universe's live state: plain JSON-able objects, saved as they are by Universe.toJSON(). */
import type { MarketState } from './economy.js';
import type { FlightMode } from '../../game/index.js';
import type { ShipType } from '../world/types.js';

export interface AgentState {
  symbol: string;
  accountId: string;
  credits: number;
  headquarters: string;
  faction: string;
  /** Ships ever created for this agent (names ships SYMBOL-1, SYMBOL-2, ... in hex). */
  shipCounter: number;
  contractIds: string[];
}

export interface ShipState {
  symbol: string;
  agent: string;
  type: ShipType;
  /** Current waypoint, or the destination while in transit. */
  waypoint: string;
  /** Status as of the last settle; IN_TRANSIT turns IN_ORBIT lazily once now ≥ arrival. */
  status: 'DOCKED' | 'IN_ORBIT' | 'IN_TRANSIT';
  flightMode: FlightMode;
  origin: string;
  /** Real epoch ms. */
  departureMs: number;
  arrivalMs: number;
  fuel: number;
  fuelConsumed?: { amount: number; timestampMs: number };
  /** tradeSymbol → units, in insertion order. */
  cargo: Record<string, number>;
  /** Mounts and non-cargo modules when they differ from the type's loadout (equipment.ts); absent: the loadout. */
  mounts?: string[];
  modules?: string[];
  /** The reactor's cooldown after a jump, extraction, survey, siphon or refine: game seconds it lasted, real epoch ms it ends. */
  cooldown?: { totalSeconds: number; expirationMs: number };
}

/** A survey (ops/surveys.ts): a finite budget of units at one asteroid, until it expires. */
export interface SurveyState {
  signature: string;
  /** The waypoint surveyed. */
  symbol: string;
  /** Deposit trade symbols, duplicates meaning a likelier yield. */
  deposits: string[];
  size: 'SMALL' | 'MODERATE' | 'LARGE';
  /** Units still extractable; 0 = exhausted (4224). */
  unitsLeft: number;
  unitsTotal: number;
  /** The expiration as issued (ISO, real time): the body a client sends back must carry it unchanged. */
  expiration: string;
  /** Game ms at which it expires (4221): game time, so /_sim/ clock advances expire it too. */
  expiresAtGameMs: number;
}

/** How strained an asteroid is by extraction (ops/extraction.ts: a leaky bucket in game time). */
export interface AsteroidState {
  strain: number;
  /** Game ms of the last strain update. */
  atGameMs: number;
  /** Game ms until which the asteroid is UNSTABLE (4253). */
  unstableUntilGameMs?: number;
}

/** One material of a construction site's bill, with what has been delivered. */
export interface ConstructionMaterialState {
  tradeSymbol: string;
  required: number;
  fulfilled: number;
}

export interface ContractState {
  id: string;
  agent: string;
  factionSymbol: string;
  tradeSymbol: string;
  destination: string;
  unitsRequired: number;
  unitsFulfilled: number;
  onAccepted: number;
  onFulfilled: number;
  accepted: boolean;
  fulfilled: boolean;
  /** Real epoch ms. */
  deadlineMs: number;
  deadlineToAcceptMs: number;
}

export interface ShipyardTransactionState {
  shipSymbol: string;
  shipType: string;
  price: number;
  agentSymbol: string;
  timestampMs: number;
}

export interface UniverseState {
  seed: number;
  /** Reset date (YYYY-MM-DD) embedded in tokens. */
  resetDate: string;
  /** Real epoch ms at creation. */
  createdMs: number;
  time: { anchorReal: number; anchorGame: number };
  agents: Record<string, AgentState>;
  /** token → agent symbol. */
  tokens: Record<string, string>;
  ships: Record<string, ShipState>;
  markets: Record<string, MarketState>;
  contracts: Record<string, ContractState>;
  shipyardTransactions: Record<string, ShipyardTransactionState[]>;
  /** Ship prices drift with purchases: shipyard → ship type → multiplier. */
  shipPriceFactor: Record<string, Record<string, number>>;
  /** Construction sites (jump gates that started under construction) → their bill as delivered so far. */
  constructions: Record<string, ConstructionMaterialState[]>;
  /** Waypoints charted by an agent since the start (they lose the UNCHARTED trait). */
  charts: Record<string, { submittedBy: string; submittedOnMs: number }>;
  counter: number;
  /** signature → survey (absent in saves from before surveys existed). */
  surveys?: Record<string, SurveyState>;
  /** waypoint → extraction strain (absent in saves from before extraction existed). */
  asteroids?: Record<string, AsteroidState>;
}
