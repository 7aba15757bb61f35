/** Ships: views, the orbit/dock/transit state machine, navigation, cargo moves and buying ships (MECHANICS.md §2, §6). */
import { FLIGHT_MODES, distance, fuelCost, travelSeconds, type FlightMode } from '../../../game/index.js';
import { ApiError, gameError, invalidBody } from '../errors.js';
import { isoTime } from '../render.js';
import type { OpContext, Universe } from '../universe.js';
import type { ShipState } from '../state.js';
import type { ShipType } from '../../world/types.js';
import { agentOf, bodyObject, ok, paginate, requirePositiveInt, requireString, requireTradeSymbol, type Operation } from './common.js';
import { inTransit, setCargo } from './contracts.js';
import { newShip } from './agents.js';
import { shipPrice } from './systems.js';

function shipOf(ctx: OpContext): ShipState {
  return ctx.u.ownShip(agentOf(ctx), ctx.req.params['shipSymbol']);
}

function orbit(ctx: OpContext) {
  const ship = shipOf(ctx);
  if (ship.status === 'IN_TRANSIT') throw inTransit(ctx.u, ship.symbol);
  ship.status = 'IN_ORBIT';
  return ok({ nav: ctx.u.renderNav(ship) });
}

function dock(ctx: OpContext) {
  const ship = shipOf(ctx);
  if (ship.status === 'IN_TRANSIT') throw inTransit(ctx.u, ship.symbol);
  ship.status = 'DOCKED';
  return ok({ nav: ctx.u.renderNav(ship) });
}

function flightSeconds(u: Universe, ship: ShipState, d: number, mode: FlightMode): number {
  return travelSeconds(d, mode, u.config.ships[ship.type].engineSpeed, u.config.navMultipliers, u.config.navBaseSeconds);
}

function navigate(ctx: OpContext) {
  const { u } = ctx;
  const ship = shipOf(ctx);
  const destination = requireString(bodyObject(ctx), 'waypointSymbol').toUpperCase();
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  if (ship.status !== 'IN_ORBIT') {
    throw gameError(4236, `Ship action failed. Ship is not currently in orbit at ${ship.waypoint}.`, { waypointSymbol: ship.waypoint });
  }
  const to = u.waypoint(destination);
  if (!to) {
    const system = u.systemOf(ship.waypoint);
    // Not a full SECTOR-SYSTEM-WAYPOINT symbol (e.g. "A4"): an unknown waypoint, not another system.
    if (destination.split('-').length < 3) {
      const full = u.waypoint(`${system}-${destination}`) ? ` Waypoint symbols include the system: ${system}-${destination}.` : '';
      throw new ApiError(404, 404, `Waypoint ${destination} not found in system ${system}.${full}`, { waypointSymbol: destination });
    }
    if (!destination.startsWith(`${system}-`)) {
      throw gameError(4202, `Navigate request failed. Waypoint ${destination} is outside of the current system ${system}; navigation outside the system requires a jump or warp.`, { waypointSymbol: destination });
    }
    throw new ApiError(404, 404, `Waypoint ${destination} not found in system ${system}.`, { waypointSymbol: destination });
  }
  if (u.systemOf(destination) !== u.systemOf(ship.waypoint)) {
    const system = u.systemOf(ship.waypoint);
    throw gameError(4202, `Navigate request failed. Waypoint ${destination} is outside of the current system ${system}; navigation outside the system requires a jump (POST /my/ships/${ship.symbol}/jump from the system's jump gate) or a warp.`, { waypointSymbol: destination });
  }
  if (destination === ship.waypoint) {
    throw gameError(4204, 'Navigate request failed. Ship is currently located at the destination.', { destinationSymbol: destination });
  }
  const from = u.waypoint(ship.waypoint)!;
  const d = distance(from, to);
  const capacity = u.config.ships[ship.type].fuelCapacity;
  const fuelRequired = fuelCost(d, ship.flightMode, capacity);
  if (fuelRequired > ship.fuel) {
    throw gameError(4203, `Navigate request failed. Ship ${ship.symbol} requires ${fuelRequired - ship.fuel} more fuel for navigation.`, {
      shipSymbol: ship.symbol, fuelRequired, fuelAvailable: ship.fuel,
    });
  }
  const now = u.realNow();
  ship.fuel -= fuelRequired;
  ship.fuelConsumed = { amount: fuelRequired, timestampMs: now };
  ship.origin = ship.waypoint;
  ship.waypoint = destination;
  ship.departureMs = now;
  ship.arrivalMs = Math.round(now + u.time.realMsFor(flightSeconds(u, ship, d, ship.flightMode)));
  ship.status = 'IN_TRANSIT';
  return ok({ fuel: u.renderFuel(ship), nav: u.renderNav(ship), events: [] });
}

