/**
 * Extraction facts shared by the simulator and the planner (BEYOND.md b.1–b.3): what a waypoint
 * yields by its traits, the cooldown of an extract, survey or siphon, and what a ship can do from
 * its mounts and modules (as the API lists them).
 *
 * Trait tables: ESE's extraction_score ("listed in trait descriptions" plus "seen in game" [M]). A
 * good listed by the trait weighs 3, a good only seen there weighs 1; a waypoint's table is the sum
 * over its traits; an asteroid with no deposit trait counts as MINERAL_DEPOSITS. DIAMONDS come only
 * from surveys (a Surveyor II finds them where precious stones lie).
 */
import type { Ship } from '../api/types.js';

export type Weights = Readonly<Record<string, number>>;

const LISTED = 3;
const SEEN = 1;

const BY_TRAIT: Readonly<Record<string, Weights>> = {
  COMMON_METAL_DEPOSITS: { IRON_ORE: LISTED, COPPER_ORE: LISTED, ALUMINUM_ORE: LISTED, ICE_WATER: SEEN, SILICON_CRYSTALS: SEEN, QUARTZ_SAND: SEEN },
  MINERAL_DEPOSITS: { SILICON_CRYSTALS: LISTED, QUARTZ_SAND: LISTED, AMMONIA_ICE: SEEN, ICE_WATER: SEEN, IRON_ORE: SEEN, PRECIOUS_STONES: SEEN },
  PRECIOUS_METAL_DEPOSITS: {
    PLATINUM_ORE: LISTED, GOLD_ORE: LISTED, SILVER_ORE: LISTED,
    ALUMINUM_ORE: SEEN, COPPER_ORE: SEEN, ICE_WATER: SEEN, QUARTZ_SAND: SEEN, SILICON_CRYSTALS: SEEN,
  },
  RARE_METAL_DEPOSITS: { URANITE_ORE: LISTED, MERITIUM_ORE: LISTED },
  FROZEN: { ICE_WATER: LISTED, AMMONIA_ICE: LISTED },
  ICE_CRYSTALS: { ICE_WATER: LISTED, AMMONIA_ICE: LISTED },
};

/** Gases a siphon draws from a gas giant (b.3: ESE, WHY); EXPLOSIVE_GASES and SWAMP favour HYDROCARBON. */
const GASES: Weights = { HYDROCARBON: LISTED, LIQUID_HYDROGEN: LISTED, LIQUID_NITROGEN: LISTED };
const GAS_TRAITS: Readonly<Record<string, Weights>> = { EXPLOSIVE_GASES: { HYDROCARBON: LISTED }, SWAMP: { HYDROCARBON: SEEN } };

/** Waypoint types a mining laser works at (4205 elsewhere); ASTEROID_FIELD is the pre-v2.1 name. */
export const EXTRACTABLE_TYPES: ReadonlySet<string> = new Set(['ASTEROID', 'ENGINEERED_ASTEROID', 'ASTEROID_FIELD']);
export const SIPHONABLE_TYPE = 'GAS_GIANT';

/** Cooldown of an extract, survey or siphon: 60 + 10 × Σ power of the mounts used (b.1, ESE live-verified [M]). */
export const COOLDOWN_BASE_SECONDS = 60;
export const COOLDOWN_PER_POWER_SECONDS = 10;

export function cooldownSeconds(power: number, base = COOLDOWN_BASE_SECONDS, perPower = COOLDOWN_PER_POWER_SECONDS): number {
  return base + perPower * power;
}

/**
 * "Assume about 10 extractions per minute before you risk the asteroid becoming unstable"
 * (v2.1 notes, b.1); over it the game answers 4253 and the asteroid stays UNSTABLE for a while.
 */
export const ASTEROID_EXTRACTIONS_PER_MINUTE = 10;

function sum(tables: Weights[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tables) for (const [good, w] of Object.entries(t)) out[good] = (out[good] ?? 0) + w;
  return out;
}

