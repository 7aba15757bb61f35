import fs from 'node:fs';
import { Flags } from '@oclif/core';
import YAML from 'yaml';
import { SpaceTradersClient } from '../api/client.js';
import { BaseCommand } from '../cli/base-command.js';
import { invalidInput } from '../cli/errors.js';
import { apiFlags, storeFlag, supplyChainFlag } from '../cli/flags.js';
import { defaultStorePath, requireToken, resolveBaseUrl } from '../config/config.js';
import { findOpportunities } from '../opportunities/find.js';
import { renderOpportunities } from '../opportunities/render.js';
import { Store } from '../state/store.js';
import { SupplyChainGraph, loadSupplyChain } from '../supply-chain/index.js';
import { requireKnownGood } from '../supply-chain/goods-arg.js';

export default class Opportunities extends BaseCommand {
  static override jsonSchema = 'opportunities-result.schema.json';

  static override summary = 'Rank what would pay here: goods to make and sell, and open contracts, by expected profit per game hour.';

  static override description = `A read of the world, never an action. From the system's markets as the planner sees them (observed by your ships or cached; where no ship has seen a market, estimated from the base-price table and marked), plans every good a factory of the system can make (made here in one hold-load of your largest ship, sold at the market with the best bid for it) and every open contract's remaining delivery (sourced the cheapest way, paid (onAccepted + onFulfilled) / unitsRequired per unit), and ranks them by expected profit per game hour, with profit per API request beside it. Each row is the planner's own plan, so its numbers are those \`st-goods plan\` would show. Goods that cannot be planned are listed with why. --spec-out writes a row as a production spec (with policy.minProfit: 0) to plan and apply.`;

  static override examples = [
    { description: 'What pays in the HQ system', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Only some goods, machine-readable', command: '<%= config.bin %> <%= command.id %> --good MACHINERY --good ELECTRONICS --json' },
    { description: 'Turn the best row into a spec, then plan it', command: '<%= config.bin %> <%= command.id %> --spec-out best.yaml && st-goods plan best.yaml' },
    { description: 'The third row as a spec', command: '<%= config.bin %> <%= command.id %> --spec-out third.yaml --pick 3' },
  ];

  static override flags = {
    ...apiFlags,
    system: Flags.string({ description: 'system symbol (default: the system of the agent headquarters)' }),
    good: Flags.string({ description: 'only this good (repeatable)', multiple: true }),
    'spec-out': Flags.string({ description: 'write the row picked by --pick (default: the best) as a production spec to this file' }),
    pick: Flags.integer({ description: 'with --spec-out: the row to write (1 = the best)', default: 1, min: 1 }),
    store: storeFlag('holding the market cache'),
    'supply-chain': supplyChainFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Opportunities);
    const supplyChain = loadSupplyChain(flags['supply-chain']);
    const graph = new SupplyChainGraph(supplyChain.map);
    const goods = flags.good?.map((g) => requireKnownGood(graph, g));
    const client = new SpaceTradersClient({ baseUrl: resolveBaseUrl(flags['base-url']), token: requireToken(this.tokenFileArg(flags)) });
    const store = await Store.open(flags.store ?? defaultStorePath());
    try {
      const found = await findOpportunities({ client, store, supplyChain, system: flags.system, goods });
      let specFile: string | undefined;
      if (flags['spec-out']) {
        const row = found.rows[flags.pick - 1];
        if (!row) throw invalidInput(`--pick ${flags.pick}: there ${found.rows.length === 1 ? 'is 1 row' : `are ${found.rows.length} rows`}, so no spec was written.`, 'Pick a row that the list shows (1 is the best).');
        fs.writeFileSync(flags['spec-out'], `# st-goods opportunities, row ${flags.pick}: expected ${row.profit} credits (${row.profitPerHour}/game hour)${row.estimated ? '; rests on ESTIMATED prices' : ''}\n${YAML.stringify(row.spec)}`);
        specFile = flags['spec-out'];
      }
      if (!this.jsonEnabled()) {
        this.log(renderOpportunities(found));
        if (specFile) this.log(`\nRow ${flags.pick} written to ${specFile}: st-goods plan ${specFile}`);
      }
      return { ...found, ...(specFile ? { specFile } : {}) };
    } finally {
      await store.close().catch(() => undefined);
    }
  }
}
