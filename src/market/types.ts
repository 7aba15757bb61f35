import type { MarketObservation, TradeType } from '../plan/types.js';

/** What a market trades, as the waypoint and market listings show it (visible without a ship). */
export interface MarketListing {
  waypoint: string;
  x: number;
  y: number;
  exports: string[];
  imports: string[];
  exchange: string[];
}

/**
 * Prices, supply and tradeVolume of one good at one market: either observed (by a ship now, or
 * from the cache, with its age) or estimated from the base-price table (no ship has seen it).
 */
export interface MarketQuote extends MarketObservation {
  estimated: boolean;
  /** Seconds between observedAt and the view's `now`; undefined for estimates. */
  ageSeconds?: number;
  /** An estimate made because the last observation (of this time) was too old to trust. */
  staleSince?: string;
}

export interface ListedGood {
  listing: MarketListing;
  type: TradeType;
}
