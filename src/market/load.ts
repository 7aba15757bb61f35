import type { components } from '../api/generated/spacetraders.js';
import type { SpaceTradersClient } from '../api/client.js';
import type { Store } from '../state/store.js';
import { LISTING_MAX_AGE_SECONDS, OBSERVATION_MAX_AGE_SECONDS, readListings, readObservations, recordObservation, writeListings } from './cache.js';
import type { MarketListing } from './types.js';
import { MarketView } from './view.js';

type Market = components['schemas']['Market'];
type Waypoint = components['schemas']['Waypoint'];

/** The part of the API client the market view needs: listWaypoints returns every page. */
export type MarketClient = Pick<SpaceTradersClient, 'listWaypoints' | 'getMarket'>;

export interface LoadMarketViewOptions {
  client: MarketClient;
  store: Store;
  system: string;
  /** Waypoints where one of our ships is now: their markets are read fresh (tradeGoods visible). */
  shipWaypoints: readonly string[];
  now: Date;
  inputsOf?: (good: string) => readonly string[];
  /** Ignore cached listings and fetch them again. */
  refreshListings?: boolean;
  /** Cached prices older than this are ignored (default OBSERVATION_MAX_AGE_SECONDS). */
  maxObservationAgeSeconds?: number;
}

export interface LoadedMarketView {
  view: MarketView;
  /** API requests this load made (waypoint pages counted at 20 per page). */
  requests: number;
  listingsFromCache: boolean;
}

const toListing = (wp: Waypoint, m: Market): MarketListing => ({
  waypoint: wp.symbol,
  x: wp.x,
  y: wp.y,
  exports: m.exports.map((g) => g.symbol).sort(),
  imports: m.imports.map((g) => g.symbol).sort(),
  exchange: m.exchange.map((g) => g.symbol).sort(),
});

/**
 * Builds the market view of a system. Listings come from the cache when younger than
 * LISTING_MAX_AGE_SECONDS, else from the API (waypoints with MARKETPLACE, then each market once,
 * recording the observations of markets where a ship happens to be). Markets where our ships
 * are now are always read fresh and recorded; every other market's prices come from the cache
 * (with their age) or, if never observed, from estimates.
 */
export async function loadMarketView(opts: LoadMarketViewOptions): Promise<LoadedMarketView> {
  const { client, store, system, now } = opts;
  const here = new Set(opts.shipWaypoints);
  let requests = 0;
  let listings: MarketListing[] | undefined;
  const freshlyRead = new Set<string>();

  const cached = opts.refreshListings ? undefined : await readListings(store, system);
  const fresh = cached && (now.getTime() - Date.parse(cached.fetchedAt)) / 1000 <= LISTING_MAX_AGE_SECONDS;
  if (cached && fresh) {
    listings = cached.markets;
  } else {
    const waypoints = (await client.listWaypoints(system, { traits: ['MARKETPLACE'] })).slice().sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
    requests += Math.max(1, Math.ceil(waypoints.length / 20));
    listings = [];
    for (const wp of waypoints) {
      const market = await client.getMarket(system, wp.symbol);
      requests += 1;
      listings.push(toListing(wp, market));
      if (market.tradeGoods?.length) {
        await recordObservation(store, market, now);
        freshlyRead.add(wp.symbol);
      }
    }
    await writeListings(store, system, listings, now);
  }

  const marketSymbols = new Set(listings.map((l) => l.waypoint));
  for (const wp of [...here].sort()) {
    if (!marketSymbols.has(wp) || freshlyRead.has(wp)) continue;
    const market = await client.getMarket(system, wp);
    requests += 1;
    await recordObservation(store, market, now);
  }

  const observations = await readObservations(store, [...marketSymbols]);
  const view = new MarketView({
    system,
    listings,
    observations,
    now,
    inputsOf: opts.inputsOf,
    maxObservationAgeSeconds: opts.maxObservationAgeSeconds ?? OBSERVATION_MAX_AGE_SECONDS,
  });
  return { view, requests, listingsFromCache: Boolean(cached && fresh) };
}
