import { Args } from '@oclif/core';
import { SpaceTradersClient } from '../api/client.js';
import { BaseCommand } from '../cli/base-command.js';
import { apiFlags, storeFlag } from '../cli/flags.js';
import { defaultStorePath, requireToken, resolveBaseUrl } from '../config/config.js';
import { renderDrift } from '../drift/diff.js';
import { refreshPlan } from '../drift/refresh.js';
import { readPlan } from '../plan/file.js';
import { Store } from '../state/store.js';

export default class Refresh extends BaseCommand {
  static override jsonSchema = 'refresh-result.schema.json';

  static override summary = 'Re-read what a plan rests on and show how the world moved since it was made.';

  static override description = `Re-reads every market the plan's observations come from (where one of your ships is now; elsewhere the market cache, when something newer was seen there) and the fleet, and prints a diff against the plan: for each quote, the ask and bid moved by %, supply, activity and tradeVolume; ships that moved or whose cargo changed; quotes that could not be seen again. Marks the moves that exceed policy.maxDrift (a price that moved against the plan by more than its percent: the ask where it buys risen, the bid where it sells fallen; a market it buys from whose supply fell below policy.minSupply): \`st-goods apply\` refuses such a plan (exit 6) unless --replan. A read: nothing is bought or moved; exit 0 either way (the result says "exceeds").`;

  static override examples = [
    { description: 'Has the world moved since the plan was made?', command: '<%= config.bin %> <%= command.id %> plans/machinery.plan.yaml' },
    { description: 'In a script: apply only when the plan still holds', command: '<%= config.bin %> <%= command.id %> plans/machinery.plan.yaml --json | jq -e \'.exceeds | not\' && st-goods apply plans/machinery.plan.yaml' },
  ];

  static override args = {
    plan: Args.string({ description: 'plan file written by `st-goods plan`', required: true }),
  };

  static override flags = {
    ...apiFlags,
    store: storeFlag('holding the market cache'),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Refresh);
    const plan = readPlan(args.plan);
    const client = new SpaceTradersClient({ baseUrl: resolveBaseUrl(flags['base-url']), token: requireToken(this.tokenFileArg(flags)) });
    const store = await Store.open(flags.store ?? defaultStorePath());
    try {
      const { report, requests } = await refreshPlan(plan, client, store);
      if (!this.jsonEnabled()) this.log(`${renderDrift(report)}\n(${requests} API requests)`);
      return { ...report, requests };
    } finally {
      await store.close().catch(() => undefined);
    }
  }
}
