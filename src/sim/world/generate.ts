/**
 * A seeded generator of starting systems shaped like real ones (MECHANICS.md §6.5): an HQ planet
 * with orbitals, inner planets and moons, a gas giant, an asteroid belt at r≈310–390 and an outer
 * ring at r≈700–790, fuel stations bridging the gaps, a jump gate; ~80 waypoints, 25–30 markets
 * and 3 shipyards. Markets follow the exportToImportMap: a market exporting X imports X's inputs,
 * and every good placed anywhere is exported or exchanged somewhere. Same seed → same world.
 */
import { DEFAULT_SIM_CONFIG } from '../engine/config.js';
import { priceFactor, supplyCoordinate } from '../engine/economy.js';
import { exchangePrices } from '../../game/index.js';
import { EXPORT_TO_IMPORT_MAP } from './export-to-import-map.js';
import {
  WORLD_FORMAT_VERSION,
  type ShipType,
  type SupplyLevel,
  type TradeSymbol,
  type TradeType,
  type WaypointTraitSymbol,
  type WaypointType,
  type WorldDefinition,
  type WorldMarket,
  type WorldMarketGood,
  type WorldShipyard,
  type WorldWaypoint,
} from './types.js';
import { prng } from '../random.js';



type Kind = 'industry' | 'gas' | 'mining';
export interface Template {
  kind: Kind;
  exports: TradeSymbol[];
}

/** Factories every generated system has (the backbone of the real X1-AD75 layout, MECHANICS.md §3.6). */
const CORE: Template[] = [
  { kind: 'industry', exports: ['FUEL', 'PLASTICS', 'FERTILIZERS'] },
  { kind: 'industry', exports: ['IRON', 'ALUMINUM', 'COPPER'] },
  { kind: 'industry', exports: ['MACHINERY', 'FABRICS', 'POLYNUCLEOTIDES'] },
  { kind: 'industry', exports: ['AMMUNITION', 'EXPLOSIVES'] },
  { kind: 'industry', exports: ['FAB_MATS', 'ELECTRONICS'] },
  { kind: 'industry', exports: ['MICROPROCESSORS'] },
  { kind: 'industry', exports: ['SHIP_PLATING', 'ADVANCED_CIRCUITRY'] },
  { kind: 'industry', exports: ['SHIP_PARTS', 'MEDICINE'] },
  { kind: 'industry', exports: ['FOOD', 'EQUIPMENT', 'CLOTHING'] },
  { kind: 'gas', exports: ['HYDROCARBON', 'LIQUID_HYDROGEN', 'LIQUID_NITROGEN'] },
  { kind: 'mining', exports: ['IRON_ORE', 'COPPER_ORE', 'ALUMINUM_ORE'] },
  { kind: 'mining', exports: ['QUARTZ_SAND', 'SILICON_CRYSTALS', 'ICE_WATER', 'AMMONIA_ICE'] },
];

/** Factories a seed may add. */
const OPTIONAL: Template[] = [
  { kind: 'industry', exports: ['GOLD', 'SILVER', 'PLATINUM'] },
  { kind: 'mining', exports: ['GOLD_ORE', 'SILVER_ORE', 'PLATINUM_ORE', 'PRECIOUS_STONES', 'DIAMONDS'] },
  { kind: 'industry', exports: ['ASSAULT_RIFLES', 'FIREARMS'] },
  { kind: 'industry', exports: ['LAB_INSTRUMENTS'] },
  { kind: 'industry', exports: ['BOTANICAL_SPECIMENS'] },
  { kind: 'industry', exports: ['DRUGS'] },
  { kind: 'industry', exports: ['BIOCOMPOSITES'] },
  { kind: 'industry', exports: ['MILITARY_EQUIPMENT'] },
  { kind: 'industry', exports: ['URANITE', 'MERITIUM'] },
  { kind: 'mining', exports: ['URANITE_ORE', 'MERITIUM_ORE'] },
  { kind: 'industry', exports: ['JEWELRY'] },
];

/**
 * Export sell price at MODERATE supply per good: medians of the real X1-AD75 capture
 * (MECHANICS.md §3.3, 2025-04-09); goods missing there derive from their inputs.
 */
