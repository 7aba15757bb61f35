/** Builders for the API objects the engine returns (typed by the generated spec types). */
import type { components } from '../../api/generated/spacetraders.js';
import type { ShipSpec } from './config.js';
import { MODULES, MOUNTS, loadoutOf, type ModuleSymbol, type MountSymbol } from './equipment.js';
import type { ShipType } from '../world/types.js';

type S = components['schemas'];

/** "IRON_ORE" → "Iron Ore"; "ION_DRIVE_II" → "Ion Drive II". */
export function titleCase(symbol: string): string {
  return symbol
    .toLowerCase()
    .split('_')
    .map((w) => (/^(i|ii|iii|iv|v)$/.test(w) ? w.toUpperCase() : w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function tradeGood(symbol: string): S['TradeGood'] {
  return { symbol: symbol as S['TradeSymbol'], name: titleCase(symbol), description: `${titleCase(symbol)} (st-goods sim).` };
}

export function waypointTrait(symbol: S['WaypointTraitSymbol']): S['WaypointTrait'] {
  return { symbol, name: titleCase(symbol), description: `${titleCase(symbol)}.` };
}

const NO_REQ: S['ShipRequirements'] = {};

export function shipFrame(spec: ShipSpec, type: ShipType, modules: readonly ModuleSymbol[] = loadoutOf(type).modules, mounts: readonly MountSymbol[] = loadoutOf(type).mounts): S['ShipFrame'] {
  const loadout = loadoutOf(type);
  return {
    symbol: spec.frame as S['ShipFrame']['symbol'],
    name: titleCase(spec.frame.replace(/^FRAME_/, '')),
    description: `${titleCase(spec.frame)}.`,
    condition: 1,
    integrity: 1,
    moduleSlots: Math.max(loadout.moduleSlots, shipModules(spec, modules).reduce((n, m) => n + (m.requirements.slots ?? 1), 0)),
    mountingPoints: Math.max(loadout.mountingPoints, mounts.length),
    fuelCapacity: spec.fuelCapacity,
    requirements: NO_REQ,
    quality: 4,
  };
}

export function shipReactor(spec: ShipSpec): S['ShipReactor'] {
  const power: Record<ShipSpec['reactor'], number> = { REACTOR_SOLAR_I: 3, REACTOR_CHEMICAL_I: 15, REACTOR_FISSION_I: 31, REACTOR_FUSION_I: 40 };
  return {
    symbol: spec.reactor,
    name: titleCase(spec.reactor.replace(/^REACTOR_/, '')) + ' Reactor',
    description: `${titleCase(spec.reactor)}.`,
    condition: 1,
    integrity: 1,
    powerOutput: power[spec.reactor],
    requirements: { crew: spec.crew.required > 0 ? 1 : 0 },
    quality: 4,
  };
}

export function shipEngine(spec: ShipSpec): S['ShipEngine'] {
  return {
    symbol: spec.engine,
    name: titleCase(spec.engine.replace(/^ENGINE_/, '')),
    description: `${titleCase(spec.engine)}.`,
    condition: 1,
    integrity: 1,
    speed: spec.engineSpeed,
    requirements: { power: 1 },
    quality: 4,
  };
}

const CARGO_HOLDS: [S['ShipModule']['symbol'], number][] = [['MODULE_CARGO_HOLD_III', 75], ['MODULE_CARGO_HOLD_II', 40], ['MODULE_CARGO_HOLD_I', 15]];

/**
 * Cargo modules whose capacities add up to the spec's capacity exactly (CARGO_HOLD_I 15, II 40,
 * III 75; MECHANICS.md §6.3), with the fewest modules: 80 is two CARGO_HOLD_II (the light hauler),
 * not one III and 5 units lost. A capacity no combination reaches keeps the greedy fill.
 */
function cargoHoldCounts(capacity: number): number[] {
  let best: number[] | undefined;
  for (let c3 = Math.floor(capacity / 75); c3 >= 0; c3--) {
    for (let c2 = Math.floor((capacity - 75 * c3) / 40); c2 >= 0; c2--) {
      const rest = capacity - 75 * c3 - 40 * c2;
      if (rest % 15 !== 0) continue;
      const counts = [c3, c2, rest / 15];
      if (!best || counts[0]! + counts[1]! + counts[2]! < best[0]! + best[1]! + best[2]!) best = counts;
    }
  }
  if (best) return best;
  let left = capacity;
  return CARGO_HOLDS.map(([, size]) => {
    const n = Math.floor(left / size);
    left -= n * size;
    return n;
  });
}

/** Cargo holds adding up to the catalogue's capacity, then the other modules (equipment.ts: modulesOf / loadoutOf). */
export function shipModules(spec: ShipSpec, modules: readonly ModuleSymbol[] = []): S['ShipModule'][] {
  const counts = cargoHoldCounts(spec.cargoCapacity);
  const holds = CARGO_HOLDS.flatMap(([symbol, capacity], i) => Array.from({ length: counts[i]! }, () => renderModule(symbol, capacity)));
  return [...holds, ...modules.map((symbol) => renderModule(symbol, MODULES[symbol]?.capacity))];
}

function renderModule(symbol: S['ShipModule']['symbol'], capacity: number | undefined): S['ShipModule'] {
  const stats = MODULES[symbol] ?? { power: 1, crew: 0, slots: 1 };
  const name = titleCase(symbol.replace(/^MODULE_/, ''));
  const out: S['ShipModule'] = { symbol, name, description: `${name}.`, requirements: { power: stats.power, crew: stats.crew, slots: stats.slots } };
  if (capacity !== undefined) out.capacity = capacity;
  return out;
}

export function shipMounts(mounts: readonly MountSymbol[]): S['ShipMount'][] {
  return mounts.map((symbol) => {
    const stats = MOUNTS[symbol] ?? { strength: 0, power: 0, crew: 0 };
    const name = titleCase(symbol.replace(/^MOUNT_/, ''));
    const out: S['ShipMount'] = { symbol, name, description: `${name}.`, strength: stats.strength, requirements: { power: stats.power, crew: stats.crew } };
    if (stats.deposits) out.deposits = [...stats.deposits];
    return out;
  });
}

export function meta(total: number, page: number, limit: number): S['Meta'] {
  return { total, page, limit };
}
