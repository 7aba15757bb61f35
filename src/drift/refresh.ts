import type { SpaceTradersClient } from '../api/client.js';
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
 * per plan market with a ship present.
 */
export async function refreshPlan(plan: PlanFile, client: RefreshClient, store: Store, now: () => Date = () => new Date()): Promise<{ report: DriftReport; requests: number }> {
  const ships = await client.listShips();
  let requests = Math.max(1, Math.ceil(ships.length / 20));
  const waypoints = [...new Set(plan.observations.map((o) => o.waypoint))].sort();
  const present = new Set(ships.filter((s) => s.nav.status !== 'IN_TRANSIT').map((s) => s.nav.waypointSymbol));
  const fresh: MarketObservation[] = [];
  for (const wp of waypoints.filter((w) => present.has(w))) {
    const market = await client.getMarket(plan.spec.system, wp);
    requests++;
    const at = now();
    await recordObservation(store, market, at);
    fresh.push(...observationsOf(market, at));
  }
  fresh.push(...(await readObservations(store, waypoints.filter((w) => !present.has(w)))));
  const shipsNow = ships.map((s) => ({ symbol: s.symbol, waypoint: s.nav.waypointSymbol, cargo: s.cargo.inventory.map((i) => ({ good: i.symbol, units: i.units })) }));
  return { report: driftOf(plan, fresh, shipsNow), requests };
}