const EXPORT_SELL: Partial<Record<TradeSymbol, number>> = {
  ADVANCED_CIRCUITRY: 1945, ALUMINUM: 70, ALUMINUM_ORE: 24, AMMUNITION: 537, ASSAULT_RIFLES: 1139, BIOCOMPOSITES: 1778,
  BOTANICAL_SPECIMENS: 4253, CLOTHING: 1533, COPPER: 91, COPPER_ORE: 18, DRUGS: 1396, ELECTRONICS: 891, EQUIPMENT: 905,
  EXPLOSIVES: 54, FABRICS: 690, FAB_MATS: 555, FERTILIZERS: 66, FIREARMS: 1134, FOOD: 715, FUEL: 24, GOLD: 100, IRON: 41,
  IRON_ORE: 17, JEWELRY: 1044, LAB_INSTRUMENTS: 1764, MACHINERY: 888, MEDICINE: 1594, MICROPROCESSORS: 937, PLASTICS: 61,
  PLATINUM: 104, POLYNUCLEOTIDES: 76, PRECIOUS_STONES: 26, SHIP_PARTS: 1429, SHIP_PLATING: 1378, SILVER: 95,
  // Raw goods seen only at imports/exchanges there: their exchange sell ÷ 2.8.
  AMMONIA_ICE: 14, DIAMONDS: 31, HYDROCARBON: 15, ICE_WATER: 5, LIQUID_HYDROGEN: 8, LIQUID_NITROGEN: 10, QUARTZ_SAND: 7,
  SILICON_CRYSTALS: 12, URANITE_ORE: 113, MERITIUM_ORE: 425, GOLD_ORE: 30, SILVER_ORE: 24, PLATINUM_ORE: 29,
  ANTIMATTER: 1761, EXOTIC_MATTER: 10497,
};

/** Sell price ratio to the export's, by trade type (X1-AD75 medians: import 3.4×, exchange 2.8×). */
const TYPE_RATIO: Record<TradeType, number> = { EXPORT: 1, IMPORT: 3.4, EXCHANGE: 2.8 };

/**
 * Starting supply label frequencies by trade type in the X1-AD75 capture (worlds/X1-AD75.json,
 * 147 goods): imports start low (SCARCE 29, LIMITED 33, MODERATE 6), exports high (HIGH 18,
 * ABUNDANT 17), exchange goods in the middle (MODERATE 41, LIMITED 1, HIGH 2).
 */
const SUPPLY_WEIGHTS: Record<TradeType, [SupplyLevel, number][]> = {
  IMPORT: [['SCARCE', 29], ['LIMITED', 33], ['MODERATE', 6]],
  EXPORT: [['HIGH', 18], ['ABUNDANT', 17]],
  EXCHANGE: [['LIMITED', 1], ['MODERATE', 41], ['HIGH', 2]],
};

const SHIPYARD_LINEUPS: ShipType[][] = [
  ['SHIP_PROBE', 'SHIP_LIGHT_HAULER', 'SHIP_LIGHT_SHUTTLE'],
  ['SHIP_PROBE', 'SHIP_MINING_DRONE', 'SHIP_SIPHON_DRONE', 'SHIP_SURVEYOR'],
  ['SHIP_PROBE', 'SHIP_LIGHT_HAULER', 'SHIP_ORE_HOUND', 'SHIP_LIGHT_SHUTTLE'],
];

const exportSellCache = new Map<string, number>();

function exportSell(symbol: TradeSymbol): number {
  let price = exportSellCache.get(symbol);
  if (price === undefined) exportSellCache.set(symbol, (price = derivedExportSell(symbol, new Set())));
  return price;
}

function derivedExportSell(symbol: TradeSymbol, seen: Set<string>): number {
  const known = EXPORT_SELL[symbol];
  if (known !== undefined) return known;
  if (seen.has(symbol)) return 100;
  seen.add(symbol);
  const inputs = EXPORT_TO_IMPORT_MAP[symbol] ?? [];
  const sum = inputs.reduce((acc, i) => acc + derivedExportSell(i as TradeSymbol, seen), 0);
  return Math.max(20, Math.round(1.3 * sum));
}

