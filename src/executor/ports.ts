import type { Agent, Construction, Contract, Cooldown, FlightMode, Market, MarketTradeGood, MarketTransaction, Ship, ShipCargo, ShipFuel, ShipNav, Survey } from '../api/types.js';

export type { Agent, Cooldown, FlightMode, Market, MarketTradeGood, MarketTransaction, Ship, ShipCargo, ShipFuel, ShipNav, Survey };


/**
 * The part of the SpaceTraders client (src/api) that apply uses. The real `SpaceTradersClient`
 * satisfies it structurally; tests may pass a small in-memory game instead.
 */
export interface GameClient {
  getAgent(): Promise<Agent>;
  getShip(ship: string): Promise<Ship>;
  /** Every ship of the agent, paginated (one call per 20 ships): apply's pre-flight read of its fleet. */
  listShips?(): Promise<Ship[]>;
  orbit(ship: string): Promise<{ nav: ShipNav }>;
  dock(ship: string): Promise<{ nav: ShipNav }>;
  navigate(ship: string, waypoint: string): Promise<{ nav: ShipNav; fuel: ShipFuel }>;
  setFlightMode(ship: string, mode: FlightMode): Promise<{ nav: ShipNav; fuel?: ShipFuel }>;
  refuel(ship: string, opts?: { units?: number }): Promise<{ agent: Agent; fuel: ShipFuel; transaction: MarketTransaction }>;
  purchaseCargo(ship: string, good: string, units: number): Promise<{ agent: Agent; cargo: ShipCargo; transaction: MarketTransaction }>;
  sellCargo(ship: string, good: string, units: number): Promise<{ agent: Agent; cargo: ShipCargo; transaction: MarketTransaction }>;
  getMarket(system: string, waypoint: string): Promise<Market>;
  /** Delivers cargo to an accepted contract (destination kind 'contract'). */
  deliverContract?(id: string, ship: string, good: string, units: number): Promise<{ cargo: ShipCargo }>;
  /** Reads, accepts and fulfils the contract a plan delivers to (src/contracts/apply.ts). */
  getContract?(id: string): Promise<Contract>;
  acceptContract?(id: string): Promise<{ contract: Contract; agent: Agent }>;
  fulfillContract?(id: string): Promise<{ contract: Contract; agent: Agent }>;
  /** (issue 14) Extraction crews (src/executor/extraction). */
  createSurvey?(ship: string): Promise<{ cooldown: Cooldown; surveys: Survey[] }>;
  extract?(ship: string): Promise<{ cooldown: Cooldown; cargo: ShipCargo; extraction: { yield: { symbol: string; units: number } } }>;
  extractWithSurvey?(ship: string, survey: Survey): Promise<{ cooldown: Cooldown; cargo: ShipCargo; extraction: { yield: { symbol: string; units: number } } }>;
  siphon?(ship: string): Promise<{ cooldown: Cooldown; cargo: ShipCargo; siphon: { yield: { symbol: string; units: number } } }>;
  transferCargo?(fromShip: string, toShip: string, good: string, units: number): Promise<{ cargo: ShipCargo }>;
  jettison?(ship: string, good: string, units: number): Promise<{ cargo: ShipCargo }>;
  /** (issue 13) Jumps from the gate the ship orbits to a connected gate (plans across systems). */
  jump?(ship: string, waypoint: string): Promise<{ nav: ShipNav; cooldown: NonNullable<Ship['cooldown']>; transaction: MarketTransaction; agent: Agent }>;
  /** Reads a construction site and supplies it (destination kind 'construction', src/construction). */
  getConstruction?(system: string, waypoint: string): Promise<Construction>;
  supplyConstruction?(system: string, waypoint: string, ship: string, good: string, units: number): Promise<{ construction: Construction; cargo: ShipCargo }>;
  metrics?: { snapshot(): unknown };
}

/** The game error code of a refused call (GameError of src/api), if it is one. */
export function gameErrorCode(e: unknown): number | undefined {
  const err = e as { gameCode?: unknown; code?: unknown } | undefined;
  if (typeof err?.gameCode === 'number') return err.gameCode;
  return typeof err?.code === 'number' ? err.code : undefined;
}

export function gameErrorData(e: unknown): Record<string, unknown> {
  const data = (e as { data?: unknown } | undefined)?.data;
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}

/** A POST whose outcome is unknown (timeout, dropped response): reconcile, never blindly retry. */
export function isOutcomeUnknown(e: unknown): boolean {
  return (e as { name?: string } | undefined)?.name === 'OutcomeUnknownError';
}

/** The ship is gone (404) or the account cannot use it. */
export function isShipGone(e: unknown): boolean {
  const err = e as { status?: unknown; name?: string } | undefined;
  return err?.name === 'GameError' ? err.status === 404 : gameErrorCode(e) === 404;
}

export { systemOf } from '../api/symbols.js';

/**
 * The agent's ships by symbol, as the game shows them now: one list call when the client has it
 * (a page per 20 ships; then every ship of the agent is in the map, the wanted ones and others),
 * else one read per wanted ship (small test doubles). A ship that is gone is absent.
 */
export async function readShips(client: GameClient, wanted: Iterable<string>): Promise<Map<string, Ship>> {
  const want = new Set(wanted);
  const out = new Map<string, Ship>();
  if (client.listShips) {
    for (const s of await client.listShips()) out.set(s.symbol, s);
    return out;
  }
  for (const symbol of want) {
    try {
      out.set(symbol, await client.getShip(symbol));
    } catch (e) {
      if (!isShipGone(e)) throw e;
    }
  }
  return out;
}

export function unitsInHold(cargo: ShipCargo, good: string): number {
  return cargo.inventory.find((i) => i.symbol === good)?.units ?? 0;
}

/** Normalises the api's metrics snapshot to the journal's counters (best effort: fields may differ). */
export function apiCounters(snapshot: unknown): { requests: number; purchases: number; sales: number; rateLimited: number; errors: number } {
  const s = (snapshot ?? {}) as Record<string, unknown>;
  const num = (...keys: string[]): number => {
    for (const k of keys) if (typeof s[k] === 'number') return s[k] as number;
    return 0;
  };
  const byRoute = (s.requests && typeof s.requests === 'object' ? s.requests : {}) as Record<string, number>;
  const route = (suffix: string): number => Object.entries(byRoute).filter(([k]) => k.endsWith(suffix)).reduce((a, [, v]) => a + v, 0);
  const errors = (s.errors && typeof s.errors === 'object' ? Object.values(s.errors as Record<string, number>).reduce((a, v) => a + v, 0) : 0) || num('errors');
  return {
    requests: num('requestsTotal', 'total'),
    purchases: route('/purchase'),
    sales: route('/sell'),
    rateLimited: num('rateLimited429', 'rateLimited'),
    errors,
  };
}
