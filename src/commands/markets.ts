import { Flags } from '@oclif/core';
import { SpaceTradersClient } from '../api/client.js';
import { systemOf } from '../api/symbols.js';
import { BaseCommand } from '../cli/base-command.js';
import { apiFlags, storeFlag, supplyChainFlag } from '../cli/flags.js';
import { defaultStorePath, requireToken, resolveBaseUrl } from '../config/config.js';
import { loadMarketView } from '../market/load.js';
import type { MarketQuote } from '../market/types.js';
import { duration } from '../plan/render.js';
import { Store } from '../state/store.js';
import { SupplyChainGraph, loadSupplyChain } from '../supply-chain/index.js';
import { requireKnownGood } from '../supply-chain/goods-arg.js';

export default class Markets extends BaseCommand {
  static override jsonSchema = 'markets-result.schema.json';

  static override summary = "Show the system's markets as the planner sees them: what each trades, prices and their age.";

  static override description = `Lists every market of the system (listings are cached in the store), reads fresh prices where one of your ships is, and shows for each good its supply, ask, bid and tradeVolume with the age of the observation, or ESTIMATE when no ship has seen that market (the planner prices those from a base-price table).`;

  static override examples = [
    { description: 'Every market of the HQ system', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Where IRON is traded in X1-AD75, and at what price', command: '<%= config.bin %> <%= command.id %> --system X1-AD75 --good IRON' },
  ];

  static override flags = {
    ...apiFlags,
    system: Flags.string({ description: 'system symbol (default: the system of the agent headquarters)' }),
    good: Flags.string({ description: 'only this good' }),
    store: storeFlag('holding the market cache'),
    refresh: Flags.boolean({ description: 're-fetch the market listings even when the cache is fresh', default: false }),
    'supply-chain': supplyChainFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Markets);
    const graph = new SupplyChainGraph(loadSupplyChain(flags['supply-chain']).map);
    // A mistyped good is a user error before any request, not an empty list.
    const good = flags.good === undefined ? undefined : requireKnownGood(graph, flags.good);
    const client = new SpaceTradersClient({ baseUrl: resolveBaseUrl(flags['base-url']), token: requireToken(this.tokenFileArg(flags)) });
    const store = await Store.open(flags.store ?? defaultStorePath());
    try {
      const system = flags.system ?? systemOf((await client.getAgent()).headquarters);
      const ships = (await client.listShips()).filter((s) => s.nav.systemSymbol === system);
      const { view, requests, listingsFromCache } = await loadMarketView({
        client,
        store,
        system,
        shipWaypoints: ships.map((s) => s.nav.waypointSymbol),
        now: new Date(),
        inputsOf: (g) => graph.inputsOf(g),
        refreshListings: flags.refresh,
      });
      const rows: MarketQuote[] = [];
      for (const l of view.listings()) {
        const goods = [...l.exports, ...l.imports, ...l.exchange].filter((g) => !good || g === good).sort();
        for (const g of goods) rows.push(view.quote(l.waypoint, g)!);
      }
      if (!this.jsonEnabled()) {
        let last = '';
        for (const q of rows) {
          if (q.waypoint !== last) {
            this.log(`${q.waypoint}`);
            last = q.waypoint;
          }
          const age = q.estimated ? 'ESTIMATE' : `${duration(q.ageSeconds ?? 0)} ago`;
          this.log(`  ${q.good.padEnd(26)} ${q.type.padEnd(8)} ${q.supply.padEnd(8)} ask ${String(q.purchasePrice).padStart(6)}  bid ${String(q.sellPrice).padStart(6)}  tv ${String(q.tradeVolume).padStart(3)}  ${age}`);
        }
        this.log(`\n${view.listings().length} markets in ${system}; ${requests} API requests${listingsFromCache ? ' (listings from cache)' : ''}.`);
      }
      return { system, requests, listingsFromCache, quotes: rows };
    } finally {
      await store.close();
    }
  }
}