/** The laser yield table of an extractable waypoint, from its traits. */
export function mineralWeights(traits: readonly string[]): Weights {
  const tables = traits.map((t) => BY_TRAIT[t]).filter((t): t is Weights => t !== undefined);
  return sum(tables.length > 0 ? tables : [BY_TRAIT['MINERAL_DEPOSITS']!]);
}

/** What a survey can list: the laser table plus DIAMONDS wherever PRECIOUS_STONES lie. */
export function surveyWeights(traits: readonly string[]): Weights {
  const base = mineralWeights(traits);
  return base['PRECIOUS_STONES'] ? { ...base, DIAMONDS: SEEN } : base;
}

export function gasWeights(traits: readonly string[]): Weights {
  return sum([GASES, ...traits.map((t) => GAS_TRAITS[t]).filter((t): t is Weights => t !== undefined)]);
}

/** The yield table of a waypoint for a method, or undefined when the method does not work there. */
export function yieldWeights(method: ExtractMethod, type: string, traits: readonly string[]): Weights | undefined {
  if (method === 'EXTRACT') return EXTRACTABLE_TYPES.has(type) ? mineralWeights(traits) : undefined;
  return type === SIPHONABLE_TYPE ? gasWeights(traits) : undefined;
}

/** A weighted pick; `r` is uniform in [0, 1). Keys are iterated in their insertion order. */
export function pickWeighted(weights: Weights, r: number): string {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [good, w] of entries) {
    x -= w;
    if (x < 0) return good;
  }
  return entries[entries.length - 1]![0];
}

/** The share of `good` in a yield table (0 when it is not there). */
export function shareOf(weights: Weights, good: string): number {
  const total = Object.values(weights).reduce((s, w) => s + w, 0);
  return total > 0 ? (weights[good] ?? 0) / total : 0;
}

export type ExtractMethod = 'EXTRACT' | 'SIPHON';

/** Σ strength and Σ power of one kind of mount on a ship. */
export interface MountSum {
  strength: number;
  power: number;
}

/** What a ship can do for extraction, from its mounts and modules. */
export interface Extractor {
  /** Mining lasers, with a mineral processor. */
  mine?: MountSum;
  /** Gas siphons, with a gas processor. */
  siphon?: MountSum;
  /** Surveyors, and the goods they can find. */
  survey?: MountSum & { deposits: string[] };
}

function mountSum(ship: Pick<Ship, 'mounts'>, prefix: string): MountSum | undefined {
  const ms = ship.mounts.filter((m) => m.symbol.startsWith(prefix));
  if (!ms.length) return undefined;
  return { strength: ms.reduce((s, m) => s + (m.strength ?? 0), 0), power: ms.reduce((s, m) => s + (m.requirements.power ?? 0), 0) };
}

/** The ship's extraction equipment (undefined when it has none that works). */
export function extractorOf(ship: Pick<Ship, 'mounts' | 'modules'>): Extractor | undefined {
  const modules = new Set(ship.modules.map((m) => m.symbol));
  const mine = modules.has('MODULE_MINERAL_PROCESSOR_I') ? mountSum(ship, 'MOUNT_MINING_LASER') : undefined;
  const siphon = modules.has('MODULE_GAS_PROCESSOR_I') ? mountSum(ship, 'MOUNT_GAS_SIPHON') : undefined;
  const surveyors = ship.mounts.filter((m) => m.symbol.startsWith('MOUNT_SURVEYOR'));
  const surveySum = mountSum(ship, 'MOUNT_SURVEYOR');
  const survey = surveySum ? { ...surveySum, deposits: [...new Set(surveyors.flatMap((m) => m.deposits ?? []))].sort() } : undefined;
  if (!mine && !siphon && !survey) return undefined;
  return { ...(mine ? { mine } : {}), ...(siphon ? { siphon } : {}), ...(survey ? { survey } : {}) };
}
