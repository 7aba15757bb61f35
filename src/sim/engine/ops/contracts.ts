/** Contracts (BEYOND.md c.1): a starter PROCUREMENT contract per agent; negotiate, accept, deliver, fulfill, deadlines. */
import type { components } from '../../../api/generated/spacetraders.js';
import { ApiError, gameError } from '../errors.js';
import { applySale, goodPrices } from '../economy.js';
import { isoTime } from '../render.js';
import type { OpContext, Universe } from '../universe.js';
import type { AgentState, ContractState } from '../state.js';
import { agentOf, bodyObject, ok, paginate, requirePositiveInt, requireString, requireTradeSymbol, type Operation } from './common.js';
import { dice } from './extraction-rules.js';

type S = components['schemas'];

const DAY_SECONDS = 86_400;

/**
 * The starter contract: deliver a modest amount of a cheap good some market imports, to that
 * market. Chosen deterministically from the world and the number of agents.
 */
export function createStarterContract(u: Universe, agent: AgentState): S['Contract'] {
  const candidates: ContractGood[] = [];
  for (const m of u.world.markets) {
    const state = u.state.markets[m.symbol];
    for (const g of state?.goods ?? []) {
      if (g.type !== 'IMPORT') continue;
      const price = goodPrices(g, u.config).sellPrice;
      if (price <= 2000) candidates.push({ market: m.symbol, symbol: g.symbol, price });
    }
  }
  const pick = candidates.length > 0 ? candidates[(Object.keys(u.state.agents).length * 7 + u.state.seed) % candidates.length]! : { market: u.world.headquarters, symbol: 'FUEL', price: 70 };
  return renderContract(offerContract(u, agent, agent.faction, pick));
}

interface ContractGood {
  /** The destination: a market that imports the good. */
  market: string;
  symbol: string;
  /** Its bid there when the contract is offered. */
  price: number;
}

/**
 * A PROCUREMENT offer (BEYOND.md c.1): about 30,000 credits' worth of the good at its bid (10 to
 * 60 units), paying 25% of that on accepting and 110% on fulfilling; accept within a game day,
 * deliver within seven.
 */
function offerContract(u: Universe, agent: AgentState, factionSymbol: string, pick: ContractGood): ContractState {
  const units = Math.max(10, Math.min(60, Math.round(30_000 / Math.max(1, pick.price))));
  const now = u.realNow();
  u.state.counter += 1;
  const contract: ContractState = {
    id: `cmsim${u.state.seed.toString(36)}${u.state.counter.toString(36).padStart(6, '0')}`,
    agent: agent.symbol,
    factionSymbol,
    tradeSymbol: pick.symbol,
    destination: pick.market,
    unitsRequired: units,
    unitsFulfilled: 0,
    onAccepted: Math.round(units * pick.price * 0.25),
    onFulfilled: Math.round(units * pick.price * 1.1),
    accepted: false,
    fulfilled: false,
    deadlineMs: now + u.time.realMsFor(7 * DAY_SECONDS),
    deadlineToAcceptMs: now + u.time.realMsFor(DAY_SECONDS),
  };
  u.state.contracts[contract.id] = contract;
  agent.contractIds.push(contract.id);
  return contract;
}

/** Offered and still acceptable, or accepted and neither fulfilled nor past its deadline. */
function isOpen(u: Universe, c: ContractState): boolean {
  if (c.fulfilled) return false;
  return c.accepted ? u.realNow() <= c.deadlineMs : u.realNow() <= c.deadlineToAcceptMs;
}

/**
 * POST /my/ships/{s}/negotiate/contract: the ship docked at a waypoint with a faction (every
 * waypoint of the sim carries the system's faction, as get-waypoint shows); one open contract at a
 * time (4511). The good is one some market of the ship's system imports (the destination) and
 * another market there sells, so the contract can always be sourced by buying.
 */
