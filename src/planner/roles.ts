import type { MarketView } from '../market/view.js';
import { infeasible } from '../cli/errors.js';
import { sellWalk } from './pricing.js';

/**
 * (issue 13) Waypoints a spec names by role instead of by symbol (a reset changes symbols).
 * `deliver: {sell: best-bid}`: of the markets in scope that buy the good (IMPORT or EXCHANGE) and
 * that a route reaches, the one whose bid pays most for the quantity with the sell walk, less
 * `costTo(waypoint)` (the antimatter of getting there from the fleet; bids no ship has seen are
 * estimates, as everywhere). Ties go to the waypoint that sorts first.
 */
export function bestBid(view: MarketView, good: string, quantity: number, costTo: (waypoint: string) => number = () => 0): { waypoint: string; why: string } {
  const options = view
    .marketsListing(good)
    .filter((m) => m.type !== 'EXPORT' && !view.unreachable(m.listing.waypoint))
    .map((m) => {
      const q = view.quote(m.listing.waypoint, good)!;
      return { waypoint: m.listing.waypoint, q, revenue: sellWalk(q.sellPrice, q.tradeVolume, quantity).total - costTo(m.listing.waypoint) };
    })
    .sort((a, b) => b.revenue - a.revenue || (a.waypoint < b.waypoint ? -1 : 1));
  const best = options[0];
  if (!best) {
    throw infeasible(`The spec sells ${good} at the best bid, but no market in scope (${view.systems().join(', ')}) buys ${good}.`, 'Keep it in the hold (deliver: hold), or widen policy.scope; then re-run `st-goods plan`.', { good });
  }
  const est = best.q.estimated ? ', an estimate: no ship has seen that market' : '';
  return { waypoint: best.waypoint, why: `sold at ${best.waypoint}, the best bid in scope for ${quantity} (${best.q.type} bid ${best.q.sellPrice}${est}; ~${best.revenue} net of the jumps there; ${options.length} market(s) buy it)` };
}
