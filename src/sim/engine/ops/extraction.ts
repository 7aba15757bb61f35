/**
 * Extraction, siphoning and refining (BEYOND.md b.1, b.3, b.4) and the ship's equipment views.
 * Formulas in extraction-rules.ts, numbers in extraction-config.ts; each action starts the
 * reactor cooldown that get-ship-cooldown (ships.ts) reports.
 *
 *   extract             IN_ORBIT (4236) at an asteroid (4205) with a mining laser (4243) and a
 *                       mineral processor (4242), no cooldown (4000), a stable asteroid (4253),
 *                       free cargo (4228): one good by the waypoint's traits, Σ laser strength ± jitter
 *   extract/survey      the same, the good drawn from the survey's deposits, the units taken from
 *                       its budget (surveys.ts checks 4220 / 4221 / 4224 / 4270)
 *   siphon              IN_ORBIT at a GAS_GIANT (4259) with a gas siphon (4258) and a gas
 *                       processor (4257): one gas, Σ siphon strength ± jitter
 *   refine              a refinery module (4239): inputUnits of the ore → outputUnits of the metal
 */
import { gameError, invalidBody } from '../errors.js';
import { EXTRACTABLE_TYPES, gasWeights, mineralWeights, pickWeighted } from '../deposits.js';
import { hasModule, modulesOf, mountsOf, mountsOfKind, type ModuleSymbol } from '../equipment.js';
import { requireReactorReady } from './gates.js';
import { shipModules, shipMounts } from '../render.js';
import type { ShipState } from '../state.js';
import type { OpContext, Universe } from '../universe.js';
import { agentOf, bodyObject, ok, type Operation } from './common.js';
import { inTransit, setCargo } from './contracts.js';
import { dice, mountCooldownSeconds, startCooldown, strainAsteroid, waypointModifiers, yieldUnits } from './extraction-rules.js';
import { verifiedSurvey } from './surveys.js';

function shipOf(ctx: OpContext): ShipState {
  return ctx.u.ownShip(agentOf(ctx), ctx.req.params['shipSymbol']);
}

function requireOrbit(u: Universe, ship: ShipState, action: string): void {
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  if (ship.status !== 'IN_ORBIT') {
    throw gameError(4236, `Ship action failed. Ship is not currently in orbit at ${ship.waypoint}; ${action} needs the ship in orbit (POST .../orbit).`, { waypointSymbol: ship.waypoint });
  }
}

/** Free cargo, or 4228 when the hold is full. */
function freeCargo(u: Universe, ship: ShipState): number {
  const capacity = u.config.ships[ship.type].cargoCapacity;
  const held = u.cargoUnits(ship);
  if (held >= capacity) throw gameError(4228, `Failed to update ship cargo. Ship ${ship.symbol} cargo is full.`, { shipSymbol: ship.symbol, cargoCapacity: capacity, cargoUnits: held });
  return capacity - held;
}

function extract(ctx: OpContext, withSurvey: boolean) {
  const { u } = ctx;
  const ship = shipOf(ctx);
  requireOrbit(u, ship, 'extraction');
  const lasers = mountsOfKind(ship, 'MOUNT_MINING_LASER');
  if (lasers.length === 0) throw gameError(4243, `Ship extract failed. Ship ${ship.symbol} does not have a mining laser mount installed.`, { shipSymbol: ship.symbol });
  if (!hasModule(ship, 'MODULE_MINERAL_PROCESSOR_I')) {
    throw gameError(4242, `Ship extract failed. Ship ${ship.symbol} does not have a mineral processor module installed.`, { shipSymbol: ship.symbol });
  }
  const w = u.waypoint(ship.waypoint)!;
  if (!EXTRACTABLE_TYPES.has(w.type)) {
    throw gameError(4205, `Ship extract failed. Waypoint ${w.symbol} is a ${w.type}, not an asteroid; extract at an ASTEROID or ENGINEERED_ASTEROID.`, { waypointSymbol: w.symbol, waypointType: w.type });
  }
  requireReactorReady(u, ship);
  // Plain extract still honours its deprecated `survey` field.
  const surveyBody = withSurvey ? ctx.req.body : bodyObject(ctx)['survey'];
  const survey = surveyBody !== undefined ? verifiedSurvey(u, ship, surveyBody) : undefined;
  const free = freeCargo(u, ship);
  strainAsteroid(u, w.symbol);
  const r = dice(u);
  const symbol = survey ? survey.deposits[Math.floor(r() * survey.deposits.length)]! : pickWeighted(mineralWeights(w), r());
  let units = Math.min(free, yieldUnits(u, lasers, r));
  if (survey) {
    units = Math.min(units, survey.unitsLeft);
    survey.unitsLeft -= units;
  }
  setCargo(ship.cargo, symbol, (ship.cargo[symbol] ?? 0) + units);
  const cooldown = startCooldown(u, ship, mountCooldownSeconds(u, lasers));
  const data: Record<string, unknown> = { extraction: { shipSymbol: ship.symbol, yield: { symbol, units } }, cooldown, cargo: u.renderCargo(ship) };
  // Only plain extract returns modifiers (the spec); both return events (none modelled).
  if (!withSurvey) data['modifiers'] = waypointModifiers(u, w.symbol);
  data['events'] = [];
  return ok(data, 201);
}

