import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { apiFlags, storeFlag } from '../cli/flags.js';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { SpaceTradersClient } from '../api/client.js';
import { defaultStorePath, requireToken, resolveBaseUrl } from '../config/config.js';
import { Journal } from '../state/journal.js';
import { Store } from '../state/store.js';

export default class Stop extends BaseCommand {
  static override jsonSchema = 'stop-result.schema.json';

  static override summary = 'Ask a running apply (started anywhere) to stop cooperatively.';

  static override description = `Without RUN, stops the running run of the agent whose token is configured (never another agent's run in the same store). Sets a stop flag on the run in the store. The apply checks it every few seconds and at every step boundary: it finishes and journals the call in flight, releases the lock and exits 130. Re-run the same apply later to resume.`;

  static override examples = [
    { description: "Stop the current agent's running run", command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Stop one run', command: '<%= config.bin %> <%= command.id %> run-20260101120000-abc123' },
  ];

  static override args = {
    run: Args.string({ description: "run id (default: the running run of the token's agent)", required: false }),
  };

  static override flags = {
    ...apiFlags,
    store: storeFlag('with the journal'),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Stop);
    const store = await Store.open(flags.store ?? defaultStorePath());
    try {
      const journal = new Journal(store);
      let id = args.run;
      if (!id) {
        const client = new SpaceTradersClient({ baseUrl: resolveBaseUrl(flags['base-url']), token: requireToken(this.tokenFileArg(flags)) });
        const agent = (await client.getAgent()).symbol;
        const runs = (await journal.runs()).filter((r) => r.agentSymbol === agent);
        id = (runs.find((r) => r.status === 'running') ?? runs[0])?.runId;
        if (!id) throw new UserError({ code: 'NO_RUN', exitCode: ExitCode.INVALID_INPUT, message: `There is no apply run of agent ${agent} in this store.`, hint: 'See `st-goods status` for the runs, and pass the RUN to stop.' });
      }
      const run = await journal.getRun(id);
      if (!run) {
        throw new UserError({ code: 'NO_RUN', exitCode: ExitCode.INVALID_INPUT, message: `There is no run ${id} in this store.`, hint: 'See `st-goods status` for the runs.' });
      }
      if (run.status !== 'running') {
        if (!this.jsonEnabled()) this.log(`Run ${id} is not running (${run.status}); nothing to stop.`);
        return { runId: id, requested: false, status: run.status };
      }
      await journal.requestStop(id);
      if (!this.jsonEnabled()) this.log(`Stop requested for run ${id}; it stops after the call in flight. Follow it with: st-goods status ${id} --watch`);
      return { runId: id, requested: true, status: run.status };
    } finally {
      await store.close();
    }
  }
}
