/**
 * What the simulator's admin endpoints (/_sim/..., src/sim/http/admin.ts) do to a universe: set
 * up scenarios that would take hours of play (credits, fleets, a market's supply) and move the
 * game clock. Nothing here exists on the real server. Errors are ApiErrors (404 unknown agent,
 * waypoint or good; 422 a bad value).
 */
import { ApiError } from './errors.js';
import { goodPrices, priceFactor, supplyCoordinate, supplyLabel } from './economy.js';
import type { Universe } from './universe.js';
import type { AgentState } from './state.js';
import type { ShipType, SupplyLevel } from '../world/types.js';
import { newShip } from './ops/agents.js';

const SUPPLY_LEVELS: readonly SupplyLevel[] = ['SCARCE', 'LIMITED', 'MODERATE', 'HIGH', 'ABUNDANT'];
const bad = (field: string, message: string): ApiError => new ApiError(422, 422, `${field} ${message}`, { [field]: [message] });

function agentOf(u: Universe, symbol: string): AgentState {
  const agent = u.state.agents[symbol.toUpperCase()];
  if (!agent) throw new ApiError(404, 404, `Agent ${symbol} not found.`, { agentSymbol: symbol });
  return agent;
}

/** Sets the agent's credits (`credits`) or adds to them (`add`, may be negative); never below 0. */
export function setCredits(u: Universe, agentSymbol: string, body: { credits?: unknown; add?: unknown }): { agentSymbol: string; credits: number } {
  const agent = agentOf(u, agentSymbol);
  if (Number.isInteger(body.credits) && (body.credits as number) >= 0) agent.credits = body.credits as number;
  else if (Number.isInteger(body.add)) agent.credits = Math.max(0, agent.credits + (body.add as number));
  else throw bad('credits', 'send {"credits": N} (N ≥ 0, sets) or {"add": N} (an integer, adds)');
  return { agentSymbol: agent.symbol, credits: agent.credits };
}

/** Gives the agent `count` new ships of `shipType`, docked at `waypointSymbol` with full tanks. */
export function addShips(u: Universe, agentSymbol: string, body: { shipType?: unknown; waypointSymbol?: unknown; count?: unknown }): { ships: string[] } {
  const agent = agentOf(u, agentSymbol);
  const type = typeof body.shipType === 'string' ? (body.shipType.toUpperCase() as ShipType) : undefined;
  if (!type || !u.config.ships[type]) throw bad('shipType', `must be one of ${Object.keys(u.config.ships).join(', ')}`);
  const waypoint = typeof body.waypointSymbol === 'string' ? body.waypointSymbol.toUpperCase() : '';
  if (!u.waypoint(waypoint)) throw new ApiError(404, 404, `Waypoint ${waypoint || '(none)'} not found.`, { waypointSymbol: waypoint });
  const count = body.count ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 100) throw bad('count', 'must be an integer from 1 to 100');
  const ships: string[] = [];
  for (let i = 0; i < (count as number); i++) ships.push(newShip(u, agent, type, waypoint).symbol);
  return { ships };
}

/**
 * Sets a market good's supply: a label (the coordinate goes to the middle of its band) or the
 * hidden coordinate `x` itself; optionally its tradeVolume, and its price level: `sellPrice` moves
 * the good's mean price so that, at its supply now, the market pays that (the ask follows by the
 * spread; a price shock, as when the real economy moves). Imports and exchange goods still
 * recover toward their starting level afterwards, exports still produce.
 */
export function setSupply(
  u: Universe,
  waypoint: string,
  good: string,
  body: { supply?: unknown; x?: unknown; tradeVolume?: unknown; sellPrice?: unknown },
): { waypointSymbol: string; tradeSymbol: string; supply: SupplyLevel; x: number; tradeVolume: number; purchasePrice: number; sellPrice: number } {
  const market = u.market(waypoint.toUpperCase());
  if (!market) throw new ApiError(404, 404, `No market at ${waypoint}.`, { waypointSymbol: waypoint });
  const g = market.goods.find((x) => x.symbol === good.toUpperCase());
  if (!g) throw new ApiError(404, 404, `Market ${market.symbol} does not trade ${good}.`, { waypointSymbol: market.symbol, tradeSymbol: good });
  if (typeof body.supply === 'string' && SUPPLY_LEVELS.includes(body.supply.toUpperCase() as SupplyLevel)) g.x = supplyCoordinate(body.supply.toUpperCase() as SupplyLevel);
  else if (typeof body.x === 'number' && body.x >= u.config.supplyMin && body.x <= u.config.supplyMax) g.x = body.x;
  else if (body.tradeVolume === undefined && body.sellPrice === undefined) throw bad('supply', `send {"supply": one of ${SUPPLY_LEVELS.join(', ')}} or {"x": ${u.config.supplyMin}..${u.config.supplyMax}}`);
  if (body.tradeVolume !== undefined) {
    if (!Number.isInteger(body.tradeVolume) || (body.tradeVolume as number) < 1) throw bad('tradeVolume', 'must be an integer of at least 1');
    g.tradeVolume = body.tradeVolume as number;
  }
  if (body.sellPrice !== undefined) {
    if (!Number.isInteger(body.sellPrice) || (body.sellPrice as number) < 1) throw bad('sellPrice', 'must be an integer of at least 1');
    g.meanPrice = (body.sellPrice as number) / priceFactor(g.type, g.x, u.config);
  }
  const prices = goodPrices(g, u.config);
  return { waypointSymbol: market.symbol, tradeSymbol: g.symbol, supply: supplyLabel(g.x), x: g.x, tradeVolume: g.tradeVolume, ...prices };
}

