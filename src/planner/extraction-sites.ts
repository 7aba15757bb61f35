/**
 * (issue 14) What the planner reads for extraction: the fleet's extraction equipment (from the
 * ships as listed) and, when some ship can mine or siphon, the system's asteroids and gas giants
 * with their traits and coordinates. Sites rarely change: they are cached in the store like
 * market listings (LISTING_MAX_AGE_SECONDS), so a warm plan makes no extra request.
 */
import type { SpaceTradersClient } from '../api/client.js';
import type { Ship } from '../api/types.js';
import { EXTRACTABLE_TYPES, SIPHONABLE_TYPE, extractorOf, type Extractor } from '../game/extraction.js';
import { LISTING_MAX_AGE_SECONDS, MARKET_NAMESPACE } from '../market/cache.js';
import type { MarketView } from '../market/view.js';
import type { Store } from '../state/store.js';
import type { ExtractionInput, ExtractionSite } from './extraction.js';

interface SitesRecord {
  system: string;
  fetchedAt: string;
  sites: Array<ExtractionSite & { x: number; y: number }>;
}

const sitesKey = (system: string): string => `extraction-sites:${system}`;

/** The extraction equipment of these ships, by symbol (ships with none are absent). */
export function extractorsOf(ships: readonly Ship[]): Record<string, Extractor> {
  const out: Record<string, Extractor> = {};
  for (const s of ships) {
    const e = extractorOf(s);
    if (e) out[s.symbol] = e;
  }
  return out;
}

/**
 * The extraction input of a plan, or undefined when no fleet ship can mine or siphon. Adds the
 * sites' positions to the view. Returns the API requests it made.
 */
export async function loadExtraction(opts: {
  client: Pick<SpaceTradersClient, 'listWaypoints'>;
  store: Store;
  system: string;
  ships: readonly Ship[];
  view: MarketView;
  now: Date;
  refresh?: boolean;
}): Promise<{ extraction?: ExtractionInput; requests: number }> {
  const extractors = extractorsOf(opts.ships);
  if (!Object.values(extractors).some((e) => e.mine || e.siphon)) return { requests: 0 };
  const kv = opts.store.namespace(MARKET_NAMESPACE);
  let rec = opts.refresh ? undefined : ((await kv.get(sitesKey(opts.system))) as SitesRecord | undefined);
  let requests = 0;
  if (!rec || (opts.now.getTime() - Date.parse(rec.fetchedAt)) / 1000 > LISTING_MAX_AGE_SECONDS) {
    const sites: SitesRecord['sites'] = [];
    for (const type of [...EXTRACTABLE_TYPES, SIPHONABLE_TYPE].sort()) {
      const wps = await opts.client.listWaypoints(opts.system, { type: type as never });
      requests += Math.max(1, Math.ceil(wps.length / 20));
      for (const w of wps) sites.push({ waypoint: w.symbol, type: w.type, traits: w.traits.map((t) => t.symbol).sort(), x: w.x, y: w.y });
    }
    sites.sort((a, b) => (a.waypoint < b.waypoint ? -1 : 1));
    rec = { system: opts.system, fetchedAt: opts.now.toISOString(), sites };
    await kv.set(sitesKey(opts.system), rec);
  }
  for (const s of rec.sites) if (!opts.view.hasPosition(s.waypoint)) opts.view.addPosition(s.waypoint, s.x, s.y);
  return { extraction: { sites: rec.sites.map(({ waypoint, type, traits }) => ({ waypoint, type, traits })), extractors }, requests };
}