function patchNav(ctx: OpContext) {
  const { u } = ctx;
  const ship = shipOf(ctx);
  const body = bodyObject(ctx);
  const mode = body['flightMode'];
  if (mode === undefined) return ok({ nav: u.renderNav(ship), fuel: u.renderFuel(ship), events: [] });
  if (typeof mode !== 'string' || !FLIGHT_MODES.includes(mode as FlightMode)) throw invalidBody('flightMode', `must be one of ${FLIGHT_MODES.join(', ')}`);
  const next = mode as FlightMode;
  if (ship.status === 'IN_TRANSIT' && next !== ship.flightMode) {
    const m = u.config.navMultipliers;
    if (m[next] > m[ship.flightMode]) {
      throw gameError(4269, `Cannot change flight mode of ship ${ship.symbol} from ${ship.flightMode} to the slower ${next} while in transit.`, { shipSymbol: ship.symbol });
    }
    // Faster while in transit: pay the extra fuel for the rest of the flight and arrive earlier (MECHANICS.md §2.4).
    const now = u.realNow();
    const total = ship.arrivalMs - ship.departureMs;
    const remaining = total > 0 ? Math.max(0, (ship.arrivalMs - now) / total) : 0;
    const d = distance(u.waypoint(ship.origin)!, u.waypoint(ship.waypoint)!);
    const capacity = u.config.ships[ship.type].fuelCapacity;
    const extra = Math.ceil(remaining * (fuelCost(d, next, capacity) - fuelCost(d, ship.flightMode, capacity)));
    if (extra > ship.fuel) {
      throw gameError(4203, `Navigate request failed. Ship ${ship.symbol} requires ${extra - ship.fuel} more fuel for navigation.`, { shipSymbol: ship.symbol, fuelRequired: extra, fuelAvailable: ship.fuel });
    }
    ship.fuel -= Math.max(0, extra);
    if (extra > 0) ship.fuelConsumed = { amount: extra, timestampMs: now };
    ship.arrivalMs = Math.round(now + remaining * u.time.realMsFor(flightSeconds(u, ship, d, next)));
  }
  ship.flightMode = next;
  return ok({ nav: u.renderNav(ship), fuel: u.renderFuel(ship), events: [] });
}

function transfer(ctx: OpContext) {
  const { u } = ctx;
  const agent = agentOf(ctx);
  const from = shipOf(ctx);
  const body = bodyObject(ctx);
  const symbol = requireTradeSymbol(body, 'tradeSymbol');
  const units = requirePositiveInt(body, 'units');
  const targetSymbol = requireString(body, 'shipSymbol').toUpperCase();
  const target = u.state.ships[targetSymbol];
  if (!target) throw gameError(4231, `Failed to transfer cargo. Ship ${targetSymbol} not found.`, { shipSymbol: targetSymbol });
  if (target.agent !== agent.symbol) throw gameError(4232, `Failed to transfer cargo. Ship ${targetSymbol} does not belong to agent ${agent.symbol}.`, { shipSymbol: targetSymbol });
  if (target.symbol === from.symbol) throw gameError(4233, 'Failed to transfer cargo. Cannot transfer cargo to the same ship.', { shipSymbol: targetSymbol });
  u.settle(target);
  if (from.status === 'IN_TRANSIT') throw inTransit(u, from.symbol);
  if (target.status === 'IN_TRANSIT') throw inTransit(u, target.symbol);
  if (from.waypoint !== target.waypoint) {
    throw gameError(4234, `Failed to transfer cargo. Ship ${from.symbol} is at ${from.waypoint} and ship ${target.symbol} is at ${target.waypoint}; both must be at the same waypoint.`, {
      fromShip: from.symbol, toShip: target.symbol,
    });
  }
  if (from.status !== target.status) {
    throw gameError(4271, `Failed to transfer cargo. Ship ${from.symbol} is ${from.status} and ship ${target.symbol} is ${target.status}; both must be docked or both in orbit.`, {
      fromShip: from.symbol, toShip: target.symbol,
    });
  }
  const have = from.cargo[symbol] ?? 0;
  if (have === 0) throw gameError(4218, `Failed to update ship cargo. Ship ${from.symbol} does not have any ${symbol}.`, { shipSymbol: from.symbol, tradeSymbol: symbol });
  if (have < units) throw gameError(4219, `Failed to update ship cargo. Cannot remove ${units} unit(s) of ${symbol} from ship cargo. Ship has ${have} unit(s).`, { shipSymbol: from.symbol, tradeSymbol: symbol, cargoUnits: have, unitsToRemove: units });
  const capacity = u.config.ships[target.type].cargoCapacity;
  const held = u.cargoUnits(target);
  if (held + units > capacity) {
    throw gameError(4217, `Failed to update ship cargo. Cannot add ${units} unit(s) to ship ${target.symbol} cargo. Exceeds max limit of ${capacity}.`, {
      shipSymbol: target.symbol, tradeSymbol: symbol, cargoUnits: held, unitsToAdd: units, cargoCapacity: capacity,
    });
  }
  setCargo(from.cargo, symbol, have - units);
  setCargo(target.cargo, symbol, (target.cargo[symbol] ?? 0) + units);
  return ok({ cargo: u.renderCargo(from) });
}

