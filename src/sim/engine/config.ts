/**
 * Every tunable number of the simulator, in ONE object. Each value cites the MECHANICS.md (M§) or
 * LESSONS.md figure it is calibrated from. The game changes them at every reset, so they are
 * configuration: `Universe.create({ config: { timeScale: 100 } })` overrides any subset.
 *
 * Economy units: each market good holds a hidden supply coordinate `x` (continuous, clamped to
 * [supplyMin, supplyMax]). Its label is the band x falls in (SCARCE < -3 ≤ LIMITED < -1 ≤
 * MODERATE < 1 ≤ HIGH < 3 ≤ ABUNDANT), and its price is `meanPrice · exp(-slope · x)`. Trading
 * `tradeVolume` units moves x by `tradeImpactPerTranche`. Rates are per GAME hour.
 */
import { NAV_BASE_SECONDS, NAV_MULTIPLIERS, type NavMultipliers } from '../../game/index.js';
import type { ShipType } from '../world/types.js';
import { DEFAULT_EXTRACTION_CONFIG, type ExtractionConfig } from './extraction-config.js';

export interface ShipSpec {
  /** Frame fuel capacity (M§6.3). */
  fuelCapacity: number;
  /** Engine speed (M§6.2, current values after 2025-02-27). */
  engineSpeed: number;
  /** Cargo capacity (M§6.3). */
  cargoCapacity: number;
  role: 'COMMAND' | 'SATELLITE' | 'HAULER' | 'TRANSPORT' | 'EXCAVATOR' | 'SURVEYOR' | 'INTERCEPTOR' | 'EXPLORER' | 'REFINERY';
  frame: string;
  engine: 'ENGINE_IMPULSE_DRIVE_I' | 'ENGINE_ION_DRIVE_I' | 'ENGINE_ION_DRIVE_II';
  reactor: 'REACTOR_SOLAR_I' | 'REACTOR_FISSION_I' | 'REACTOR_CHEMICAL_I' | 'REACTOR_FUSION_I';
  /** Price at a shipyard when the world file gives none (M§6.3 X1-AD75 prices). */
  basePrice: number;
  crew: { required: number; capacity: number };
}

export interface SimConfig {
  /** K: game seconds that pass per real second. Every response timestamp is real time. */
  timeScale: number;
  /** Credits of a new agent (M§6.1: 175,000; raise it so tests can buy haulers at ~270k). */
  startingCredits: number;
  /** Navigation time multipliers per flight mode (M§2.3, wiki S8: 25/12.5/250/30). */
  navMultipliers: NavMultipliers;
  /** Seconds added to every flight (M§2.3: +15). */
  navBaseSeconds: number;
  /** Transactions kept per market (M§3.1: last 20). */
  marketTransactionsKept: number;
  /** Purchase/sell ratio at IMPORT and EXPORT goods (M§3.3: median 2.05, S13 uses 2). */
  importExportSpreadRatio: number;

  // ---- economy: the hidden supply coordinate ----
  /** Clamp of the supply coordinate. */
  supplyMin: number;
  supplyMax: number;
  /** x moved by trading one tradeVolume of units. 0.5 → four tranches move one supply label. */
  tradeImpactPerTranche: number;
  /**
   * Price slope per unit of x, by trade type. EXPORT 0.1 → buying one tranche raises the ask ≈ 5%
   * (M§3.4 S12 fit +5.0%·units/tv; LESSONS "+2–5% per tranche"). IMPORT 0.03 → selling one tranche
   * lowers the bid ≈ 1.5% (M§3.4 −1.5%·units/tv). EXCHANGE 0.06 → ≈ 3% per tranche.
   */
  priceSlope: Record<'EXPORT' | 'IMPORT' | 'EXCHANGE', number>;
  /**
   * Above `floodThreshold` (ABUNDANT), an IMPORT's bid falls an extra `floodSlope` per unit of x:
   * flooding one import crushes its bid ~40–60% (LESSONS "crushed its bid 40–60% for 12–24 h").
   */
  floodThreshold: number;
  floodSlope: number;

