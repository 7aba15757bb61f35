/** Systems, waypoints and shipyards (read-only views of the world). */
import type { components } from '../../../api/generated/spacetraders.js';
import { ApiError } from '../errors.js';
import { isoTime, waypointTrait, titleCase, shipFrame, shipReactor, shipEngine, shipModules, shipMounts } from '../render.js';
import type { OpContext, Universe } from '../universe.js';
import type { WorldSectorSystem, WorldShipyard, WorldWaypoint } from '../../world/types.js';
import { ok, paginate, param, type Operation } from './common.js';
import { waypointModifiers } from './extraction-rules.js';
import { loadoutOf } from '../equipment.js';

type S = components['schemas'];

export function requireSystem(ctx: OpContext): WorldSectorSystem {
  const symbol = param(ctx, 'systemSymbol');
  const system = ctx.u.systems.get(symbol);
  if (!system) {
    const which = ctx.u.systems.size === 1 ? `one system, ${ctx.u.world.system.symbol}` : `${ctx.u.systems.size} systems (GET /systems lists them)`;
    throw new ApiError(404, 404, `System ${symbol} not found. This st-goods sim universe has ${which}.`, { systemSymbol: symbol });
  }
  return system;
}

export function requireWaypoint(ctx: OpContext): WorldWaypoint {
  const system = requireSystem(ctx).system.symbol;
  const symbol = param(ctx, 'waypointSymbol');
  const w = ctx.u.waypoint(symbol);
  if (!w || ctx.u.systemOf(symbol) !== system) throw new ApiError(404, 404, `Waypoint ${symbol} not found in system ${system}.`, { waypointSymbol: symbol });
  return w;
}

/** The traits an agent sees now: UNCHARTED until charted, UNDER_CONSTRUCTION until built. */
function liveTraits(u: Universe, w: WorldWaypoint): WorldWaypoint['traits'] {
  // The spec: an uncharted waypoint shows the UNCHARTED trait instead of its actual traits.
  if (!u.isCharted(w)) return ['UNCHARTED'];
  const traits = w.traits.filter((t) => t !== 'UNCHARTED' && t !== 'UNDER_CONSTRUCTION');
  return u.isUnderConstruction(w) ? [...traits, 'UNDER_CONSTRUCTION'] : traits;
}

export function renderWaypoint(u: Universe, w: WorldWaypoint): S['Waypoint'] {
  const out: S['Waypoint'] = {
    symbol: w.symbol,
    type: w.type,
    systemSymbol: u.systemOf(w.symbol),
    x: w.x,
    y: w.y,
    orbitals: (u.orbitals.get(w.symbol) ?? []).map((symbol) => ({ symbol })),
    faction: { symbol: u.world.faction },
    traits: liveTraits(u, w).map(waypointTrait),
    modifiers: waypointModifiers(u, w.symbol),
    isUnderConstruction: u.isUnderConstruction(w),
  };
  if (u.isCharted(w)) {
    const chart = u.state.charts[w.symbol];
    out.chart = { waypointSymbol: w.symbol, submittedBy: chart?.submittedBy ?? u.world.faction, submittedOn: isoTime(chart?.submittedOnMs ?? u.state.createdMs) };
  }
  if (w.orbits) out.orbits = w.orbits;
  return out;
}

function systemWaypoint(u: Universe, w: WorldWaypoint): S['SystemWaypoint'] {
  const out: S['SystemWaypoint'] = { symbol: w.symbol, type: w.type, x: w.x, y: w.y, orbitals: (u.orbitals.get(w.symbol) ?? []).map((symbol) => ({ symbol })) };
  if (w.orbits) out.orbits = w.orbits;
  return out;
}

