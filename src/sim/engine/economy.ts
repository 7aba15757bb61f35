/**
 * The market economy (MECHANICS.md §3, LESSONS.md "Their measurements"): every market good holds a
 * hidden continuous supply coordinate `x`; its supply label and prices derive from it. Trades move
 * x at once; production, consumption and recovery move it on a lazily computed tick. Pure
 * functions over plain objects (the state is saved by Universe.toJSON as is).
 */
import { exchangePrices } from '../../game/index.js';
import type { SimConfig } from './config.js';
import type { ActivityLevel, SupplyLevel, TradeType, WorldMarket, WorldMarketGood } from '../world/types.js';

export interface GoodState {
  symbol: string;
  type: TradeType;
  tradeVolume: number;
  /** Hidden supply coordinate. */
  x: number;
  /** Where an IMPORT or EXCHANGE good returns to (its starting coordinate). */
  meanX: number;
  /** Sell price (EXPORT/IMPORT) or mid price (EXCHANGE) at x = 0. */
  meanPrice: number;
  /** Purchase/sell ratio of an IMPORT or EXPORT good when the world gave both prices (else config's). */
  spreadRatio?: number;
  /** Tranches traded lately (decaying with config.tradeVolumeGrowth.windowMinutes): drives tradeVolume growth. */
  traded?: number;
}

export interface TransactionState {
  shipSymbol: string;
  tradeSymbol: string;
  type: 'PURCHASE' | 'SELL';
  units: number;
  pricePerUnit: number;
  totalPrice: number;
  /** Real epoch ms. */
  timestamp: number;
}

export interface MarketState {
  symbol: string;
  /** In world order: exports, imports and exchange goods. */
  goods: GoodState[];
  /** Newest last, at most config.marketTransactionsKept. */
  transactions: TransactionState[];
  /** Game ms of the last tick applied. */
  tickGameMs: number;
}

/** Middle of each supply band: SCARCE < -3 ≤ LIMITED < -1 ≤ MODERATE < 1 ≤ HIGH < 3 ≤ ABUNDANT. */
const BAND_CENTER: Record<SupplyLevel, number> = { SCARCE: -4, LIMITED: -2, MODERATE: 0, HIGH: 2, ABUNDANT: 4 };

export function supplyCoordinate(level: SupplyLevel): number {
  return BAND_CENTER[level];
}

export function supplyLabel(x: number): SupplyLevel {
  if (x < -3) return 'SCARCE';
  if (x < -1) return 'LIMITED';
  if (x < 1) return 'MODERATE';
  if (x < 3) return 'HIGH';
  return 'ABUNDANT';
}

/** Price multiplier at supply x relative to x = 0. */
export function priceFactor(type: TradeType, x: number, config: SimConfig): number {
  const flood = type === 'IMPORT' ? config.floodSlope * Math.max(0, x - config.floodThreshold) : 0;
  return Math.exp(-config.priceSlope[type] * x - flood);
}

export interface Prices {
  purchasePrice: number;
  sellPrice: number;
}

export function goodPrices(good: GoodState, config: SimConfig): Prices {
  const level = good.meanPrice * priceFactor(good.type, good.x, config);
  if (good.type === 'EXCHANGE') return exchangePrices(Math.max(3, level));
  const sellPrice = Math.max(1, Math.round(level));
  const ratio = good.spreadRatio ?? config.importExportSpreadRatio;
  return { sellPrice, purchasePrice: Math.max(sellPrice + 1, Math.round(sellPrice * ratio)) };
}

export function newGoodState(g: WorldMarketGood, config: SimConfig): GoodState {
  const x = supplyCoordinate(g.supply);
  const factor = priceFactor(g.type, x, config);
  const observed = g.type === 'EXCHANGE' ? (g.purchasePrice !== undefined ? (g.purchasePrice + g.sellPrice) / 2 : g.sellPrice + 2) : g.sellPrice;
  const state: GoodState = { symbol: g.symbol, type: g.type, tradeVolume: g.tradeVolume, x, meanX: x, meanPrice: observed / factor };
  if (g.type !== 'EXCHANGE' && g.purchasePrice !== undefined && g.purchasePrice > g.sellPrice) state.spreadRatio = g.purchasePrice / g.sellPrice;
  return state;
}

export function newMarketState(m: WorldMarket, config: SimConfig, gameNowMs: number): MarketState {
  return { symbol: m.symbol, goods: m.goods.map((g) => newGoodState(g, config)), transactions: [], tickGameMs: gameNowMs };
}

function clampX(x: number, config: SimConfig): number {
  return Math.min(config.supplyMax, Math.max(config.supplyMin, x));
}

/** A purchase of `units` by an agent: the market's supply falls (and so its prices rise). */
export function applyPurchase(good: GoodState, units: number, config: SimConfig): void {
  good.x = clampX(good.x - (config.tradeImpactPerTranche * units) / good.tradeVolume, config);
}

/** A sale of `units` by an agent: the market's supply rises (and so its prices fall). */
export function applySale(good: GoodState, units: number, config: SimConfig): void {
  good.x = clampX(good.x + (config.tradeImpactPerTranche * units) / good.tradeVolume, config);
}

/**
 * Market growth after a trade of `units` of `good` at `market` (config.tradeVolumeGrowth): once
 * enough tranches were traded lately, tradeVolume steps up to the next observed value, up to the
 * good's cap. An IMPORT grows only while an export it feeds here is being bought.
 */
