export { MarketView } from './view.js';
export { loadMarketView, type MarketClient, type LoadMarketViewOptions, type LoadedMarketView } from './load.js';
export { recordObservation, readObservations, readListings, writeListings, observationsOf, MARKET_NAMESPACE, LISTING_MAX_AGE_SECONDS, OBSERVATION_MAX_AGE_SECONDS } from './cache.js';
export { estimateQuote, estimateExportAsk, ESTIMATED_SUPPLY } from './estimate.js';
export { supplyRank, supplyAtLeast, supplyAbove, supplyBelow } from './supply.js';
export type { MarketListing, MarketQuote, ListedGood } from './types.js';