/**
 * Sets a construction site's bill: for each material named, `required` and/or `fulfilled`
 * (0 ≤ fulfilled ≤ required). A test builds a gate with a small bill this way; the materials
 * not named keep theirs. Construction stays monotone for supplies: only this endpoint lowers it.
 */
export function setConstruction(u: Universe, waypoint: string, body: { materials?: unknown }): { symbol: string; materials: Array<{ tradeSymbol: string; required: number; fulfilled: number }>; isComplete: boolean } {
  const symbol = waypoint.toUpperCase();
  const site = u.construction(symbol);
  if (!site) throw new ApiError(404, 404, `Waypoint ${symbol} is not a construction site.`, { waypointSymbol: symbol });
  if (!Array.isArray(body.materials) || body.materials.length === 0) throw bad('materials', 'send {"materials": [{"tradeSymbol": "FAB_MATS", "required": N, "fulfilled": N}]}');
  for (const raw of body.materials as Array<Record<string, unknown>>) {
    const m = site.find((x) => x.tradeSymbol === String(raw?.tradeSymbol ?? '').toUpperCase());
    if (!m) throw new ApiError(404, 404, `Material ${String(raw?.tradeSymbol)} is not on the bill of ${symbol} (${site.map((x) => x.tradeSymbol).join(', ')}).`, { waypointSymbol: symbol });
    const required = raw.required ?? m.required;
    const fulfilled = raw.fulfilled ?? Math.min(m.fulfilled, required as number);
    if (!Number.isInteger(required) || (required as number) < 0) throw bad('required', 'must be an integer of at least 0');
    if (!Number.isInteger(fulfilled) || (fulfilled as number) < 0 || (fulfilled as number) > (required as number)) throw bad('fulfilled', 'must be an integer from 0 to required');
    m.required = required as number;
    m.fulfilled = fulfilled as number;
  }
  const w = u.waypoint(symbol)!;
  return { symbol, materials: site.map((m) => ({ ...m })), isComplete: !u.isUnderConstruction(w) };
}

/**
 * Moves the game clock forward by `seconds` game seconds at once: markets produce, consume and
 * recover for that long (lazily, when next read), and every pending deadline (arrivals, reactor
 * cooldowns, contract deadlines) comes that much closer. Timestamps stay real time.
 */
export function advanceClock(u: Universe, body: { seconds?: unknown }): { advancedSeconds: number; gameSeconds: number } {
  const seconds = body.seconds;
  if (typeof seconds !== 'number' || !(seconds > 0) || seconds > 30 * 86_400) throw bad('seconds', 'must be a number of game seconds, above 0 and at most 30 days');
  const realMs = u.time.realMsFor(seconds);
  const now = u.realNow();
  u.time.advance(seconds);
  for (const ship of Object.values(u.state.ships)) {
    if (ship.status === 'IN_TRANSIT' && ship.arrivalMs > now) {
      ship.arrivalMs -= realMs;
      ship.departureMs -= realMs;
    }
    if (ship.cooldown && ship.cooldown.expirationMs > now) ship.cooldown.expirationMs -= realMs;
  }
  for (const c of Object.values(u.state.contracts)) {
    c.deadlineMs -= realMs;
    c.deadlineToAcceptMs -= realMs;
  }
  return { advancedSeconds: seconds, gameSeconds: Math.round(u.time.gameNow() / 1000) };
}

/** The sector at a glance, for /_sim/health. */
export function sectorSummary(u: Universe): { systems: number; waypoints: number; markets: number; jumpGates: number; gatesUnderConstruction: number; home: string } {
  let building = 0;
  for (const g of u.gates.keys()) if (u.isUnderConstruction(u.waypoint(g)!)) building++;
  return { systems: u.systems.size, waypoints: u.waypoints.size, markets: Object.keys(u.state.markets).length, jumpGates: u.gates.size, gatesUnderConstruction: building, home: u.world.system.symbol };
}

/**
 * (issue 13) Sets a jump gate's build state, as if someone had finished its construction
 * (`{"built": true}`: every material fulfilled) or as if it still needed work
 * (`{"built": false}`: every material back to 0 delivered, the real bill when it had none).
 * Scenarios only: in the game construction is monotone.
 */
export function setGateBuilt(u: Universe, waypoint: string, body: { built?: unknown }): { symbol: string; isComplete: boolean; materials: Array<{ tradeSymbol: string; required: number; fulfilled: number }> } {
  const symbol = waypoint.toUpperCase();
  const w = u.waypoint(symbol);
  if (!w || !u.gates.has(symbol)) throw new ApiError(404, 404, `No jump gate at ${waypoint}.`, { waypointSymbol: waypoint });
  if (typeof body.built !== 'boolean') throw bad('built', 'send {"built": true} or {"built": false} (under construction)');
  let site = u.state.constructions[symbol];
  if (!site) {
    site = [
      { tradeSymbol: 'FAB_MATS', required: 1600, fulfilled: 0 },
      { tradeSymbol: 'ADVANCED_CIRCUITRY', required: 400, fulfilled: 0 },
      { tradeSymbol: 'QUANTUM_STABILIZERS', required: 1, fulfilled: 1 },
    ];
    u.state.constructions[symbol] = site;
  }
  for (const m of site) m.fulfilled = body.built ? m.required : 0;
  return { symbol, isComplete: !u.isUnderConstruction(w), materials: site.map((m) => ({ ...m })) };
}