export function recordTrade(market: MarketState, good: GoodState, units: number, config: SimConfig, map: Readonly<Record<string, readonly string[]>>): void {
  const growth = config.tradeVolumeGrowth;
  good.traded = (good.traded ?? 0) + units / good.tradeVolume;
  if (good.traded < growth.tranches) return;
  if (good.type === 'IMPORT') {
    const fed = market.goods.some((g) => g.type === 'EXPORT' && (g.traded ?? 0) >= 1 && (map[g.symbol] ?? []).includes(good.symbol));
    if (!fed) return;
  }
  const cap = growth.caps.find((c) => good.meanPrice <= c.maxMeanPrice)?.cap ?? good.tradeVolume;
  const next = growth.steps.find((s) => s > good.tradeVolume);
  if (next === undefined || next > cap) return;
  good.tradeVolume = next;
  good.traded = 0;
}

/** Game minutes an export takes to climb one supply label at this activity. */
export function stepMinutes(symbol: string, activity: ActivityLevel, config: SimConfig): number {
  const base = config.productionStepMinutes.byGood[symbol] ?? config.productionStepMinutes.default;
  return activity === 'RESTRICTED' ? base + config.restrictedExtraMinutes : base;
}

export function halfLifeMinutes(tradeVolume: number, config: SimConfig): number {
  for (const tier of config.recoveryHalfLifeMinutes) if (tradeVolume <= tier.maxTradeVolume) return tier.minutes;
  return config.recoveryHalfLifeMinutes[config.recoveryHalfLifeMinutes.length - 1]?.minutes ?? 180;
}

/** The goods of `market` that feed its export `good` (exportToImportMap ∩ the market's imports). */
export function inputsOf(market: MarketState, good: GoodState, map: Readonly<Record<string, readonly string[]>>): GoodState[] {
  const wanted = new Set(map[good.symbol] ?? []);
  return market.goods.filter((g) => g.type === 'IMPORT' && wanted.has(g.symbol));
}

/** Activity of a good now: exports from their inputs' supply; imports from how fed they are. */
export function activityOf(
  market: MarketState,
  good: GoodState,
  config: SimConfig,
  map: Readonly<Record<string, readonly string[]>>,
): ActivityLevel | undefined {
  if (good.type === 'EXCHANGE') return undefined;
  const t = config.activityThresholds;
  if (good.type === 'IMPORT') {
    if (good.x >= t.strongAt + 1) return 'STRONG';
    if (good.x >= t.growingAt + 1) return 'GROWING';
    return 'WEAK';
  }
  const inputs = inputsOf(market, good, map);
  if (inputs.length === 0) return 'WEAK';
  const feed = Math.min(...inputs.map((g) => g.x));
  if (feed < t.restrictedBelow) return 'RESTRICTED';
  if (feed >= t.strongAt) return 'STRONG';
  if (feed >= t.growingAt) return 'GROWING';
  return 'WEAK';
}

/** At most this many tick steps per catch-up; longer idle gaps are stepped coarser. */
const MAX_STEPS = 400;

/**
 * Bring `market` up to game time `gameNowMs`: whole ticks only, so the result does not depend on
 * how often the market is looked at (up to the coarse stepping of very long gaps).
 */
export function advanceMarket(
  market: MarketState,
  gameNowMs: number,
  config: SimConfig,
  map: Readonly<Record<string, readonly string[]>>,
): void {
  const tickMs = config.tickSeconds * 1000;
  const due = Math.floor((gameNowMs - market.tickGameMs) / tickMs);
  if (due <= 0) return;
  const perStep = Math.max(1, Math.ceil(due / MAX_STEPS));
  let left = due;
  while (left > 0) {
    const n = Math.min(perStep, left);
    tick(market, (n * config.tickSeconds) / 3600, config, map);
    left -= n;
  }
  market.tickGameMs += due * tickMs;
}

function decay(x: number, target: number, hours: number, halfLifeMin: number): number {
  return target + (x - target) * Math.pow(0.5, (hours * 60) / halfLifeMin);
}

/** One tick of `hours` game hours. */
function tick(market: MarketState, hours: number, config: SimConfig, map: Readonly<Record<string, readonly string[]>>): void {
  // Decide every export's activity from the stocks at the start of the tick.
  const plans = market.goods
    .filter((g) => g.type === 'EXPORT')
    .map((g) => ({ good: g, activity: activityOf(market, g, config, map) as 'RESTRICTED' | 'WEAK' | 'GROWING' | 'STRONG', inputs: inputsOf(market, g, map) }));
  for (const { good, activity, inputs } of plans) {
    const target = config.productionTarget[activity];
    if (good.x < target) {
      // One label is 2 of x.
      const perHour = (2 * 60) / stepMinutes(good.symbol, activity, config);
      const produced = Math.min(perHour * hours, target - good.x);
      // Land exactly on the target (a band edge) rather than a rounding error below it.
      good.x = produced === target - good.x ? target : good.x + produced;
      const units = (produced * good.tradeVolume) / config.tradeImpactPerTranche;
      for (const input of inputs) {
        input.x = clampX(input.x - (units * config.inputUnitsPerOutputUnit * config.tradeImpactPerTranche) / input.tradeVolume, config);
      }
    } else {
      good.x = decay(good.x, target, hours, halfLifeMinutes(good.tradeVolume, config));
    }
  }
  for (const good of market.goods) {
    if (good.traded) good.traded *= Math.pow(0.5, (hours * 60) / config.tradeVolumeGrowth.windowMinutes);
    if (good.type === 'EXPORT') continue;
    good.x = decay(good.x, good.meanX, hours, halfLifeMinutes(good.tradeVolume, config));
  }
}