/** The factory templates, for the sector builder. */
export { CORE as CORE_TEMPLATES, OPTIONAL as OPTIONAL_TEMPLATES };

export function inputsOf(symbol: string): string[] {
  return [...new Set(EXPORT_TO_IMPORT_MAP[symbol] ?? [])];
}

/** How the sector builder (sector.ts) shapes a system that is not a starting one. */
export interface GenerateOptions {
  /** The system's symbol (default: drawn from the seed). */
  symbol?: string;
  /** The system's position in the sector (default: drawn from the seed). */
  position?: { x: number; y: number };
  /** Place every optional factory, not a seeded handful (core systems). */
  allOptional?: boolean;
  /** More factories, each on a planet of its own (the sector's advanced goods). */
  extraFactories?: Template[];
}

export function generateWorld(seed: number, opts: GenerateOptions = {}): WorldDefinition {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const between = (lo: number, hi: number): number => lo + rnd() * (hi - lo);
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  const L = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'];
  const drawn = `X1-${pick(L)}${pick(L)}${Math.floor(between(10, 99))}`;
  const system = opts.symbol ?? drawn;

  // ---- waypoints ----
  const waypoints: WorldWaypoint[] = [];
  let counter = 0;
  let cluster = 0;
  const nextLetter = (): string => {
    const i = cluster++;
    return i < L.length ? L[i]! : `${L[Math.floor(i / L.length) - 1]}${L[i % L.length]}`;
  };
  const add = (letter: string, type: WaypointType, x: number, y: number, traits: WaypointTraitSymbol[], orbits?: string): WorldWaypoint => {
    counter += 1;
    const w: WorldWaypoint = { symbol: `${system}-${letter}${counter}`, type, x: Math.round(x), y: Math.round(y), traits: [...traits] };
    if (orbits) w.orbits = orbits;
    waypoints.push(w);
    return w;
  };
  const polar = (rLo: number, rHi: number, angle?: number): [number, number] => {
    const r = between(rLo, rHi);
    const a = angle ?? between(0, 2 * Math.PI);
    return [r * Math.cos(a), r * Math.sin(a)];
  };
  const cluster1 = (type: WaypointType, rLo: number, rHi: number, traits: WaypointTraitSymbol[], angle?: number): WorldWaypoint => {
    const [x, y] = polar(rLo, rHi, angle);
    return add(nextLetter(), type, x, y, traits);
  };
  const orbital = (parent: WorldWaypoint, type: WaypointType, traits: WaypointTraitSymbol[]): WorldWaypoint =>
    add(parent.symbol.slice(system.length + 1).replace(/\d+$/, ''), type, parent.x, parent.y, traits, parent.symbol);

  // Plan the markets first: the core factories, k optional ones, 3–4 fuel stations → 25–30 markets.
  const fuelStations = 3 + Math.floor(rnd() * 2);
  const optionalCount = 4 + Math.floor(rnd() * 5); // 4..8
  const optional = shuffle([...OPTIONAL]).slice(0, opts.allOptional ? OPTIONAL.length : optionalCount);
  const factories = [...CORE, ...optional];
  const industry = factories.filter((f) => f.kind === 'industry');
  const mining = factories.filter((f) => f.kind === 'mining');
  const gas = factories.filter((f) => f.kind === 'gas');

  const markets = new Map<string, { exports: Set<string>; imports: Set<string>; exchange: Set<string> }>();
  const market = (w: WorldWaypoint) => {
    if (!w.traits.includes('MARKETPLACE')) w.traits.push('MARKETPLACE');
    let m = markets.get(w.symbol);
    if (!m) markets.set(w.symbol, (m = { exports: new Set(), imports: new Set(), exchange: new Set() }));
    return m;
  };
  const placeFactory = (w: WorldWaypoint, t: Template) => {
    const m = market(w);
    for (const e of t.exports) m.exports.add(e);
    for (const e of t.exports) for (const i of inputsOf(e)) if (!t.exports.includes(i as TradeSymbol)) m.imports.add(i);
  };
  const shipyards: WorldWaypoint[] = [];

  // HQ planet with three orbitals: a shipyard moon and two factories.
  const hq = cluster1('PLANET', 18, 35, ['SCATTERED_SETTLEMENTS', 'TEMPERATE']);
  const hqMarket = market(hq);
  for (const g of ['FOOD', 'MEDICINE', 'CLOTHING', 'EQUIPMENT', 'EXOTIC_MATTER']) hqMarket.imports.add(g);
  const yard1 = orbital(hq, 'MOON', ['SHIPYARD']);
  shipyards.push(yard1);
  const industrySlots: WorldWaypoint[] = [orbital(hq, 'MOON', ['ROCKY']), orbital(hq, 'ORBITAL_STATION', ['INDUSTRIAL'])];
  const engineered = cluster1('ENGINEERED_ASTEROID', 15, 30, ['HOLLOWED_INTERIOR']);
  market(engineered);

  // Inner planets with moons until every industry factory and the second shipyard have a body.
  let yard2: WorldWaypoint | undefined;
  while (industrySlots.length < industry.length || !yard2) {
    const planet = cluster1('PLANET', 40, 220, [pick(['ROCKY', 'BARREN', 'FROZEN', 'VOLCANIC', 'TEMPERATE'] as const)]);
    industrySlots.push(planet);
    const moons = 1 + Math.floor(rnd() * 2);
    for (let i = 0; i < moons; i++) {
      const moon = orbital(planet, 'MOON', ['ROCKY']);
      if (!yard2) {
        yard2 = moon;
        yard2.traits.push('SHIPYARD');
        shipyards.push(moon);
      } else industrySlots.push(moon);
    }
    if (rnd() < 0.3) industrySlots.push(orbital(planet, 'ORBITAL_STATION', ['INDUSTRIAL']));
  }
  industry.forEach((t, i) => placeFactory(industrySlots[i]!, t));
  for (const t of opts.extraFactories ?? []) {
    const planet = cluster1('PLANET', 60, 260, ['INDUSTRIAL']);
    placeFactory(orbital(planet, 'ORBITAL_STATION', ['INDUSTRIAL']), t);
  }
  for (const y of [yard1, yard2]) {
    const m = market(y);
    m.imports.add('SHIP_PLATING');
    m.imports.add('SHIP_PARTS');
  }

  const giant = cluster1('GAS_GIANT', 120, 260, ['JOVIAN', 'EXPLOSIVE_GASES']);
  for (const t of gas) placeFactory(giant, t);
  orbital(giant, 'MOON', ['FROZEN']);

  // Asteroid belt: an exchange hub (the third shipyard), mining bases, plain asteroids.
  const hub = cluster1('ASTEROID_BASE', 310, 390, ['SHIPYARD', 'OUTPOST']);
  shipyards.push(hub);
  const hubMarket = market(hub);
  for (const g of ['ICE_WATER', 'AMMONIA_ICE', 'QUARTZ_SAND', 'SILICON_CRYSTALS', 'IRON_ORE', 'COPPER_ORE', 'ALUMINUM_ORE']) hubMarket.exchange.add(g);
  mining.forEach((t, i) => placeFactory(cluster1(i === 0 ? 'ASTEROID_BASE' : 'ASTEROID', 310, 390, ['MINERAL_DEPOSITS', 'COMMON_METAL_DEPOSITS']), t));

  // Fuel stations (below) run out along one spoke, each within a frigate's tank (400) of the last; the gate sits near it.
  const spoke = between(0, 2 * Math.PI);
  const gate = cluster1('JUMP_GATE', 420, 520, [], spoke + between(-0.4, 0.4));
  gate.isUnderConstruction = true;
  gate.traits.push('UNDER_CONSTRUCTION');
  market(gate).exchange.add('ANTIMATTER');
  const stationRadii: [number, number][] = [[150, 220], [420, 480], [560, 640], [700, 760]];
  for (let i = 0; i < fuelStations; i++) {
    const [lo, hi] = stationRadii[i]!;
    market(cluster1('FUEL_STATION', lo, hi, [], spoke + between(-0.25, 0.25)));
  }

  // Plain asteroids: the belt and the outer ring, up to ~80 waypoints.
  const target = 78 + Math.floor(rnd() * 7);
  const outer = 12 + Math.floor(rnd() * 5);
  const traits: WaypointTraitSymbol[][] = [['COMMON_METAL_DEPOSITS'], ['MINERAL_DEPOSITS'], ['PRECIOUS_METAL_DEPOSITS'], ['RARE_METAL_DEPOSITS'], ['ICE_CRYSTALS']];
  for (let i = 0; i < outer; i++) cluster1('ASTEROID', 700, 790, pick(traits));
  while (waypoints.length < target) cluster1('ASTEROID', 310, 390, pick(traits));

  // ---- goods: FUEL almost everywhere, and every placed good obtainable somewhere ----
  for (const m of markets.values()) if (!m.exports.has('FUEL')) m.exchange.add('FUEL');
  const obtainable = new Set<string>();
  for (const m of markets.values()) for (const g of [...m.exports, ...m.exchange]) obtainable.add(g);
  for (const m of markets.values()) for (const g of m.imports) if (!obtainable.has(g)) {
    hubMarket.exchange.add(g);
    obtainable.add(g);
  }

  const randomSupply = (type: TradeType): SupplyLevel => {
    const weights = SUPPLY_WEIGHTS[type];
    let r = rnd() * weights.reduce((a, [, w]) => a + w, 0);
    for (const [level, w] of weights) if ((r -= w) < 0) return level;
    return 'MODERATE';
  };
  const good = (symbol: string, type: TradeType): WorldMarketGood => {
    const base = exportSell(symbol as TradeSymbol) * TYPE_RATIO[type] * between(0.85, 1.15);
    const supply = randomSupply(type);
    const level = base * priceFactor(type, supplyCoordinate(supply), DEFAULT_SIM_CONFIG);
    const tradeVolume = type === 'EXCHANGE' ? (base >= 1000 ? 18 : 180) : base < 300 ? 60 : base < 3000 ? 20 : 6;
    if (type === 'EXCHANGE') {
      const p = exchangePrices(Math.max(3, level));
      return { symbol: symbol as TradeSymbol, type, tradeVolume, supply, sellPrice: p.sellPrice, purchasePrice: p.purchasePrice };
    }
    const sellPrice = Math.max(1, Math.round(level));
    return { symbol: symbol as TradeSymbol, type, tradeVolume, supply, sellPrice, purchasePrice: Math.max(sellPrice + 1, Math.round(sellPrice * DEFAULT_SIM_CONFIG.importExportSpreadRatio)) };
  };
  const worldMarkets: WorldMarket[] = [];
  for (const w of waypoints) {
    const m = markets.get(w.symbol);
    if (!m) continue;
    worldMarkets.push({
      symbol: w.symbol,
      goods: [
        ...[...m.exports].map((g) => good(g, 'EXPORT')),
        ...[...m.imports].map((g) => good(g, 'IMPORT')),
        ...[...m.exchange].map((g) => good(g, 'EXCHANGE')),
      ],
    });
  }

  const worldShipyards: WorldShipyard[] = shipyards.map((w, i) => ({
    symbol: w.symbol,
    modificationsFee: 100,
    ships: SHIPYARD_LINEUPS[i % SHIPYARD_LINEUPS.length]!.map((type) => ({
      type,
      purchasePrice: Math.round(DEFAULT_SIM_CONFIG.ships[type].basePrice * between(0.97, 1.03)),
      supply: pick(['MODERATE', 'HIGH', 'ABUNDANT'] as const),
    })),
  }));

  return {
    formatVersion: WORLD_FORMAT_VERSION,
    source: `generated seed ${seed}`,
    system: {
      symbol: system,
      sectorSymbol: 'X1',
      type: pick(['ORANGE_STAR', 'RED_STAR', 'YOUNG_STAR', 'WHITE_DWARF'] as const),
      x: opts.position?.x ?? Math.round(between(-5000, 5000)),
      y: opts.position?.y ?? Math.round(between(-5000, 5000)),
    },
    headquarters: hq.symbol,
    faction: 'COSMIC',
    waypoints,
    markets: worldMarkets,
    shipyards: worldShipyards,
    exportToImportMap: Object.fromEntries(Object.entries(EXPORT_TO_IMPORT_MAP).map(([k, v]) => [k, [...v]])),
  };
}