function negotiate(ctx: OpContext) {
  const { u } = ctx;
  const agent = agentOf(ctx);
  const ship = u.ownShip(agent, ctx.req.params['shipSymbol']);
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  if (ship.status !== 'DOCKED') {
    throw gameError(4244, `Failed to negotiate a contract. Ship ${ship.symbol} must be docked at a faction waypoint to negotiate (POST .../dock).`, { shipSymbol: ship.symbol, waypointSymbol: ship.waypoint });
  }
  const open = agent.contractIds.map((id) => u.state.contracts[id]!).find((c) => isOpen(u, c));
  if (open) {
    throw gameError(4511, `Agent ${agent.symbol} already has an open contract (${open.id}): fulfil it, or let it pass its deadline, before negotiating another.`, { contractId: open.id });
  }
  // The contract's destination and sources lie in the ship's system.
  const markets = u.systems.get(u.systemOf(ship.waypoint))?.markets ?? u.world.markets;
  const sold = new Set<string>();
  for (const m of markets) for (const g of u.state.markets[m.symbol]?.goods ?? []) if (g.type !== 'IMPORT') sold.add(`${g.symbol}@${m.symbol}`);
  const candidates: ContractGood[] = [];
  for (const m of markets) {
    for (const g of u.market(m.symbol)?.goods ?? []) {
      if (g.type !== 'IMPORT') continue;
      const elsewhere = markets.some((o) => o.symbol !== m.symbol && sold.has(`${g.symbol}@${o.symbol}`));
      const price = goodPrices(g, u.config).sellPrice;
      if (elsewhere && price <= 2000) candidates.push({ market: m.symbol, symbol: g.symbol, price });
    }
  }
  if (candidates.length === 0) {
    throw gameError(4700, `No faction at ${ship.waypoint} has work to offer: no market of this system imports a good that another of its markets sells.`, { waypointSymbol: ship.waypoint });
  }
  const pick = candidates[Math.floor(dice(u)() * candidates.length)]!;
  const contract = offerContract(u, agent, u.world.faction, pick);
  return ok({ contract: renderContract(contract) }, 201);
}

export function renderContract(c: ContractState): S['Contract'] {
  return {
    id: c.id,
    factionSymbol: c.factionSymbol,
    type: 'PROCUREMENT',
    terms: {
      deadline: isoTime(c.deadlineMs),
      payment: { onAccepted: c.onAccepted, onFulfilled: c.onFulfilled },
      deliver: [{ tradeSymbol: c.tradeSymbol, destinationSymbol: c.destination, unitsRequired: c.unitsRequired, unitsFulfilled: c.unitsFulfilled }],
    },
    accepted: c.accepted,
    fulfilled: c.fulfilled,
    expiration: isoTime(c.deadlineToAcceptMs),
    deadlineToAccept: isoTime(c.deadlineToAcceptMs),
  };
}

function ownContract(ctx: OpContext): ContractState {
  const agent = agentOf(ctx);
  const id = ctx.req.params['contractId'] ?? '';
  const c = ctx.u.state.contracts[id];
  if (!c || c.agent !== agent.symbol) throw new ApiError(404, 404, `Contract ${id} not found.`, { contractId: id });
  return c;
}

function accept(ctx: OpContext) {
  const agent = agentOf(ctx);
  const c = ownContract(ctx);
  if (c.accepted) throw gameError(4501, `Contract ${c.id} has already been accepted.`, { contractId: c.id });
  if (ctx.u.realNow() > c.deadlineToAcceptMs) throw gameError(4503, `Contract ${c.id} can no longer be accepted: its deadline to accept has passed.`, { contractId: c.id });
  c.accepted = true;
  agent.credits += c.onAccepted;
  return ok({ agent: ctx.u.renderAgent(agent), contract: renderContract(c) });
}

