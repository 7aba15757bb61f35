import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { storeFlag } from '../cli/flags.js';
import { defaultStorePath } from '../config/config.js';
import { loadStatus, renderStatus } from '../executor/status-view.js';
import { Store } from '../state/store.js';

export default class Status extends BaseCommand {
  static override jsonSchema = 'status.schema.json';

  static override summary = 'Show where an apply run stands: the decision tree, ships, progress, credits, game time, API requests.';

  static override description = `Reads the journal that \`st-goods apply\` writes (the same store, SQLite or Postgres; no API calls, no token needed): each node of the decision tree with its state (✅ COMPLETED, ⏳ IN_PROGRESS, 🔄 WAITING, ❌ FAILED) and ship, each ship's current step, units acquired and delivered, credits spent against the budget, game time elapsed with an ETA from the plan's critical path, and API requests used. Without RUN, the latest run. --watch redraws every few seconds until the run ends.`;

  static override examples = [
    { description: 'The latest run', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'One run, as JSON (schemas/status.schema.json)', command: '<%= config.bin %> <%= command.id %> run-20260101120000-abc123 --json' },
    { description: 'Follow a run another terminal (or cron) is applying', command: '<%= config.bin %> <%= command.id %> --watch' },
  ];

  static override args = {
    run: Args.string({ description: 'run id (default: the latest run)', required: false }),
  };

  static override flags = {
    store: storeFlag('with the journal'),
    watch: Flags.boolean({ description: 'redraw until the run is no longer running', default: false }),
    interval: Flags.integer({ description: 'seconds between redraws with --watch', default: 2, min: 1 }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Status);
    const store = await Store.open(flags.store ?? defaultStorePath());
    try {
      let report = await loadStatus(store, args.run);
      if (flags.watch && !this.jsonEnabled()) {
        for (let i = 0; i < 100_000; i++) {
          if (process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
          this.log(renderStatus(report));
          if (report.status !== 'running') break;
          await new Promise((r) => setTimeout(r, flags.interval * 1000));
          report = await loadStatus(store, report.runId);
          if (!process.stdout.isTTY) this.log('');
        }
        return report;
      }
      if (!this.jsonEnabled()) this.log(renderStatus(report));
      return report;
    } finally {
      await store.close();
    }
  }
}
