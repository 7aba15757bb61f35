import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { SpaceTradersClient } from '../api/client.js';
import { BaseCommand } from '../cli/base-command.js';
import { apiFlags, storeFlag, supplyChainFlag } from '../cli/flags.js';
import { invalidInput } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { defaultStorePath, requireToken, resolveBaseUrl } from '../config/config.js';
import { writePlan } from '../plan/file.js';
import { renderText } from '../plan/render.js';
import { createPlan } from '../planner/create.js';
import { detectServer } from '../executor/time-scale.js';
import { expectedProfitResult } from '../pnl/expected.js';
import { parseDuration } from '../spec/duration.js';
import { Store } from '../state/store.js';
import { loadSupplyChain } from '../supply-chain/index.js';

/** Default plan file: `<spec dir>/<spec base name>.plan.yaml`, next to the spec. */
export function defaultPlanFile(specFile: string): string {
  const base = path.basename(specFile).replace(/\.(ya?ml|json)$/i, '');
  return path.join(path.dirname(specFile), `${base}.plan.yaml`);
}

export default class Plan extends BaseCommand {
  static override jsonSchema = 'plan-result.schema.json';

  static override summary = 'Make a reviewable plan file from a production spec and the current markets.';

  static override description = `Reads the spec, the agent, its fleet and the system's markets (listings and observed prices are cached in the store, so a second plan makes few requests), decides for every good of the tree, the target included, whether to BUY it (where it is sold with enough supply, at the lowest landed cost) or MAKE it (feed a factory that EXPORTS it and IMPORTS its inputs, then buy the output), assigns ships, and estimates credits, fuel, game time and API requests. Prints a summary and writes the plan (YAML, no secrets) for review and \`st-goods apply\`. Markets no ship has observed are priced from a base-price table and marked as estimates.

With a target that is sold or delivered to a contract, the summary shows the expected profit (revenue against cost, margin) and names the MAKE nodes whose output earns less than it costs.

Refuses (exit 5) when a good can be neither bought nor made, the fleet has no cargo room, the budget (policy.maxCredits, and the agent's credits minus policy.reserveCredits) cannot cover the plan, or the expected profit is below policy.minProfit (naming the nodes that lose).`;

  static override examples = [
    { description: 'Plan 40 IRON and write plans/iron.plan.yaml', command: '<%= config.bin %> <%= command.id %> plans/iron.yaml' },
    { description: 'Write the plan elsewhere, valid for 30 minutes', command: '<%= config.bin %> <%= command.id %> plans/machinery.yaml --out /tmp/machinery.plan.yaml --expires-in 30m' },
    { description: 'In CI: exit 2 when the plan has work to do, 0 when nothing is needed', command: '<%= config.bin %> <%= command.id %> plans/iron.yaml --detailed-exitcode' },
    { description: 'Against the local simulator, machine-readable', command: 'ST_BASE_URL=http://127.0.0.1:8080/v2 <%= config.bin %> <%= command.id %> plans/iron.yaml --json' },
  ];

  static override args = {
    spec: Args.string({ description: 'production spec file (YAML)', required: true }),
  };

  static override flags = {
    ...apiFlags,
    out: Flags.string({ description: 'plan file to write (default: <spec name>.plan.yaml next to the spec)' }),
    'detailed-exitcode': Flags.boolean({ description: 'exit 0 when there is nothing to do, 2 when the plan has work (Terraform convention)', default: false }),
    'supply-chain': supplyChainFlag,
    store: storeFlag('holding the market cache'),
    'expires-in': Flags.string({ description: 'plan lifetime, e.g. 30m, 2h, 1h30m', default: '2h' }),
    'refresh-markets': Flags.boolean({ description: 're-fetch market listings even when the cache is fresh', default: false }),
  };


  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Plan);
    const lifetime = parseDuration(flags['expires-in']);
    if (lifetime === undefined || lifetime <= 0) {
      throw invalidInput(`--expires-in ${flags['expires-in']} is not a duration.`, 'Use hours, minutes and seconds, e.g. --expires-in 30m or --expires-in 1h30m.');
    }
    const supplyChain = loadSupplyChain(flags['supply-chain']);
    const baseUrl = resolveBaseUrl(flags['base-url']);
    // The estimates price requests and production in the server's game time (a simulator says its
    // own); as apply, a local simulator running without its rate limiter needs no client-side
    // throttling either (a plan across systems reads every market of each system in scope once).
    const server = await detectServer(baseUrl);
    const client = new SpaceTradersClient({ baseUrl, token: requireToken(this.tokenFileArg(flags)), ...(server.rateLimited ? {} : { limiter: false as const }) });
    const store = await Store.open(flags.store ?? defaultStorePath());
    try {
      const created = await createPlan({
        specFile: args.spec,
        client,
        store,
        supplyChain,
        now: new Date(),
        toolVersion: this.config.version,
        lifetimeSeconds: lifetime,
        refreshListings: flags['refresh-markets'],
        server,
      });
      const file = flags.out ?? defaultPlanFile(args.spec);
      writePlan(file, created.plan);
      const plan = created.plan;
      const hasWork = plan.tasks.length > 0;
      if (!this.jsonEnabled()) {
        this.log(renderText(plan).trimEnd());
        this.log(`\nPlan written to ${file} (${created.requests} API requests while planning${created.listingsFromCache ? ', market listings from cache' : ''}).`);
        this.log(hasWork ? `Review it, then run: st-goods apply ${file}` : 'Nothing to do.');
      }
      const result = {
        planId: plan.planId,
        file,
        hasWork,
        expiresAt: plan.expiresAt,
        target: plan.spec.target,
        decision: { action: plan.decisions.action, waypoint: plan.decisions.waypoint },
        tasks: plan.tasks.length,
        ships: [...new Set(plan.tasks.map((t) => t.ship))].sort(),
        estimates: plan.estimates,
        budget: { maxCredits: plan.spec.policy.maxCredits, reserveCredits: plan.spec.policy.reserveCredits },
        planningRequests: created.requests,
        ...expectedProfitResult(plan),
      };
      // Terraform's -detailed-exitcode: 2 when the plan has work to do (the result is still the one --json document).
      return flags['detailed-exitcode'] && hasWork ? this.withExitCode(result, ExitCode.USAGE) : result;
    } finally {
      await store.close().catch(() => undefined);
    }
  }
}