  // ---- economy: time ----
  /** Market tick in game seconds: production, consumption and recovery step at this period (M§3.5 "1–5 min tick"). */
  tickSeconds: number;
  /**
   * Half-life (game minutes) of the return of IMPORT and EXCHANGE supply (and so prices) to their
   * mean, and of an EXPORT above its production target, by tradeVolume tier (LESSONS: median ≈ 3 h,
   * fitted tiers 3–7 h; M§3.4 S12: longer for deeper markets).
   */
  recoveryHalfLifeMinutes: { maxTradeVolume: number; minutes: number }[];
  /**
   * Game minutes an EXPORT below its production target takes to climb one supply label (2 of x)
   * when fed, by good (M§3.5, S12 one system over 28.9 h: mean 24, by good CLOTHING 18, FABRICS
   * 20, EQUIPMENT 19, ELECTRONICS 27, MACHINERY 27, SHIP_PARTS 34); `default` for every other
   * good. "Input supply level barely matters once activity is controlled for": WEAK, GROWING and
   * STRONG climb at the same speed (they differ in where they stop, productionTarget).
   */
  productionStepMinutes: { default: number; byGood: Record<string, number> };
  /** Extra minutes per label while the export is RESTRICTED (its imports short; M§3.5 S12: ~+12). */
  restrictedExtraMinutes: number;
  /**
   * Production stops once x reaches this target for the current activity ("exports keep
   * producing with no buyer", LESSONS; they settle around MODERATE/HIGH like M§3.3's S2 data).
   */
  productionTarget: Record<'RESTRICTED' | 'WEAK' | 'GROWING' | 'STRONG', number>;
  /**
   * Activity of an export from its feed F = the lowest supply coordinate among the inputs
   * (exportToImportMap) the market imports: F < restrictedBelow → RESTRICTED (M§3.1 "RESTRICTED
   * on IRON export implies a shortage in IRON_ORE import"); F ≥ growingAt → GROWING; F ≥
   * strongAt → STRONG; else WEAK. Selling ~100–200 units (tv 60) lifts an input by one label, which
   * is the "activity saturates at 100–200 units per window" of LESSONS.
   */
  activityThresholds: { restrictedBelow: number; growingAt: number; strongAt: number };
  /** Input units consumed per export unit produced (per input good). */
  inputUnitsPerOutputUnit: number;
  /**
   * Markets grow (M§3.5): sustained trade raises a good's tradeVolume to the next of `steps` (the
   * values observed live) once `tranches` tradeVolume-sized tranches were traded within about
   * `windowMinutes` (a decaying count: its half-life), up to a cap by the good's price (raw goods
   * highest, advanced goods lowest; starter systems max 400, changelog 2023-12-02). An IMPORT grows
   * only while an export it feeds at that market is being bought (changelog 2023-09-14).
   * S14 saw FUEL step 10 → 20 about 20 game minutes into draining it.
   */
  tradeVolumeGrowth: { steps: number[]; tranches: number; windowMinutes: number; caps: { maxMeanPrice: number; cap: number }[] };

  // ---- jumps and charts (BEYOND.md a.1, a.2) ----
  /** Reactor cooldown after a jump: round(base + perDistance · d) game seconds, d = distance between the systems (ESE, MOO live-verified: 15 + 0.3·d). */
  jumpCooldown: { baseSeconds: number; perDistance: number };
  /** Credits paid once for charting a waypoint (the real reward depends on trait rarity; not measured: [L]). */
  chartReward: number;

  /** Ship catalogue (M§6.3). */
  ships: Record<ShipType, ShipSpec>;

  /** Extraction, surveys, siphoning and refining (extraction-config.ts). */
  extraction: ExtractionConfig;
}

const ship = (
  fuelCapacity: number, engineSpeed: number, cargoCapacity: number, role: ShipSpec['role'], frame: string,
  engine: ShipSpec['engine'], reactor: ShipSpec['reactor'], basePrice: number, crew: ShipSpec['crew'],
): ShipSpec => ({ fuelCapacity, engineSpeed, cargoCapacity, role, frame, engine, reactor, basePrice, crew });

