/**
 * What an extraction yields, by the waypoint's traits (BEYOND.md b.1: ESE's extraction_score,
 * "listed in trait descriptions" plus "seen in game" [M]). A good listed by the trait weighs 3, a
 * good only seen there weighs 1; a waypoint's table is the sum over its traits. An asteroid with no
 * deposit trait counts as MINERAL_DEPOSITS ("asteroid implies MINERAL_DEPOSITS"). DIAMONDS come
 * only from surveys (a Surveyor II finds them where precious stones lie).
 */
import type { WorldWaypoint } from '../world/types.js';

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

function sum(tables: Weights[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tables) for (const [good, w] of Object.entries(t)) out[good] = (out[good] ?? 0) + w;
  return out;
}

/** The laser yield table of an extractable waypoint. */
export function mineralWeights(w: WorldWaypoint): Weights {
  const tables = w.traits.map((t) => BY_TRAIT[t]).filter((t): t is Weights => t !== undefined);
  return sum(tables.length > 0 ? tables : [BY_TRAIT['MINERAL_DEPOSITS']!]);
}

/** What a survey can list: the laser table plus DIAMONDS wherever PRECIOUS_STONES lie. */
export function surveyWeights(w: WorldWaypoint): Weights {
  const base = mineralWeights(w);
  return base['PRECIOUS_STONES'] ? { ...base, DIAMONDS: SEEN } : base;
}

export function gasWeights(w: WorldWaypoint): Weights {
  return sum([GASES, ...w.traits.map((t) => GAS_TRAITS[t]).filter((t): t is Weights => t !== undefined)]);
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
