/**
 * Jump gates (BEYOND.md a.1, a.2): reading a gate's connections, charting a waypoint, and jumping
 * between systems. A jump is instantaneous, burns no fuel, charges one ANTIMATTER at the origin
 * gate's market price and puts the reactor on cooldown for round(15 + 0.3·d) game seconds.
 */
import { goodPrices, applyPurchase } from '../economy.js';
import { ApiError, gameError } from '../errors.js';
import { isoTime } from '../render.js';
import type { OpContext, Universe } from '../universe.js';
import type { ShipState } from '../state.js';
import type { WorldWaypoint } from '../../world/types.js';
import { agentOf, bodyObject, ok, requireString, type Operation } from './common.js';
import { inTransit } from './contracts.js';
import { startCooldown } from './extraction-rules.js';
import { record } from './markets.js';
import { renderWaypoint, requireWaypoint } from './systems.js';

function shipOf(ctx: OpContext): ShipState {
  return ctx.u.ownShip(agentOf(ctx), ctx.req.params['shipSymbol']);
}

/** 4000 while the ship's reactor cools down (BEYOND.md a.1: it blocks the next jump, not navigation). */
export function requireReactorReady(u: Universe, ship: ShipState): void {
  const remainingMs = ship.cooldown ? ship.cooldown.expirationMs - u.realNow() : 0;
  if (remainingMs <= 0) return;
  const remaining = Math.ceil(remainingMs / 1000);
  throw new ApiError(409, 4000, `Ship action is still on cooldown for ${remaining} second(s).`, { cooldown: u.renderCooldown(ship) });
}

function getJumpGate(ctx: OpContext) {
  const { u } = ctx;
  const w = requireWaypoint(ctx);
  const gate = u.gates.get(w.symbol);
  if (!gate) throw new ApiError(400, 4001, `Waypoint ${w.symbol} is not a jump gate.`, { waypointSymbol: w.symbol });
  if (!u.isCharted(w) && !u.hasShipAt(ctx.agent, w.symbol)) {
    throw new ApiError(400, 4001, `Jump gate ${w.symbol} is not accessible: it is uncharted and no ship of yours is present. Send a ship there (and POST /my/ships/{shipSymbol}/chart to make it readable for everyone).`, { waypointSymbol: w.symbol });
  }
  return ok({ symbol: gate.symbol, connections: [...gate.connections] });
}

function chart(ctx: OpContext) {
  const { u } = ctx;
  const agent = agentOf(ctx);
  const ship = shipOf(ctx);
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  const w = u.waypoint(ship.waypoint)!;
  if (u.isCharted(w)) throw gameError(4230, `Waypoint ${w.symbol} has already been charted.`, { waypointSymbol: w.symbol });
  const now = u.realNow();
  u.state.charts[w.symbol] = { submittedBy: agent.symbol, submittedOnMs: now };
  agent.credits += u.config.chartReward;
  return ok({ chart: { waypointSymbol: w.symbol, submittedBy: agent.symbol, submittedOn: isoTime(now) }, waypoint: renderWaypoint(u, w), agent: u.renderAgent(agent) }, 201);
}

function jump(ctx: OpContext) {
  const { u } = ctx;
  const agent = agentOf(ctx);
  const ship = shipOf(ctx);
  const destination = requireString(bodyObject(ctx), 'waypointSymbol').toUpperCase();
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  if (ship.status !== 'IN_ORBIT') throw gameError(4236, `Ship action failed. Ship is not currently in orbit at ${ship.waypoint}.`, { waypointSymbol: ship.waypoint });
  const origin = u.gates.get(ship.waypoint);
  const from: WorldWaypoint = u.waypoint(ship.waypoint)!;
  if (!origin) {
    throw gameError(4254, `Ship jump failed. Ship ${ship.symbol} is at ${from.symbol}, a ${from.type}, not at a jump gate; navigate to the system's JUMP_GATE first.`, { shipSymbol: ship.symbol, waypointSymbol: from.symbol });
  }
  requireReactorReady(u, ship);
  const to = u.waypoint(destination);
  if (!to) throw new ApiError(404, 404, `Waypoint ${destination} not found.`, { waypointSymbol: destination });
  if (u.systemOf(destination) === u.systemOf(from.symbol)) {
    throw gameError(4208, `Ship jump failed. ${destination} is in the current system ${u.systemOf(from.symbol)}; navigate there instead.`, { waypointSymbol: destination });
  }
  if (u.isUnderConstruction(from)) {
    throw gameError(4256, `Ship jump failed. The origin jump gate ${from.symbol} is still under construction (GET /systems/${u.systemOf(from.symbol)}/waypoints/${from.symbol}/construction).`, { waypointSymbol: from.symbol });
  }
  if (!origin.connections.includes(destination)) {
    throw gameError(4255, `Ship jump failed. Waypoint ${destination} is not connected to the current location ${from.symbol}.`, { waypointSymbol: destination, connections: [...origin.connections] });
  }
  if (u.isUnderConstruction(to)) {
    throw gameError(4262, `Ship jump failed. The destination jump gate ${destination} is still under construction.`, { waypointSymbol: destination });
  }
  const market = u.market(from.symbol);
  const antimatter = market?.goods.find((g) => g.symbol === 'ANTIMATTER');
  if (!market || !antimatter) throw gameError(4212, `Ship jump failed. No ANTIMATTER is sold at ${from.symbol} to power the jump.`, { waypointSymbol: from.symbol });
  const price = goodPrices(antimatter, u.config).purchasePrice;
  if (agent.credits < price) {
    throw gameError(4600, `Purchase of antimatter failed. Insufficient credits: the jump costs ${price} and agent ${agent.symbol} has ${agent.credits}.`, {
      agentCredits: agent.credits, totalPrice: price, tradeSymbol: 'ANTIMATTER', units: 1, purchasePrice: price,
    });
  }
  agent.credits -= price;
  applyPurchase(antimatter, 1, u.config);
  const now = u.realNow();
  const transaction = record(u, market, { shipSymbol: ship.symbol, tradeSymbol: 'ANTIMATTER', type: 'PURCHASE', units: 1, pricePerUnit: price, totalPrice: price, timestamp: now });
  const a = u.systems.get(u.systemOf(from.symbol))!.system;
  const b = u.systems.get(u.systemOf(destination))!.system;
  const totalSeconds = Math.round(u.config.jumpCooldown.baseSeconds + u.config.jumpCooldown.perDistance * Math.hypot(a.x - b.x, a.y - b.y));
  const cooldown = startCooldown(u, ship, totalSeconds);
  ship.origin = from.symbol;
  ship.waypoint = destination;
  ship.departureMs = now;
  ship.arrivalMs = now;
  ship.status = 'IN_ORBIT';
  return ok({ nav: u.renderNav(ship), cooldown, transaction, agent: u.renderAgent(agent) });
}

export const GATE_OPERATIONS: Record<string, Operation> = {
  'get-jump-gate': { auth: 'optional', run: getJumpGate },
  'create-chart': { auth: 'required', run: chart },
  'jump-ship': { auth: 'required', run: jump },
};