function siphon(ctx: OpContext) {
  const { u } = ctx;
  const ship = shipOf(ctx);
  requireOrbit(u, ship, 'siphoning');
  const siphons = mountsOfKind(ship, 'MOUNT_GAS_SIPHON');
  if (siphons.length === 0) throw gameError(4258, `Ship siphon failed. Ship ${ship.symbol} does not have a gas siphon mount installed.`, { shipSymbol: ship.symbol });
  if (!hasModule(ship, 'MODULE_GAS_PROCESSOR_I')) {
    throw gameError(4257, `Ship siphon failed. Ship ${ship.symbol} does not have a gas processor module installed.`, { shipSymbol: ship.symbol });
  }
  const w = u.waypoint(ship.waypoint)!;
  if (w.type !== 'GAS_GIANT') {
    throw gameError(4259, `Ship siphon failed. Waypoint ${w.symbol} is a ${w.type}; siphoning works at a GAS_GIANT.`, { waypointSymbol: w.symbol, waypointType: w.type });
  }
  requireReactorReady(u, ship);
  const free = freeCargo(u, ship);
  const r = dice(u);
  const symbol = pickWeighted(gasWeights(w), r());
  const units = Math.min(free, yieldUnits(u, siphons, r));
  setCargo(ship.cargo, symbol, (ship.cargo[symbol] ?? 0) + units);
  const cooldown = startCooldown(u, ship, mountCooldownSeconds(u, siphons));
  return ok({ siphon: { shipSymbol: ship.symbol, yield: { symbol, units } }, cooldown, cargo: u.renderCargo(ship), events: [] }, 201);
}

const ORE_REFINERIES: readonly ModuleSymbol[] = ['MODULE_ORE_REFINERY_I', 'MODULE_MICRO_REFINERY_I'];
const FUEL_REFINERIES: readonly ModuleSymbol[] = ['MODULE_FUEL_REFINERY_I', 'MODULE_MICRO_REFINERY_I'];
const REFINERIES: readonly ModuleSymbol[] = [...new Set([...ORE_REFINERIES, ...FUEL_REFINERIES])];
const ore = (from: string) => ({ from, by: ORE_REFINERIES });

/** What refines into what (the spec's produce enum), and which refinery modules can do it. */
const REFINING: Readonly<Record<string, { from: string; by: readonly ModuleSymbol[] }>> = {
  IRON: ore('IRON_ORE'), COPPER: ore('COPPER_ORE'), SILVER: ore('SILVER_ORE'), GOLD: ore('GOLD_ORE'), ALUMINUM: ore('ALUMINUM_ORE'),
  PLATINUM: ore('PLATINUM_ORE'), URANITE: ore('URANITE_ORE'), MERITIUM: ore('MERITIUM_ORE'),
  FUEL: { from: 'HYDROCARBON', by: FUEL_REFINERIES },
};

function refine(ctx: OpContext) {
  const { u } = ctx;
  const ship = shipOf(ctx);
  const produce = bodyObject(ctx)['produce'];
  const recipe = typeof produce === 'string' ? REFINING[produce] : undefined;
  if (!recipe) throw invalidBody('produce', `must be one of ${Object.keys(REFINING).join(', ')}`);
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  const modules = modulesOf(ship);
  if (!modules.some((m) => REFINERIES.includes(m))) throw gameError(4239, `Ship refine failed. Ship ${ship.symbol} does not have a refinery module installed.`, { shipSymbol: ship.symbol });
  if (!modules.some((m) => recipe.by.includes(m))) {
    throw gameError(4238, `Ship refine failed. Ship ${ship.symbol}'s refinery cannot produce ${String(produce)}; that needs one of ${recipe.by.join(', ')}.`, { shipSymbol: ship.symbol, produce });
  }
  requireReactorReady(u, ship);
  const { inputUnits, outputUnits, cooldownSeconds } = u.config.extraction.refine;
  const have = ship.cargo[recipe.from] ?? 0;
  if (have < inputUnits) {
    throw gameError(4219, `Ship refine failed. Producing ${outputUnits} ${String(produce)} consumes ${inputUnits} ${recipe.from}; ship ${ship.symbol} has ${have}.`, {
      shipSymbol: ship.symbol, tradeSymbol: recipe.from, cargoUnits: have, unitsToRemove: inputUnits,
    });
  }
  const capacity = u.config.ships[ship.type].cargoCapacity;
  const after = u.cargoUnits(ship) - inputUnits + outputUnits;
  if (after > capacity) {
    throw gameError(4217, `Ship refine failed. ${outputUnits} ${String(produce)} would not fit in ship ${ship.symbol}'s hold of ${capacity}.`, { shipSymbol: ship.symbol, cargoCapacity: capacity, cargoUnits: after });
  }
  setCargo(ship.cargo, recipe.from, have - inputUnits);
  setCargo(ship.cargo, String(produce), (ship.cargo[String(produce)] ?? 0) + outputUnits);
  const cooldown = startCooldown(u, ship, cooldownSeconds);
  return ok(
    {
      cargo: u.renderCargo(ship),
      cooldown,
      produced: [{ tradeSymbol: String(produce), units: outputUnits }],
      consumed: [{ tradeSymbol: recipe.from, units: inputUnits }],
    },
    201,
  );
}

export const EXTRACTION_OPERATIONS: Record<string, Operation> = {
  'extract-resources': { auth: 'required', run: (ctx) => extract(ctx, false) },
  'extract-resources-with-survey': { auth: 'required', run: (ctx) => extract(ctx, true) },
  'siphon-resources': { auth: 'required', run: siphon },
  'ship-refine': { auth: 'required', run: refine },
  'get-mounts': { auth: 'required', run: (ctx) => ok(shipMounts(mountsOf(shipOf(ctx)))) },
  'get-ship-modules': {
    auth: 'required',
    run: (ctx) => {
      const ship = shipOf(ctx);
      return ok(shipModules(ctx.u.config.ships[ship.type], modulesOf(ship)));
    },
  },
};