function renderSystem(u: Universe, system: WorldSectorSystem): S['System'] {
  const s = system.system;
  const out: S['System'] = {
    symbol: s.symbol,
    sectorSymbol: s.sectorSymbol,
    type: s.type,
    x: s.x,
    y: s.y,
    waypoints: system.waypoints.map((w) => systemWaypoint(u, w)),
    factions: [{ symbol: u.world.faction }],
  };
  if (s.name) out.name = s.name;
  if (s.constellation) out.constellation = s.constellation;
  return out;
}

function listWaypoints(ctx: OpContext) {
  const system = requireSystem(ctx);
  const type = ctx.req.query['type']?.toUpperCase();
  const traits = (ctx.req.query['traits'] ?? '').split(',').map((t) => t.trim().toUpperCase()).filter(Boolean);
  const found = system.waypoints.filter((w) => (!type || w.type === type) && traits.every((t) => (liveTraits(ctx.u, w) as string[]).includes(t)));
  return paginate(ctx, found.map((w) => renderWaypoint(ctx.u, w)));
}

export function shipPrice(u: Universe, yard: WorldShipyard, type: string): number {
  const listed = yard.ships.find((s) => s.type === type);
  const base = listed?.purchasePrice ?? u.config.ships[type as S['ShipType']]?.basePrice ?? 0;
  return Math.round(base * (u.state.shipPriceFactor[yard.symbol]?.[type] ?? 1));
}

function getShipyard(ctx: OpContext) {
  const { u } = ctx;
  const w = requireWaypoint(ctx);
  const yard = u.shipyards.get(w.symbol);
  if (!yard) throw new ApiError(404, 404, `Waypoint ${w.symbol} does not have a shipyard.`, { waypointSymbol: w.symbol });
  const out: S['Shipyard'] = { symbol: yard.symbol, shipTypes: yard.ships.map((s) => ({ type: s.type })), modificationsFee: yard.modificationsFee };
  if (ctx.agent && u.hasShipAt(ctx.agent, yard.symbol)) {
    out.transactions = (u.state.shipyardTransactions[yard.symbol] ?? []).slice(-20).map((t) => ({
      waypointSymbol: yard.symbol,
      // The spec (ShipyardTransaction): the deprecated shipSymbol holds the ship *type*, not the new ship's symbol.
      shipSymbol: t.shipType,
      shipType: t.shipType,
      price: t.price,
      agentSymbol: t.agentSymbol,
      timestamp: isoTime(t.timestampMs),
    }));
    out.ships = yard.ships.map((s) => {
      const spec = u.config.ships[s.type];
      // The spec's ShipyardShip also requires an undocumented `symbol`: the ship type.
      const ship: S['ShipyardShip'] & { symbol: string } = {
        type: s.type,
        symbol: s.type,
        name: titleCase(s.type.replace(/^SHIP_/, '')),
        description: `${titleCase(s.type)} (st-goods sim).`,
        supply: s.supply,
        purchasePrice: shipPrice(u, yard, s.type),
        frame: shipFrame(spec, s.type),
        reactor: shipReactor(spec),
        engine: shipEngine(spec),
        modules: shipModules(spec, loadoutOf(s.type).modules),
        mounts: shipMounts(loadoutOf(s.type).mounts),
        crew: { required: spec.crew.required, capacity: spec.crew.capacity },
      };
      if (s.activity) ship.activity = s.activity;
      return ship;
    });
  }
  return ok(out);
}

export const SYSTEM_OPERATIONS: Record<string, Operation> = {
  'get-systems': { auth: 'optional', run: (ctx) => paginate(ctx, [...ctx.u.systems.values()].map((s) => renderSystem(ctx.u, s))) },
  'get-system': { auth: 'optional', run: (ctx) => ok(renderSystem(ctx.u, requireSystem(ctx))) },
  'get-system-waypoints': { auth: 'optional', run: listWaypoints },
  'get-waypoint': { auth: 'optional', run: (ctx) => ok(renderWaypoint(ctx.u, requireWaypoint(ctx))) },
  'get-shipyard': { auth: 'optional', run: getShipyard },
};
