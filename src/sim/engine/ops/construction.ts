/**
 * Construction sites (BEYOND.md a.3): a jump gate that starts UNDER_CONSTRUCTION has a bill of
 * materials; ships docked at the site deliver goods from their cargo (no credits). Construction is
 * monotone, and the gate becomes usable once every material is fulfilled.
 */
import type { components } from '../../../api/generated/spacetraders.js';
import { ApiError, gameError } from '../errors.js';
import type { OpContext, Universe } from '../universe.js';
import type { WorldWaypoint } from '../../world/types.js';
import { agentOf, bodyObject, ok, requirePositiveInt, requireString, requireTradeSymbol, type Operation } from './common.js';
import { inTransit, setCargo } from './contracts.js';
import { requireWaypoint } from './systems.js';

type S = components['schemas'];

function site(u: Universe, w: WorldWaypoint) {
  const materials = u.construction(w.symbol);
  if (!materials) throw new ApiError(404, 404, `Waypoint ${w.symbol} is not a construction site.`, { waypointSymbol: w.symbol });
  return materials;
}

export function renderConstruction(u: Universe, w: WorldWaypoint): S['Construction'] {
  const materials = site(u, w);
  return {
    symbol: w.symbol,
    materials: materials.map((m) => ({ tradeSymbol: m.tradeSymbol as S['TradeSymbol'], required: m.required, fulfilled: m.fulfilled })),
    isComplete: !u.isUnderConstruction(w),
  };
}

function supply(ctx: OpContext) {
  const { u } = ctx;
  const agent = agentOf(ctx);
  const w = requireWaypoint(ctx);
  const materials = site(u, w);
  const body = bodyObject(ctx);
  const ship = u.ownShip(agent, requireString(body, 'shipSymbol'));
  const symbol = requireTradeSymbol(body, 'tradeSymbol');
  const units = requirePositiveInt(body, 'units');
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  if (ship.waypoint !== w.symbol || ship.status !== 'DOCKED') {
    throw gameError(4802, `Ship ${ship.symbol} must be docked at the construction site ${w.symbol} to supply it (it is ${ship.status} at ${ship.waypoint}).`, { shipSymbol: ship.symbol, waypointSymbol: w.symbol });
  }
  const material = materials.find((m) => m.tradeSymbol === symbol);
  if (!material) {
    throw gameError(4800, `Construction material ${symbol} is not required at ${w.symbol}; it needs ${materials.map((m) => m.tradeSymbol).join(', ')}.`, { waypointSymbol: w.symbol, tradeSymbol: symbol });
  }
  if (material.fulfilled >= material.required) {
    throw gameError(4801, `Construction material requirements for ${symbol} have been met.`, { waypointSymbol: w.symbol, tradeSymbol: symbol });
  }
  const have = ship.cargo[symbol] ?? 0;
  if (have === 0) throw gameError(4218, `Failed to update ship cargo. Ship ${ship.symbol} does not have any ${symbol}.`, { shipSymbol: ship.symbol, tradeSymbol: symbol });
  if (have < units) {
    throw gameError(4219, `Failed to update ship cargo. Cannot remove ${units} unit(s) of ${symbol} from ship cargo. Ship has ${have} unit(s).`, {
      shipSymbol: ship.symbol, tradeSymbol: symbol, cargoUnits: have, unitsToRemove: units,
    });
  }
  // Never more than the bill still needs: the rest stays in the hold.
  const taken = Math.min(units, material.required - material.fulfilled);
  material.fulfilled += taken;
  setCargo(ship.cargo, symbol, have - taken);
  return ok({ construction: renderConstruction(u, w), cargo: u.renderCargo(ship) }, 201);
}

export const CONSTRUCTION_OPERATIONS: Record<string, Operation> = {
  'get-construction': { auth: 'optional', run: (ctx) => ok(renderConstruction(ctx.u, requireWaypoint(ctx))) },
  'supply-construction': { auth: 'required', run: supply },
};
