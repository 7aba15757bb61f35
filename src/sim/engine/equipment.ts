/**
 * Ship equipment: the mounts and modules each ship type carries as the real shipyards sell it
 * (MECHANICS.md §6.2–6.3, BEYOND.md b.1–b.4), with the live stats of each mount (strength,
 * power) that extraction, surveys and siphoning compute from. Cargo holds are not listed here:
 * render.ts derives them from the catalogue's cargo capacity so the two cannot disagree.
 */
import type { components } from '../../api/generated/spacetraders.js';
import type { ShipType } from '../world/types.js';
import type { ShipState } from './state.js';

type S = components['schemas'];
export type MountSymbol = S['ShipMount']['symbol'];
export type ModuleSymbol = S['ShipModule']['symbol'];
export type DepositSymbol = NonNullable<S['ShipMount']['deposits']>[number];

export interface MountStats {
  strength: number;
  power: number;
  crew: number;
  /** What a surveyor can find (the spec's ShipMount.deposits). */
  deposits?: readonly DepositSymbol[];
}

/** Surveyor I finds no DIAMONDS, URANITE_ORE or MERITIUM_ORE; Surveyor II adds DIAMONDS and URANITE_ORE (ESE mounts.json). */
const SURVEYOR_I_DEPOSITS: readonly DepositSymbol[] = [
  'QUARTZ_SAND', 'SILICON_CRYSTALS', 'PRECIOUS_STONES', 'ICE_WATER', 'AMMONIA_ICE', 'IRON_ORE', 'COPPER_ORE', 'SILVER_ORE',
  'ALUMINUM_ORE', 'GOLD_ORE', 'PLATINUM_ORE',
];

/** Live mount stats (BEYOND.md b.1: ESE static_data/mounts.json "from live", 2025-04). */
export const MOUNTS: Readonly<Partial<Record<MountSymbol, MountStats>>> = {
  MOUNT_MINING_LASER_I: { strength: 3, power: 1, crew: 1 },
  MOUNT_MINING_LASER_II: { strength: 5, power: 2, crew: 2 },
  MOUNT_GAS_SIPHON_I: { strength: 10, power: 1, crew: 0 },
  MOUNT_GAS_SIPHON_II: { strength: 20, power: 2, crew: 2 },
  MOUNT_SURVEYOR_I: { strength: 1, power: 1, crew: 0, deposits: SURVEYOR_I_DEPOSITS },
  MOUNT_SURVEYOR_II: { strength: 2, power: 3, crew: 4, deposits: [...SURVEYOR_I_DEPOSITS, 'DIAMONDS', 'URANITE_ORE'] },
  MOUNT_SENSOR_ARRAY_I: { strength: 1, power: 1, crew: 0 },
  MOUNT_SENSOR_ARRAY_II: { strength: 4, power: 2, crew: 2 },
  MOUNT_TURRET_I: { strength: 10, power: 1, crew: 1 },
  MOUNT_LASER_CANNON_I: { strength: 10, power: 2, crew: 1 },
};

export interface ModuleStats {
  power: number;
  crew: number;
  slots: number;
  /** Crew quarters: berths. Cargo holds carry their capacity in render.ts. */
  capacity?: number;
}

export const MODULES: Readonly<Partial<Record<ModuleSymbol, ModuleStats>>> = {
  MODULE_CARGO_HOLD_I: { power: 1, crew: 0, slots: 1 },
  MODULE_CARGO_HOLD_II: { power: 2, crew: 2, slots: 1 },
  MODULE_CARGO_HOLD_III: { power: 3, crew: 4, slots: 1 },
  MODULE_CREW_QUARTERS_I: { power: 1, crew: 2, slots: 1, capacity: 40 },
  MODULE_MINERAL_PROCESSOR_I: { power: 1, crew: 0, slots: 2 },
  MODULE_GAS_PROCESSOR_I: { power: 1, crew: 0, slots: 2 },
  MODULE_ORE_REFINERY_I: { power: 1, crew: 0, slots: 1 },
  MODULE_FUEL_REFINERY_I: { power: 1, crew: 0, slots: 1 },
  MODULE_MICRO_REFINERY_I: { power: 1, crew: 0, slots: 1 },
  MODULE_WARP_DRIVE_I: { power: 3, crew: 2, slots: 1 },
};

export interface Loadout {
  /** Frame module slots and mounting points. */
  moduleSlots: number;
  mountingPoints: number;
  /** Modules other than cargo holds. */
  modules: readonly ModuleSymbol[];
  mounts: readonly MountSymbol[];
}

/**
 * What each ship type carries (MECHANICS.md §6.2 for the frigate, live; §6.3 and the real
 * shipyards' listings for the rest). The frigate can mine, survey and siphon from the start.
 */
