/** Status, registration and agents. */
import type { components } from '../../../api/generated/spacetraders.js';
import { ApiError, invalidBody } from '../errors.js';
import { titleCase } from '../render.js';
import { shipSymbolFor, type OpContext, type Universe } from '../universe.js';
import type { AgentState, ShipState } from '../state.js';
import type { ShipType } from '../../world/types.js';
import { agentOf, bodyObject, ok, paginate, param, type Operation } from './common.js';
import { createStarterContract } from './contracts.js';

type S = components['schemas'];

const FACTIONS: readonly S['FactionSymbol'][] = [
  'COSMIC', 'VOID', 'GALACTIC', 'QUANTUM', 'DOMINION', 'ASTRO', 'CORSAIRS', 'OBSIDIAN', 'AEGIS', 'UNITED', 'SOLITARY', 'COBALT',
  'OMEGA', 'ECHO', 'LORDS', 'CULT', 'ANCIENTS', 'SHADOW', 'ETHEREAL',
];

export function faction(u: Universe, symbol: S['FactionSymbol']): S['Faction'] {
  return {
    symbol,
    name: titleCase(symbol),
    description: `The ${titleCase(symbol)} faction (st-goods sim).`,
    headquarters: u.world.headquarters,
    traits: [],
    isRecruiting: true,
  };
}

/** A new ship of `type` for `agent`, docked at `waypoint`, with a full tank. */
export function newShip(u: Universe, agent: AgentState, type: ShipType, waypoint: string): ShipState {
  agent.shipCounter += 1;
  const now = u.realNow();
  const ship: ShipState = {
    symbol: shipSymbolFor(agent.symbol, agent.shipCounter),
    agent: agent.symbol,
    type,
    waypoint,
    status: 'DOCKED',
    flightMode: 'CRUISE',
    origin: waypoint,
    departureMs: now,
    arrivalMs: now,
    fuel: u.config.ships[type].fuelCapacity,
    cargo: {},
  };
  u.state.ships[ship.symbol] = ship;
  return ship;
}

function register(ctx: OpContext) {
  const { u } = ctx;
  const body = bodyObject(ctx);
  const rawSymbol = body['symbol'];
  if (typeof rawSymbol !== 'string' || rawSymbol.length < 3 || rawSymbol.length > 14) {
    throw invalidBody('symbol', 'is required and must be 3 to 14 characters');
  }
  const symbol = rawSymbol.toUpperCase();
  if (!/^[A-Z0-9_-]+$/.test(symbol)) throw invalidBody('symbol', 'may contain only letters, digits, "-" and "_"');
  const factionSymbol = (typeof body['faction'] === 'string' ? body['faction'].toUpperCase() : '') as S['FactionSymbol'];
  if (!FACTIONS.includes(factionSymbol)) throw invalidBody('faction', `must be one of ${FACTIONS.join(', ')}`);
  if (u.state.agents[symbol]) {
    throw new ApiError(409, 4111, `Cannot register agent. Agent symbol ${symbol} has already been claimed.`, { agentSymbol: symbol });
  }
  const agent: AgentState = {
    symbol,
    accountId: `sim-account-${Object.keys(u.state.agents).length + 1}`,
    credits: u.config.startingCredits,
    headquarters: u.world.headquarters,
    faction: factionSymbol,
    shipCounter: 0,
    contractIds: [],
  };
  u.state.agents[symbol] = agent;
  const frigate = newShip(u, agent, 'SHIP_COMMAND_FRIGATE', u.world.headquarters);
  const shipyard = u.world.shipyards.find((s) => s.symbol !== u.world.headquarters) ?? u.world.shipyards[0];
  const probe = newShip(u, agent, 'SHIP_PROBE', shipyard?.symbol ?? u.world.headquarters);
  const contract = createStarterContract(u, agent);
  const token = u.issueToken(symbol);
  return ok(
    {
      token,
      agent: u.renderAgent(agent),
      contract,
      faction: faction(u, factionSymbol),
      ships: [u.renderShip(frigate), u.renderShip(probe)],
      // The spec's register response also requires the older singular `ship` (the command ship).
      ship: u.renderShip(frigate),
    },
    201,
  );
}

function status(ctx: OpContext) {
  const { u } = ctx;
  const agents = Object.values(u.state.agents);
  const top = [...agents].sort((a, b) => b.credits - a.credits).slice(0, 10);
  return {
    status: 200,
    body: {
      status: 'SpaceTraders is currently online and available to play (st-goods sim)',
      version: 'v2.3.0',
      resetDate: u.state.resetDate,
      description: 'st-goods local SpaceTraders simulator',
      stats: { accounts: agents.length, agents: agents.length, ships: Object.keys(u.state.ships).length, systems: u.systems.size, waypoints: u.waypoints.size },
      leaderboards: { mostCredits: top.map((a) => ({ agentSymbol: a.symbol, credits: a.credits })), mostSubmittedCharts: [] },
      serverResets: { next: new Date(u.state.createdMs + 14 * 86_400_000).toISOString(), frequency: 'fortnightly' },
      announcements: [],
      links: [],
    },
  };
}

function publicAgent(u: Universe, a: AgentState): S['Agent'] {
  const { accountId: _omit, ...rest } = u.renderAgent(a);
  return rest;
}

export const AGENT_OPERATIONS: Record<string, Operation> = {
  'get-status': { auth: 'optional', run: status },
  register: { auth: 'account', run: register },
  'get-my-agent': { auth: 'required', run: (ctx) => ok(ctx.u.renderAgent(agentOf(ctx))) },
  'get-agents': { auth: 'optional', run: (ctx) => paginate(ctx, Object.values(ctx.u.state.agents).map((a) => publicAgent(ctx.u, a))) },
  'get-factions': { auth: 'optional', run: (ctx) => paginate(ctx, FACTIONS.map((f) => faction(ctx.u, f))) },
  'get-faction': {
    auth: 'optional',
    run: (ctx) => {
      const symbol = param(ctx, 'factionSymbol') as S['FactionSymbol'];
      if (!FACTIONS.includes(symbol)) throw new ApiError(404, 404, `Faction ${symbol} not found.`, { factionSymbol: symbol });
      return ok(faction(ctx.u, symbol));
    },
  },
  'get-agent': {
    auth: 'optional',
    run: (ctx) => {
      const a = ctx.u.state.agents[param(ctx, 'agentSymbol')];
      if (!a) throw new ApiError(404, 404, `Agent ${param(ctx, 'agentSymbol')} not found.`);
      return ok(publicAgent(ctx.u, a));
    },
  },
};
