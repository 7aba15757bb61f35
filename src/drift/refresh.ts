import type { SpaceTradersClient } from '../api/client.js';
import type { Market, Ship } from '../api/types.js';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { observationsOf, readObservations, recordObservation } from '../market/cache.js';
import type { MarketObservation, PlanFile } from '../plan/types.js';
import type { Store } from '../state/store.js';
import { driftOf, renderDrift, type DriftReport } from './diff.js';

export type RefreshClient = Pick<SpaceTradersClient, 'listShips' | 'getMarket'>;

/**
 * The drift of a plan from reads already made: the fleet now, and markets read with a ship
 * present (by waypoint, when they were read); every other market the plan rests on comes from
 * the market cache when something newer than the plan was seen there (other runs, other plans),
 * else it is listed as not seen again. No request of its own.
 */
export async function driftFromReads(plan: PlanFile, ships: Iterable<Ship>, markets: ReadonlyMap<string, { market: Market; at: Date }>, store: Store): Promise<DriftReport> {
  const waypoints = [...new Set(plan.observations.map((o) => o.waypoint))].sort();
  const fresh: MarketObservation[] = [];
  for (const [, m] of markets) fresh.push(...observationsOf(m.market, m.at));
  fresh.push(...(await readObservations(store, waypoints.filter((w) => !markets.has(w)))));
  const shipsNow = [...ships].map((s) => ({ symbol: s.symbol, waypoint: s.nav.waypointSymbol, cargo: s.cargo.inventory.map((i) => ({ good: i.symbol, units: i.units })) }));
  return driftOf(plan, fresh, shipsNow);
}

/**
 * `st-goods refresh PLAN`: re-reads what the plan rests on and diffs it against the plan's
 * observations. Markets where one of the agent's ships is now are read (their prices are
 * visible; the read is cached like any other). Requests: 1 per 20 ships, plus 1 per plan market
 * with a ship present.
 */
export async function refreshPlan(plan: PlanFile, client: RefreshClient, store: Store, now: () => Date = () => new Date()): Promise<{ report: DriftReport; requests: number }> {
  const ships = await client.listShips();
  let requests = Math.max(1, Math.ceil(ships.length / 20));
  const wanted = new Set(plan.observations.map((o) => o.waypoint));
  const present = [...new Set(ships.filter((s) => s.nav.status !== 'IN_TRANSIT').map((s) => s.nav.waypointSymbol))].filter((w) => wanted.has(w)).sort();
  const markets = new Map<string, { market: Market; at: Date }>();
  for (const wp of present) {
    const market = await client.getMarket(plan.spec.system, wp);
    requests++;
    const at = now();
    await recordObservation(store, market, at);
    markets.set(wp, { market, at });
  }
  return { report: await driftFromReads(plan, ships, markets, store), requests };
}

/** apply's refusal of a saved plan whose markets moved beyond policy.maxDrift (exit 6, with the diff). */
export class PlanDriftedError extends UserError {
  constructor(
    file: string,
    readonly report: DriftReport,
  ) {
    super({
      code: 'PLAN_DRIFTED',
      exitCode: ExitCode.STALE_PLAN,
      message: `Nothing was bought: the markets plan ${file} rests on moved beyond policy.maxDrift since it was made.\n${renderDrift(report)}`,
      hint: `Re-run with --replan to plan again from the plan's spec (its summary is shown for approval, and the new plan replaces ${file}), or make a new plan with \`st-goods plan SPEC\`; \`st-goods refresh ${file}\` shows the diff again.`,
      details: report,
    });
  }
}
