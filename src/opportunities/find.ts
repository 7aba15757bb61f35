import type { SpaceTradersClient } from '../api/client.js';
import { systemOf } from '../api/symbols.js';
import { loadMarketView } from '../market/load.js';
import { fleetShipOf } from '../planner/create.js';
import type { Store } from '../state/store.js';
import { SupplyChainGraph, type SupplyChain } from '../supply-chain/index.js';
import { rankOpportunities, type Opportunity, type Skipped } from './rank.js';

export type OpportunityClient = Pick<SpaceTradersClient, 'getStatus' | 'getAgent' | 'listShips' | 'listWaypoints' | 'getMarket' | 'listContracts' | 'getWaypoint'>;

export interface FoundOpportunities {
  system: string;
  agentCredits: number;
  rows: Opportunity[];
  skipped: Skipped[];
  /** API requests made (agent, fleet, contracts, market view). */
  requests: number;
  listingsFromCache: boolean;
}

/**
 * `st-goods opportunities` as a service: reads the agent, its fleet (the ships with a hold in the
 * system), its contracts and the system's markets (through the cache, as `plan` does), then ranks
 * (rank.ts). A read: it never buys, moves or accepts anything.
 */
export async function findOpportunities(opts: { client: OpportunityClient; store: Store; supplyChain: SupplyChain; system?: string; goods?: string[]; now?: Date }): Promise<FoundOpportunities> {
  const { client, store } = opts;
  const now = opts.now ?? new Date();
  const [status, agent, ships, contracts] = await Promise.all([client.getStatus(), client.getAgent(), client.listShips(), client.listContracts()]);
  let requests = 3 + Math.max(1, Math.ceil(ships.length / 20));
  const system = opts.system ?? systemOf(agent.headquarters);
  const here = ships.filter((s) => s.nav.systemSymbol === system).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const graph = new SupplyChainGraph(opts.supplyChain.map);
  const inputsOf = (g: string): readonly string[] => graph.inputsOf(g);
  const loaded = await loadMarketView({ client, store, system, shipWaypoints: here.filter((s) => s.nav.status !== 'IN_TRANSIT').map((s) => s.nav.waypointSymbol), now, inputsOf });
  requests += loaded.requests;
  for (const s of here) {
    const d = s.nav.route.destination;
    if (d.symbol === s.nav.waypointSymbol && !loaded.view.hasPosition(d.symbol)) loaded.view.addPosition(d.symbol, d.x, d.y);
  }
  // A contract may deliver to a waypoint without a market: its position, for the plan's flights.
  for (const c of contracts) {
    for (const d of c.terms.deliver ?? []) {
      const wp = d.destinationSymbol;
      if (loaded.view.hasPosition(wp) || !wp.startsWith(`${system}-`) || c.fulfilled) continue;
      const w = await client.getWaypoint(system, wp);
      requests++;
      loaded.view.addPosition(w.symbol, w.x, w.y);
    }
  }
  const fleet = here.map(fleetShipOf).filter((s) => s.cargoCapacity > 0);
  const { rows, skipped } = fleet.length
    ? rankOpportunities({ system, view: loaded.view, fleet, inputsOf, agentCredits: agent.credits, lineage: { agentSymbol: agent.symbol, resetDate: status.resetDate }, contracts, now, goods: opts.goods })
    : { rows: [], skipped: [] };
  return { system, agentCredits: agent.credits, rows, skipped, requests, listingsFromCache: loaded.listingsFromCache };
}
