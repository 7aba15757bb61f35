import type { SpaceTradersClient } from '../api/client.js';
import type { Market, Ship } from '../api/types.js';
import { observationsOf, readObservations, recordObservation } from '../market/cache.js';
import type { MarketObservation, PlanFile } from '../plan/types.js';
import type { Store } from '../state/store.js';
import { driftOf, type DriftReport } from './diff.js';

export type RefreshClient = Pick<SpaceTradersClient, 'listShips' | 'getMarket'>;

/**
 * `st-goods refresh PLAN` and apply's check before a new run: re-reads what the plan rests on and
 * diffs it against the plan's observations. Markets where one of the agent's ships is now are
 * read (their prices are visible; the read is cached like any other); the others come from the
 * market cache when something newer than the plan was seen there (other runs, other plans), else
 * they are listed as not seen again. The fleet is one listShips. Requests: 1 per 20 ships, plus 1
 * per plan market with a ship present (with `usedOnly`, apply's check: only the markets its
 * tasks buy or sell at, the only ones whose drift can refuse the plan). What it read (the fleet, the markets) is returned, so that
 * apply starts its run from it instead of reading it again.
 */
export async function refreshPlan(
  plan: PlanFile,
  client: RefreshClient,
  store: Store,
  opts: { now?: () => Date; usedOnly?: boolean } = {},
): Promise<{ report: DriftReport; requests: number; ships: Ship[]; markets: Map<string, Market> }> {
  const ships = await client.listShips();
  let requests = Math.max(1, Math.ceil(ships.length / 20));
  const now = opts.now ?? (() => new Date());
  const used = new Set(plan.tasks.flatMap((t) => [t.source, t.destination]).flatMap((e) => ('waypoint' in e ? [e.waypoint] : [])));
  const waypoints = [...new Set(plan.observations.map((o) => o.waypoint))].filter((w) => !opts.usedOnly || used.has(w)).sort();
  const present = new Set(ships.filter((s) => s.nav.status !== 'IN_TRANSIT').map((s) => s.nav.waypointSymbol));
  const fresh: MarketObservation[] = [];
  const markets = new Map<string, Market>();
  for (const wp of waypoints.filter((w) => present.has(w))) {
    const market = await client.getMarket(plan.spec.system, wp);
    markets.set(wp, market);
    requests++;
    const at = now();
    await recordObservation(store, market, at);
    fresh.push(...observationsOf(market, at));
  }
  fresh.push(...(await readObservations(store, waypoints.filter((w) => !present.has(w)))));
  const shipsNow = ships.map((s) => ({ symbol: s.symbol, waypoint: s.nav.waypointSymbol, cargo: s.cargo.inventory.map((i) => ({ good: i.symbol, units: i.units })) }));
  const basis = opts.usedOnly ? { ...plan, observations: plan.observations.filter((o) => used.has(o.waypoint)) } : plan;
  return { report: driftOf(basis, fresh, shipsNow), requests, ships, markets };
}
