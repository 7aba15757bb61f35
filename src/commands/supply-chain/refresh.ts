import fs from 'node:fs';
import { Flags } from '@oclif/core';
import { SpaceTradersClient } from '../../api/client.js';
import { BaseCommand } from '../../cli/base-command.js';
import { apiFlags } from '../../cli/flags.js';
import { requireToken, resolveBaseUrl } from '../../config/config.js';
import { SUPPLY_CHAIN_ENV, userSupplyChainPath } from '../../supply-chain/load.js';
import { readSavedSupplyChainJson, refreshSupplyChainFile } from '../../supply-chain/refresh.js';
import type { SupplyChainMap } from '../../supply-chain/types.js';
import type { SupplyChainOrigin } from '../../supply-chain/writer.js';

export default class SupplyChainRefresh extends BaseCommand {
  static override jsonSchema = 'supply-chain-refresh-result.schema.json';

  static override summary = "Fetch the supply chain from the API into the config dir's supply_chain.yaml.";

  static override description = `Calls GET /market/supply-chain (one request) and writes its exportToImportMap as YAML, in the API's order and with a header saying where and when it came from, then prints the goods added, removed and changed. Writes to --out, else ST_GOODS_SUPPLY_CHAIN, else <config dir>/supply_chain.yaml, which every command then reads instead of the bundled copy (never into the installed package; delete it to go back to the bundled one). A file whose content is already the same is left untouched unless --force. --from-json imports a saved response instead of calling the API.`;

  static override examples = [
    { description: 'After a server reset: write <config dir>/supply_chain.yaml, used from then on', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Write a copy elsewhere and use it', command: '<%= config.bin %> <%= command.id %> --out ./supply_chain.yaml && st-goods graph IRON --supply-chain ./supply_chain.yaml' },
    { description: 'From the local simulator', command: '<%= config.bin %> <%= command.id %> --base-url http://127.0.0.1:8080/v2 --out /tmp/sim-supply-chain.yaml' },
    { description: 'From a saved API response, offline', command: '<%= config.bin %> <%= command.id %> --from-json supply_chain.json --out supply_chain.yaml' },
  ];

  static override flags = {
    ...apiFlags,
    out: Flags.string({ description: 'file to write (default: ST_GOODS_SUPPLY_CHAIN, else <config dir>/supply_chain.yaml)' }),
    'from-json': Flags.string({ description: 'read a saved GET /market/supply-chain response instead of calling the API' }),
    force: Flags.boolean({ description: 'rewrite the file even when nothing changed (updates its Fetched date)', default: false }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(SupplyChainRefresh);
    // Never into the installed package: the user's config dir, which every command then reads.
    const out = flags.out ?? process.env[SUPPLY_CHAIN_ENV] ?? userSupplyChainPath();
    let map: SupplyChainMap;
    let origin: SupplyChainOrigin;
    if (flags['from-json']) {
      map = readSavedSupplyChainJson(flags['from-json']);
      origin = { source: `a saved GET /market/supply-chain response (${flags['from-json']})`, fetchedAt: fs.statSync(flags['from-json']).mtime.toISOString() };
    } else {
      const baseUrl = resolveBaseUrl(flags['base-url']);
      const client = new SpaceTradersClient({ baseUrl, token: requireToken(this.tokenFileArg(flags)) });
      map = (await client.getSupplyChain()).exportToImportMap as SupplyChainMap;
      origin = { source: `GET ${baseUrl}/market/supply-chain`, fetchedAt: new Date().toISOString() };
    }
    const result = refreshSupplyChainFile(out, map, origin, flags.force);
    if (!this.jsonEnabled()) {
      const d = result.diff;
      if (result.previousMissing) this.log(`${out}: new file, ${result.goods} goods.`);
      else if (d.same) this.log(`${out}: no change (${result.goods} goods, ${result.hash})${result.written ? '; rewritten (--force or new key order)' : ''}.`);
      else {
        this.log(`${out}: ${result.goods} goods; ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed.`);
        for (const g of d.added) this.log(`  + ${g}: [${(map[g] ?? []).join(', ')}]`);
        for (const g of d.removed) this.log(`  - ${g}`);
        for (const c of d.changed) this.log(`  ~ ${c.good}: [${c.before.join(', ')}] → [${c.after.join(', ')}]`);
      }
    }
    return result;
  }
}