export const DEFAULT_SIM_CONFIG: SimConfig = {
  timeScale: 1,
  startingCredits: 175_000,
  navMultipliers: NAV_MULTIPLIERS,
  navBaseSeconds: NAV_BASE_SECONDS,
  marketTransactionsKept: 20,
  importExportSpreadRatio: 2,
  supplyMin: -5,
  supplyMax: 5,
  tradeImpactPerTranche: 0.5,
  priceSlope: { EXPORT: 0.1, IMPORT: 0.03, EXCHANGE: 0.06 },
  floodThreshold: 3,
  floodSlope: 0.3,
  tickSeconds: 120,
  recoveryHalfLifeMinutes: [
    { maxTradeVolume: 40, minutes: 180 },
    { maxTradeVolume: 80, minutes: 300 },
    { maxTradeVolume: Number.MAX_SAFE_INTEGER, minutes: 420 },
  ],
  productionStepMinutes: { default: 24, byGood: { CLOTHING: 18, FABRICS: 20, EQUIPMENT: 19, ELECTRONICS: 27, MACHINERY: 27, SHIP_PARTS: 34 } },
  restrictedExtraMinutes: 12,
  productionTarget: { RESTRICTED: -1, WEAK: 1, GROWING: 3, STRONG: 5 },
  activityThresholds: { restrictedBelow: -2, growingAt: 0.5, strongAt: 2.5 },
  inputUnitsPerOutputUnit: 1,
  tradeVolumeGrowth: {
    steps: [3, 6, 10, 18, 20, 30, 60, 100, 180, 300],
    tranches: 10,
    windowMinutes: 120,
    caps: [
      { maxMeanPrice: 300, cap: 300 },
      { maxMeanPrice: 3000, cap: 100 },
      { maxMeanPrice: Number.MAX_SAFE_INTEGER, cap: 30 },
    ],
  },
  jumpCooldown: { baseSeconds: 15, perDistance: 0.3 },
  chartReward: 500,
  ships: {
    SHIP_PROBE: ship(0, 9, 0, 'SATELLITE', 'FRAME_PROBE', 'ENGINE_IMPULSE_DRIVE_I', 'REACTOR_SOLAR_I', 21_627, { required: 0, capacity: 0 }),
    SHIP_MINING_DRONE: ship(80, 9, 15, 'EXCAVATOR', 'FRAME_DRONE', 'ENGINE_IMPULSE_DRIVE_I', 'REACTOR_CHEMICAL_I', 41_752, { required: 0, capacity: 0 }),
    SHIP_SIPHON_DRONE: ship(80, 9, 15, 'EXCAVATOR', 'FRAME_DRONE', 'ENGINE_IMPULSE_DRIVE_I', 'REACTOR_CHEMICAL_I', 39_861, { required: 0, capacity: 0 }),
    SHIP_SURVEYOR: ship(80, 9, 0, 'SURVEYOR', 'FRAME_DRONE', 'ENGINE_IMPULSE_DRIVE_I', 'REACTOR_CHEMICAL_I', 27_693, { required: 0, capacity: 0 }),
    SHIP_LIGHT_SHUTTLE: ship(300, 15, 40, 'TRANSPORT', 'FRAME_SHUTTLE', 'ENGINE_ION_DRIVE_I', 'REACTOR_CHEMICAL_I', 88_853, { required: 1, capacity: 3 }),
    SHIP_LIGHT_HAULER: ship(600, 15, 80, 'HAULER', 'FRAME_LIGHT_FREIGHTER', 'ENGINE_ION_DRIVE_I', 'REACTOR_FISSION_I', 272_775, { required: 55, capacity: 80 }),
    SHIP_ORE_HOUND: ship(300, 15, 40, 'EXCAVATOR', 'FRAME_MINER', 'ENGINE_ION_DRIVE_I', 'REACTOR_FISSION_I', 120_000, { required: 20, capacity: 40 }),
    SHIP_INTERCEPTOR: ship(160, 15, 0, 'INTERCEPTOR', 'FRAME_INTERCEPTOR', 'ENGINE_ION_DRIVE_I', 'REACTOR_CHEMICAL_I', 60_000, { required: 5, capacity: 10 }),
    SHIP_COMMAND_FRIGATE: ship(400, 36, 40, 'COMMAND', 'FRAME_FRIGATE', 'ENGINE_ION_DRIVE_II', 'REACTOR_FISSION_I', 400_000, { required: 57, capacity: 80 }),
    SHIP_EXPLORER: ship(800, 36, 40, 'EXPLORER', 'FRAME_EXPLORER', 'ENGINE_ION_DRIVE_II', 'REACTOR_FUSION_I', 350_000, { required: 20, capacity: 40 }),
    SHIP_HEAVY_FREIGHTER: ship(2300, 36, 225, 'HAULER', 'FRAME_HEAVY_FREIGHTER', 'ENGINE_ION_DRIVE_II', 'REACTOR_FUSION_I', 1_200_000, { required: 100, capacity: 150 }),
    SHIP_REFINING_FREIGHTER: ship(2300, 36, 150, 'REFINERY', 'FRAME_HEAVY_FREIGHTER', 'ENGINE_ION_DRIVE_II', 'REACTOR_FUSION_I', 1_500_000, { required: 100, capacity: 150 }),
    SHIP_BULK_FREIGHTER: ship(2300, 15, 600, 'HAULER', 'FRAME_BULK_FREIGHTER', 'ENGINE_ION_DRIVE_I', 'REACTOR_FUSION_I', 2_000_000, { required: 100, capacity: 150 }),
  },
  extraction: DEFAULT_EXTRACTION_CONFIG,
};

/** DEFAULT_SIM_CONFIG with `overrides` applied (shallow per field; nested records replace whole). */
export function resolveConfig(overrides: Partial<SimConfig> = {}): SimConfig {
  const merged: SimConfig = { ...DEFAULT_SIM_CONFIG };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  if (!(merged.timeScale > 0)) throw new Error(`timeScale must be a positive number, got ${String(merged.timeScale)}`);
  return merged;
}
