import type { components } from '../api/generated/spacetraders.js';
import type { MarketObservation } from '../plan/types.js';
import type { Store } from '../state/store.js';
import type { MarketListing } from './types.js';

type Market = components['schemas']['Market'];

/** The keyv namespace of the market cache in the st-goods store. */
export const MARKET_NAMESPACE = 'market';

/** Listings (what a market trades) rarely change: they are re-fetched after this many seconds. */
export const LISTING_MAX_AGE_SECONDS = 7 * 24 * 3600;

/**
 * Cached prices older than this are not used by the planner (the market is quoted as an estimate,
 * saying so): prices drift back with a half-life of about 3–8 h of game time (MECHANICS.md §3.4),
 * and supply levels move every 20–30 min.
 */
export const OBSERVATION_MAX_AGE_SECONDS = 6 * 3600;

interface ObservationRecord {
  waypoint: string;
  observedAt: string;
  goods: MarketObservation[];
}

interface ListingsRecord {
  system: string;
  fetchedAt: string;
  markets: MarketListing[];
}

const obsKey = (waypoint: string): string => `obs:${waypoint}`;
const listingsKey = (system: string): string => `listings:${system}`;

/** Converts a market read with a ship present into observations (none when tradeGoods is absent). */
export function observationsOf(market: Market, observedAt: Date | string): MarketObservation[] {
  const at = typeof observedAt === 'string' ? observedAt : observedAt.toISOString();
  return (market.tradeGoods ?? [])
    .map((g) => {
      const o: MarketObservation = {
        waypoint: market.symbol,
        good: g.symbol,
        type: g.type,
        supply: g.supply,
        purchasePrice: g.purchasePrice,
        sellPrice: g.sellPrice,
        tradeVolume: g.tradeVolume,
        observedAt: at,
      };
      if (g.activity) o.activity = g.activity;
      return o;
    })
    .sort((a, b) => (a.good < b.good ? -1 : a.good > b.good ? 1 : 0));
}

/**
 * Remembers what a ship just saw at a market (one record per waypoint, replacing the older one).
 * Call it after every GET market made with a ship present (apply does after each market read).
 * A market read without tradeGoods (no ship there) records nothing.
 */
export async function recordObservation(store: Store, market: Market, observedAt: Date | string = new Date()): Promise<void> {
  const goods = observationsOf(market, observedAt);
  if (goods.length === 0) return;
  const kv = store.namespace(MARKET_NAMESPACE);
  const prev = (await kv.get(obsKey(market.symbol))) as ObservationRecord | undefined;
  if (prev && prev.observedAt > goods[0]!.observedAt) return; // never replace newer data with older
  const record: ObservationRecord = { waypoint: market.symbol, observedAt: goods[0]!.observedAt, goods };
  await kv.set(obsKey(market.symbol), record);
}

/** The cached observations of these waypoints (those never observed are simply absent). */
export async function readObservations(store: Store, waypoints: readonly string[]): Promise<MarketObservation[]> {
  const kv = store.namespace(MARKET_NAMESPACE);
  const out: MarketObservation[] = [];
  for (const wp of [...waypoints].sort()) {
    const rec = (await kv.get(obsKey(wp))) as ObservationRecord | undefined;
    if (rec) out.push(...rec.goods);
  }
  return out;
}

export async function readListings(store: Store, system: string): Promise<{ fetchedAt: string; markets: MarketListing[] } | undefined> {
  const rec = (await store.namespace(MARKET_NAMESPACE).get(listingsKey(system))) as ListingsRecord | undefined;
  return rec ? { fetchedAt: rec.fetchedAt, markets: rec.markets } : undefined;
}

export async function writeListings(store: Store, system: string, markets: MarketListing[], fetchedAt: Date): Promise<void> {
  const record: ListingsRecord = { system, fetchedAt: fetchedAt.toISOString(), markets };
  await store.namespace(MARKET_NAMESPACE).set(listingsKey(system), record);
}