export const LOADOUTS: Readonly<Record<ShipType, Loadout>> = {
  SHIP_PROBE: { moduleSlots: 0, mountingPoints: 0, modules: [], mounts: [] },
  SHIP_MINING_DRONE: { moduleSlots: 3, mountingPoints: 2, modules: ['MODULE_MINERAL_PROCESSOR_I'], mounts: ['MOUNT_MINING_LASER_I'] },
  SHIP_SIPHON_DRONE: { moduleSlots: 3, mountingPoints: 2, modules: ['MODULE_GAS_PROCESSOR_I'], mounts: ['MOUNT_GAS_SIPHON_I'] },
  SHIP_SURVEYOR: { moduleSlots: 1, mountingPoints: 2, modules: [], mounts: ['MOUNT_SURVEYOR_I'] },
  SHIP_LIGHT_SHUTTLE: { moduleSlots: 3, mountingPoints: 1, modules: ['MODULE_CREW_QUARTERS_I'], mounts: [] },
  SHIP_LIGHT_HAULER: { moduleSlots: 6, mountingPoints: 2, modules: ['MODULE_CREW_QUARTERS_I', 'MODULE_CREW_QUARTERS_I'], mounts: ['MOUNT_TURRET_I'] },
  SHIP_ORE_HOUND: {
    moduleSlots: 6, mountingPoints: 4,
    modules: ['MODULE_CREW_QUARTERS_I', 'MODULE_MINERAL_PROCESSOR_I'],
    mounts: ['MOUNT_MINING_LASER_II', 'MOUNT_SURVEYOR_I'],
  },
  SHIP_INTERCEPTOR: { moduleSlots: 2, mountingPoints: 2, modules: ['MODULE_CREW_QUARTERS_I'], mounts: ['MOUNT_SENSOR_ARRAY_I', 'MOUNT_LASER_CANNON_I'] },
  SHIP_COMMAND_FRIGATE: {
    moduleSlots: 8, mountingPoints: 5,
    modules: ['MODULE_CREW_QUARTERS_I', 'MODULE_CREW_QUARTERS_I', 'MODULE_MINERAL_PROCESSOR_I', 'MODULE_GAS_PROCESSOR_I'],
    mounts: ['MOUNT_SENSOR_ARRAY_II', 'MOUNT_GAS_SIPHON_II', 'MOUNT_MINING_LASER_II', 'MOUNT_SURVEYOR_II'],
  },
  SHIP_EXPLORER: { moduleSlots: 8, mountingPoints: 2, modules: ['MODULE_CREW_QUARTERS_I', 'MODULE_WARP_DRIVE_I'], mounts: ['MOUNT_SENSOR_ARRAY_II'] },
  SHIP_HEAVY_FREIGHTER: { moduleSlots: 8, mountingPoints: 2, modules: ['MODULE_CREW_QUARTERS_I', 'MODULE_CREW_QUARTERS_I'], mounts: ['MOUNT_TURRET_I'] },
  SHIP_REFINING_FREIGHTER: {
    moduleSlots: 8, mountingPoints: 2,
    modules: ['MODULE_CREW_QUARTERS_I', 'MODULE_CREW_QUARTERS_I', 'MODULE_ORE_REFINERY_I'],
    mounts: ['MOUNT_MINING_LASER_I', 'MOUNT_SURVEYOR_I'],
  },
  SHIP_BULK_FREIGHTER: { moduleSlots: 12, mountingPoints: 2, modules: ['MODULE_CREW_QUARTERS_I', 'MODULE_CREW_QUARTERS_I'], mounts: ['MOUNT_TURRET_I'] },
};

export function loadoutOf(type: ShipType): Loadout {
  return LOADOUTS[type] ?? { moduleSlots: 0, mountingPoints: 0, modules: [], mounts: [] };
}

/** The ship's mounts: its own list when it has one (saved with the ship), else its type's. */
export function mountsOf(ship: Pick<ShipState, 'type' | 'mounts'>): readonly MountSymbol[] {
  return (ship.mounts as MountSymbol[] | undefined) ?? loadoutOf(ship.type).mounts;
}

/** The ship's modules other than cargo holds: its own list when it has one, else its type's. */
export function modulesOf(ship: Pick<ShipState, 'type' | 'modules'>): readonly ModuleSymbol[] {
  return (ship.modules as ModuleSymbol[] | undefined) ?? loadoutOf(ship.type).modules;
}

/** The ship's mounts whose symbol starts with `prefix` (e.g. MOUNT_MINING_LASER), with their stats. */
export function mountsOfKind(ship: ShipState, prefix: string): { symbol: MountSymbol; stats: MountStats }[] {
  return mountsOf(ship)
    .filter((m) => m.startsWith(prefix))
    .map((symbol) => ({ symbol, stats: MOUNTS[symbol] ?? { strength: 0, power: 0, crew: 0 } }));
}

export function hasModule(ship: ShipState, symbol: ModuleSymbol): boolean {
  return modulesOf(ship).includes(symbol);
}