function jettison(ctx: OpContext) {
  const { u } = ctx;
  const ship = shipOf(ctx);
  const body = bodyObject(ctx);
  const symbol = requireTradeSymbol(body, 'symbol');
  const units = requirePositiveInt(body, 'units');
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  const have = ship.cargo[symbol] ?? 0;
  if (have === 0) throw gameError(4218, `Failed to update ship cargo. Ship ${ship.symbol} does not have any ${symbol}.`, { shipSymbol: ship.symbol, tradeSymbol: symbol });
  if (have < units) throw gameError(4219, `Failed to update ship cargo. Cannot remove ${units} unit(s) of ${symbol} from ship cargo. Ship has ${have} unit(s).`, { shipSymbol: ship.symbol, tradeSymbol: symbol, cargoUnits: have, unitsToRemove: units });
  setCargo(ship.cargo, symbol, have - units);
  return ok({ cargo: u.renderCargo(ship) });
}

function purchaseShip(ctx: OpContext) {
  const { u } = ctx;
  const agent = agentOf(ctx);
  const body = bodyObject(ctx);
  const shipType = requireString(body, 'shipType').toUpperCase() as ShipType;
  const waypoint = requireString(body, 'waypointSymbol').toUpperCase();
  if (!u.config.ships[shipType]) throw invalidBody('shipType', `must be one of ${Object.keys(u.config.ships).join(', ')}`);
  const yard = u.shipyards.get(waypoint);
  if (!yard) throw new ApiError(404, 404, `Waypoint ${waypoint} does not have a shipyard.`, { waypointSymbol: waypoint });
  if (!yard.ships.some((s) => s.type === shipType)) {
    throw gameError(4605, `Failed to purchase ship. Shipyard ${waypoint} does not sell ${shipType}.`, { waypointSymbol: waypoint, shipType });
  }
  if (!u.hasShipAt(agent, waypoint)) {
    throw gameError(4245, `Failed to purchase ship. Agent ${agent.symbol} does not have a ship present at waypoint ${waypoint}.`, { waypointSymbol: waypoint });
  }
  const price = shipPrice(u, yard, shipType);
  if (agent.credits < price) {
    throw gameError(4216, `Failed to purchase ship. Agent has insufficient funds: ${agent.credits} credits available, ${price} needed.`, { creditsAvailable: agent.credits, creditsNeeded: price });
  }
  agent.credits -= price;
  const ship = newShip(u, agent, shipType, waypoint);
  const now = u.realNow();
  const list = (u.state.shipyardTransactions[waypoint] ??= []);
  list.push({ shipSymbol: ship.symbol, shipType, price, agentSymbol: agent.symbol, timestampMs: now });
  if (list.length > 20) list.splice(0, list.length - 20);
  return ok(
    {
      agent: u.renderAgent(agent),
      ship: u.renderShip(ship),
      // ShipyardTransaction.shipSymbol is deprecated and holds the ship type (the spec says so); the new ship is data.ship.
      transaction: { waypointSymbol: waypoint, shipSymbol: shipType, shipType, price, agentSymbol: agent.symbol, timestamp: isoTime(now) },
    },
    201,
  );
}

export const SHIP_OPERATIONS: Record<string, Operation> = {
  'get-my-ships': { auth: 'required', run: (ctx) => paginate(ctx, ctx.u.agentShips(agentOf(ctx)).map((s) => ctx.u.renderShip(s))) },
  'get-my-ship': { auth: 'required', run: (ctx) => ok(ctx.u.renderShip(shipOf(ctx))) },
  'get-ship-nav': { auth: 'required', run: (ctx) => ok(ctx.u.renderNav(shipOf(ctx))) },
  'get-my-ship-cargo': { auth: 'required', run: (ctx) => ok(ctx.u.renderCargo(shipOf(ctx))) },
  /** The reactor cooldown while it runs (after a jump); 204 No Content with an undefined body when there is none. */
  'get-ship-cooldown': {
    auth: 'required',
    run: (ctx) => {
      const cooldown = ctx.u.renderCooldown(shipOf(ctx));
      return cooldown.remainingSeconds > 0 ? ok(cooldown) : { status: 204, body: undefined };
    },
  },
  'orbit-ship': { auth: 'required', run: orbit },
  'dock-ship': { auth: 'required', run: dock },
  'navigate-ship': { auth: 'required', run: navigate },
  'patch-ship-nav': { auth: 'required', run: patchNav },
  'transfer-cargo': { auth: 'required', run: transfer },
  jettison: { auth: 'required', run: jettison },
  'purchase-ship': { auth: 'required', run: purchaseShip },
};
