import { SpaceTradersClient } from '../api/client.js';
import { BaseCommand } from '../cli/base-command.js';
import { apiFlags } from '../cli/flags.js';
import { requireToken, resolveBaseUrl } from '../config/config.js';
import { listContracts, renderContracts } from '../contracts/contracts.js';

export default class Contracts extends BaseCommand {
  static override jsonSchema = 'contracts-result.schema.json';

  static override summary = "List the agent's contracts: id, terms and what each asks to deliver where.";

  static override description = `Reads every contract of the token's agent (GET /my/contracts, all pages) and shows for each its id, type, faction, whether it is accepted or fulfilled, its deadline, its payment and every delivery (good, destination waypoint, units required, fulfilled and still to deliver). Put the id of one under target.deliver.contract in a production spec (and the units it still needs under target.quantity); \`st-goods plan\` reads the destination from the contract. Open contracts come first. --json prints {contracts: [...]} (schema: schemas/contracts-result.schema.json).`;

  static override examples = [
    { description: "The agent's contracts", command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Against the local simulator, machine-readable', command: 'ST_BASE_URL=http://127.0.0.1:8080/v2 <%= config.bin %> <%= command.id %> --json' },
    { description: 'Ids of the open contracts asking for SHIP_PARTS', command: `<%= config.bin %> <%= command.id %> --json | node -p 'JSON.parse(require("fs").readFileSync(0,"utf8")).contracts.filter((c) => !c.fulfilled && c.deliveries.some((d) => d.good === "SHIP_PARTS")).map((c) => c.id).join("\\n")'` },
  ];

  static override flags = { ...apiFlags };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Contracts);
    const client = new SpaceTradersClient({ baseUrl: resolveBaseUrl(flags['base-url']), token: requireToken(this.tokenFileArg(flags)) });
    const result = await listContracts(client);
    if (!this.jsonEnabled()) process.stdout.write(renderContracts(result));
    return result;
  }
}
