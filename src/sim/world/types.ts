/**
 * The simulator's world format: one starting system, its markets and shipyards. A world is plain
 * JSON (worlds/*.json, produced by scripts/convert-world.mjs from a live capture) or the output of
 * the seeded generator (generate.ts). It is static input: the live state (stocks, ships, agents)
 * lives in the Universe and is saved with Universe.toJSON().
 */
import type { components } from '../../api/generated/spacetraders.js';

type S = components['schemas'];
export type TradeSymbol = S['TradeSymbol'];
export type WaypointType = S['WaypointType'];
export type WaypointTraitSymbol = S['WaypointTraitSymbol'];
export type ShipType = S['ShipType'];
export type SupplyLevel = S['SupplyLevel'];
export type ActivityLevel = S['ActivityLevel'];
export type TradeType = S['MarketTradeGood']['type'];

export const WORLD_FORMAT_VERSION = 1;

export interface WorldDefinition {
  /** Always WORLD_FORMAT_VERSION. */
  formatVersion: number;
  /** Where the world came from (a capture, or "generated seed N"). */
  source: string;
  system: WorldSystem;
  waypoints: WorldWaypoint[];
  markets: WorldMarket[];
  shipyards: WorldShipyard[];
  /** The waypoint that new agents get as headquarters (their command ship starts docked there). */
  headquarters: string;
  /** The faction new agents belong to. */
  faction: S['FactionSymbol'];
  /** Recipe map served by get-supply-chain and used for production (MECHANICS.md §1). */
  exportToImportMap: Record<string, string[]>;
  /**
   * A sector world: the other systems and every jump gate (the home gate included). Absent in a
   * one-system world, whose jump gate then has no connections and starts under construction with
   * the real bill (BEYOND.md a.3). See docs/sim.md "Sector world files".
   */
  sector?: WorldSector;
}

export interface WorldSector {
  /** Every system but the home one (which is the top level of the world). */
  systems: WorldSectorSystem[];
  /** One entry per JUMP_GATE waypoint of the sector, the home gate included. */
  jumpGates: WorldJumpGate[];
}

export interface WorldSectorSystem {
  system: WorldSystem;
  waypoints: WorldWaypoint[];
  markets: WorldMarket[];
  shipyards: WorldShipyard[];
}

export interface WorldJumpGate {
  /** The gate's waypoint symbol. */
  symbol: string;
  /** Waypoint symbols of the gates it connects to (listed even when the far gate is unbuilt). */
  connections: string[];
  /** Present when the gate starts UNDER_CONSTRUCTION: its bill of materials. */
  construction?: WorldConstructionMaterial[];
}

export interface WorldConstructionMaterial {
  tradeSymbol: TradeSymbol;
  required: number;
  /** Units already delivered when the world starts. */
  fulfilled: number;
}

/** The system a waypoint symbol belongs to: its first two dash-separated segments (X1-AD75-A1 → X1-AD75). */
export function systemOfWaypoint(symbol: string): string {
  const i = symbol.indexOf('-');
  const j = i < 0 ? -1 : symbol.indexOf('-', i + 1);
  return j < 0 ? symbol : symbol.slice(0, j);
}

export interface WorldSystem {
  symbol: string;
  sectorSymbol: string;
  type: S['SystemType'];
  x: number;
  y: number;
  name?: string;
  constellation?: string;
}

export interface WorldWaypoint {
  symbol: string;
  type: WaypointType;
  x: number;
  y: number;
  /** Parent waypoint for moons and stations (they share its x, y). */
  orbits?: string;
  traits: WaypointTraitSymbol[];
  isUnderConstruction?: boolean;
}

/**
 * One good at one market. The economy keeps a hidden continuous supply coordinate per good
 * (see engine/economy.ts): `supply` and `price` fix where it starts and what it reverts to.
 */
export interface WorldMarketGood {
  symbol: TradeSymbol;
  type: TradeType;
  tradeVolume: number;
  /** Starting supply label (the coordinate starts in the middle of this band). */
  supply: SupplyLevel;
  /** Starting sell price (the bid) at that supply; the ask derives from it. */
  sellPrice: number;
  /** Starting purchase price (the ask), informative; the engine derives asks from bids. */
  purchasePrice?: number;
  /** Observed activity (informative: the engine computes activity from input stocks). */
  activity?: ActivityLevel;
}

export interface WorldMarket {
  symbol: string;
  goods: WorldMarketGood[];
}

export interface WorldShipyardShip {
  type: ShipType;
  purchasePrice: number;
  supply: SupplyLevel;
  activity?: ActivityLevel;
}

export interface WorldShipyard {
  symbol: string;
  modificationsFee: number;
  ships: WorldShipyardShip[];
}
