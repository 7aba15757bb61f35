import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { storeFlag } from '../cli/flags.js';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { defaultStorePath } from '../config/config.js';
import { Journal } from '../state/journal.js';
import { Store } from '../state/store.js';

export default class Stop extends BaseCommand {
  static override jsonSchema = 'stop-result.schema.json';

  static override summary = 'Ask a running apply (started anywhere) to stop cooperatively.';

  static override description = `Sets a stop flag on the run in the store. The apply checks it every few seconds and at every step boundary: it finishes and journals the call in flight, releases the lock and exits 130. Re-run the same apply later to resume.`;

  static override examples = [
    { description: 'Stop the latest run', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Stop one run', command: '<%= config.bin %> <%= command.id %> run-20260101120000-abc123' },
  ];

  static override args = {
    run: Args.string({ description: 'run id (default: the latest run)', required: false }),
  };

  static override flags = {
    store: storeFlag('with the journal'),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Stop);
    const store = await Store.open(flags.store ?? defaultStorePath());
    try {
      const journal = new Journal(store);
      const id = args.run ?? (await journal.latestRunId());
      const run = id ? await journal.getRun(id) : undefined;
      if (!id || !run) {
        throw new UserError({ code: 'NO_RUN', exitCode: ExitCode.INVALID_INPUT, message: id ? `There is no run ${id} in this store.` : 'There is no apply run in this store.', hint: 'See `st-goods status` for the runs.' });
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
