/**
 * Base-price estimates for markets nobody has observed yet.
 *
 * The API shows prices, supply and tradeVolume only while one of our ships is at a market. For
 * the others the planner needs *some* number, so it uses this table, and marks every quote made
 * from it as an estimate in the plan (MarketQuote.estimated, DecisionNode reasons say so).
 *
 * Source: the medians of the 147 live tradeGoods of the real starting system X1-AD75
 * (shared/data/starting_system_X1-AD75.json, captured 2025-04-09; MECHANICS.md §3.3), per good
 * and trade type: purchase price (the ask) at EXPORT, IMPORT and EXCHANGE markets, and the median
 * tradeVolume. Regenerate it from a newer capture rather than editing numbers by hand.
 *
 * Goods absent from the capture (79 of 129) get an ask derived from their inputs (see
 * estimateExportAsk in estimate.ts), and the ratios below for the other trade types.
 */
export interface BasePrice {
  /** Median ask at a market that EXPORTS the good. */
  export: number | null;
  /** Median ask at a market that IMPORTS the good (imports are dear: ~3.3x the export ask). */
  import: number | null;
  /** Median ask at an EXCHANGE. */
  exchange: number | null;
  /** Median tradeVolume (units per purchase call). */
  tradeVolume: number;
}

export const BASE_PRICES: Readonly<Record<string, BasePrice>> = {
  ADVANCED_CIRCUITRY: { export: 4007, import: null, exchange: null, tradeVolume: 20 },
  ALUMINUM: { export: 147, import: 488, exchange: null, tradeVolume: 60 },
  ALUMINUM_ORE: { export: 48, import: 148, exchange: 62, tradeVolume: 60 },
  AMMONIA_ICE: { export: null, import: 100, exchange: 42, tradeVolume: 60 },
  AMMUNITION: { export: 1126, import: 3802, exchange: null, tradeVolume: 20 },
  ANTIMATTER: { export: null, import: null, exchange: 5050, tradeVolume: 18 },
  ASSAULT_RIFLES: { export: 2371, import: 9178, exchange: null, tradeVolume: 20 },
  BIOCOMPOSITES: { export: 3712, import: null, exchange: null, tradeVolume: 20 },
  BOTANICAL_SPECIMENS: { export: 8531, import: null, exchange: null, tradeVolume: 6 },
  CLOTHING: { export: 3219, import: 10315, exchange: null, tradeVolume: 20 },
  COPPER: { export: 190, import: 627, exchange: null, tradeVolume: 60 },
  COPPER_ORE: { export: 38, import: 148, exchange: 57, tradeVolume: 60 },
  DIAMONDS: { export: null, import: 232, exchange: 92, tradeVolume: 60 },
  DRUGS: { export: 2903, import: 10912, exchange: null, tradeVolume: 20 },
  ELECTRONICS: { export: 1838, import: 5652, exchange: null, tradeVolume: 20 },
  EQUIPMENT: { export: 1896, import: 6602, exchange: null, tradeVolume: 20 },
  EXOTIC_MATTER: { export: null, import: 71496, exchange: null, tradeVolume: 6 },
  EXPLOSIVES: { export: 112, import: 380, exchange: null, tradeVolume: 20 },
  FABRICS: { export: 1443, import: 5022, exchange: null, tradeVolume: 60 },
  FAB_MATS: { export: 1143, import: null, exchange: null, tradeVolume: 20 },
  FERTILIZERS: { export: 136, import: 439, exchange: null, tradeVolume: 60 },
  FIREARMS: { export: 2348, import: 8050, exchange: null, tradeVolume: 20 },
  FOOD: { export: 1490, import: 4415, exchange: null, tradeVolume: 60 },
  FUEL: { export: 50, import: null, exchange: 72, tradeVolume: 60 },
  GOLD: { export: 207, import: 786, exchange: null, tradeVolume: 60 },
  GOLD_ORE: { export: null, import: 218, exchange: null, tradeVolume: 60 },
  HYDROCARBON: { export: null, import: 116, exchange: 47, tradeVolume: 60 },
  ICE_WATER: { export: null, import: null, exchange: 17, tradeVolume: 180 },
  IRON: { export: 85, import: 311, exchange: null, tradeVolume: 60 },
  IRON_ORE: { export: 35, import: 120, exchange: 52, tradeVolume: 60 },
  JEWELRY: { export: 2181, import: 6898, exchange: null, tradeVolume: 20 },
  LAB_INSTRUMENTS: { export: 3652, import: 11724, exchange: null, tradeVolume: 20 },
  LIQUID_HYDROGEN: { export: null, import: 66, exchange: 27, tradeVolume: 60 },
  LIQUID_NITROGEN: { export: null, import: 78, exchange: 32, tradeVolume: 60 },
  MACHINERY: { export: 1826, import: 6200, exchange: null, tradeVolume: 20 },
  MEDICINE: { export: 3266, import: 9854, exchange: null, tradeVolume: 20 },
  MERITIUM_ORE: { export: null, import: null, exchange: 1223, tradeVolume: 180 },
  MICROPROCESSORS: { export: 1961, import: 7290, exchange: null, tradeVolume: 20 },
  PLASTICS: { export: 126, import: 398, exchange: null, tradeVolume: 60 },
  PLATINUM: { export: 216, import: null, exchange: null, tradeVolume: 60 },
  PLATINUM_ORE: { export: null, import: 198, exchange: null, tradeVolume: 60 },
  POLYNUCLEOTIDES: { export: 160, import: 568, exchange: null, tradeVolume: 20 },
  PRECIOUS_STONES: { export: 53, import: 184, exchange: 78, tradeVolume: 60 },
  QUARTZ_SAND: { export: null, import: 52, exchange: 22, tradeVolume: 60 },
  SHIP_PARTS: { export: 2870, import: 15042, exchange: null, tradeVolume: 6 },
  SHIP_PLATING: { export: 2768, import: 14332, exchange: null, tradeVolume: 6 },
  SILICON_CRYSTALS: { export: null, import: 89, exchange: 37, tradeVolume: 60 },
  SILVER: { export: 195, import: 680, exchange: null, tradeVolume: 60 },
  SILVER_ORE: { export: null, import: 164, exchange: null, tradeVolume: 60 },
  URANITE_ORE: { export: null, import: null, exchange: 324, tradeVolume: 180 },
};

/** Ratios between trade types, from the same capture (median IMPORT/EXPORT and EXCHANGE/EXPORT asks). */
export const IMPORT_TO_EXPORT_ASK = 3.3;
export const EXCHANGE_TO_EXPORT_ASK = 1.5;
/** At IMPORT and EXPORT markets the bid (sellPrice) is about the ask / 2.07 (MECHANICS.md §3.3). */
export const ASK_TO_BID = 2.07;
/** A manufactured good is worth about this many times the sum of its inputs' export asks. */
export const VALUE_ADDED_FACTOR = 1.6;
/** Ask used when nothing better is known (a good with no data and no inputs with data). */
export const DEFAULT_EXPORT_ASK = 2000;
/** tradeVolume used when nothing better is known. */
export const DEFAULT_TRADE_VOLUME = 20;