function deliver(ctx: OpContext) {
  const agent = agentOf(ctx);
  const c = ownContract(ctx);
  const body = bodyObject(ctx);
  const shipSymbol = requireString(body, 'shipSymbol');
  const tradeSymbol = requireTradeSymbol(body, 'tradeSymbol');
  const units = requirePositiveInt(body, 'units');
  const ship = ctx.u.ownShip(agent, shipSymbol);
  requireLive(ctx.u, c);
  if (ship.status === 'IN_TRANSIT') throw inTransit(ctx.u, ship.symbol);
  if (ship.status !== 'DOCKED') throw gameError(4244, `Failed to update ship cargo. Ship ${ship.symbol} must be docked to deliver contract goods.`, { shipSymbol: ship.symbol });
  if (ship.waypoint !== c.destination) throw gameError(4510, `Failed to deliver contract goods. Ship ${ship.symbol} is not at the delivery destination ${c.destination}.`, { shipSymbol: ship.symbol, destinationSymbol: c.destination });
  if (tradeSymbol !== c.tradeSymbol) throw gameError(4508, `Contract ${c.id} does not require ${tradeSymbol}.`, { contractId: c.id, tradeSymbol });
  const have = ship.cargo[tradeSymbol] ?? 0;
  if (have < units) throw gameError(4219, `Failed to update ship cargo. Cannot remove ${units} unit(s) of ${tradeSymbol}: ship has ${have}.`, { shipSymbol: ship.symbol, tradeSymbol, cargoUnits: have, unitsToRemove: units });
  const remaining = c.unitsRequired - c.unitsFulfilled;
  if (units > remaining) throw gameError(4509, `Contract ${c.id} needs only ${remaining} more unit(s) of ${tradeSymbol}.`, { contractId: c.id, unitsRemaining: remaining });
  setCargo(ship.cargo, tradeSymbol, have - units);
  c.unitsFulfilled += units;
  return ok({ contract: renderContract(c), cargo: ctx.u.renderCargo(ship) });
}

function fulfill(ctx: OpContext) {
  const agent = agentOf(ctx);
  const c = ownContract(ctx);
  requireLive(ctx.u, c);
  if (c.unitsFulfilled < c.unitsRequired) throw gameError(4502, `Contract ${c.id} terms are not met: ${c.unitsFulfilled} of ${c.unitsRequired} ${c.tradeSymbol} delivered.`, { contractId: c.id });
  c.fulfilled = true;
  agent.credits += c.onFulfilled;
  // The delivered goods reach the destination market: its supply rises as if they were sold there (MECHANICS.md §3.5).
  const good = ctx.u.market(c.destination)?.goods.find((g) => g.symbol === c.tradeSymbol);
  if (good) applySale(good, c.unitsRequired, ctx.u.config);
  return ok({ agent: ctx.u.renderAgent(agent), contract: renderContract(c) });
}

/** Accepted, not yet fulfilled, and within its deadline (4505, 4504, 4503). */
function requireLive(u: Universe, c: ContractState): void {
  if (!c.accepted) throw gameError(4505, `Contract ${c.id} has not been accepted.`, { contractId: c.id });
  if (c.fulfilled) throw gameError(4504, `Contract ${c.id} has already been fulfilled.`, { contractId: c.id });
  if (u.realNow() > c.deadlineMs) throw gameError(4503, `Contract ${c.id} has passed its deadline (${isoTime(c.deadlineMs)}); its terms can no longer be met.`, { contractId: c.id, deadline: isoTime(c.deadlineMs) });
}

export function setCargo(cargo: Record<string, number>, symbol: string, units: number): void {
  if (units <= 0) delete cargo[symbol];
  else cargo[symbol] = units;
}

/** 4214 with the flight's data (MECHANICS.md §2.6). */
export function inTransit(u: Universe, shipSymbol: string): ApiError {
  const ship = u.state.ships[shipSymbol]!;
  const secondsToArrival = Math.max(0, Math.ceil((ship.arrivalMs - u.realNow()) / 1000));
  return gameError(4214, `Ship is currently in-transit from ${ship.origin} to ${ship.waypoint} and arrives in ${secondsToArrival} seconds.`, {
    departureSymbol: ship.origin,
    destinationSymbol: ship.waypoint,
    arrival: isoTime(ship.arrivalMs),
    departureTime: isoTime(ship.departureMs),
    secondsToArrival,
  });
}

export const CONTRACT_OPERATIONS: Record<string, Operation> = {
  'get-contracts': { auth: 'required', run: (ctx) => paginate(ctx, agentOf(ctx).contractIds.map((id) => renderContract(ctx.u.state.contracts[id]!))) },
  'get-contract': { auth: 'required', run: (ctx) => ok(renderContract(ownContract(ctx))) },
  'accept-contract': { auth: 'required', run: accept },
  'deliver-contract': { auth: 'required', run: deliver },
  'fulfill-contract': { auth: 'required', run: fulfill },
  negotiateContract: { auth: 'required', run: negotiate },
};
