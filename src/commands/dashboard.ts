import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { invalidInput } from '../cli/errors.js';
import { storeFlag } from '../cli/flags.js';
import { defaultStorePath } from '../config/config.js';
import { openInBrowser } from '../dashboard/open.js';
import { DEFAULT_ALERT_AFTER_MS, startDashboard } from '../dashboard/server.js';
import { parseDuration } from '../spec/index.js';

export default class Dashboard extends BaseCommand {
  static override jsonSchema = 'dashboard-result.schema.json';

  static override summary = 'Serve a live web page of the runs in a store: progress, ships over time, factories, map, events.';

  static override description = `Serves, on loopback by default, a page read from the journal that \`st-goods apply\` writes (no API calls, no token): the runs list with lock holders; each run's dependency tree coloured by state, target progress, credits against the budget and the reserve, P&L, API requests and 429s; per-ship lanes over time (flights, docking, trades, production waits, the plan's schedule, a now line and ETAs); why each blocked task waits and what ends it; each factory's supply, activity and prices over the run with our trades; a map of the system with the ships and their routes; the event stream, filterable by ship, task and kind. The page updates live from journal changes (server-sent events). A running apply with no progress for --alert-after raises an alert on the page and, with --log-json, an NDJSON event. With --allow-control the page can stop a run and remove a dead holder's lock, each after a confirmation. Runs until Ctrl-C (exit 0).`;

  static override examples = [
    { description: 'Watch the runs of the default store, in your browser', command: '<%= config.bin %> <%= command.id %> --open' },
    { description: 'A fixed port, with the stop and unlock controls', command: '<%= config.bin %> <%= command.id %> --store fleet.sqlite --port 8090 --allow-control' },
    { description: 'Alert after 5 minutes without progress, as NDJSON on stdout', command: '<%= config.bin %> <%= command.id %> --alert-after 5m --log-json -' },
  ];

  static override flags = {
    store: storeFlag('with the journal: a SQLite file or a postgres:// URL shared by several hosts'),
    host: Flags.string({ description: 'interface to listen on (loopback by default; anything else exposes your runs)', default: '127.0.0.1' }),
    port: Flags.integer({ description: 'port to listen on (0: a free one)', default: 0, min: 0, max: 65535 }),
    open: Flags.boolean({ description: 'open the page in the default browser', default: false }),
    'allow-control': Flags.boolean({ description: 'let the page stop runs and remove dead locks (read-only without it)', default: false }),
    'alert-after': Flags.string({ description: 'a running apply with no progress (trade, departure, restart) for this long raises an alert, e.g. 10m, 90s', default: '10m' }),
    'log-json': Flags.string({ description: "append alert events as NDJSON to FILE ('-' for stdout; schemas/events.schema.json)" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Dashboard);
    const alertSeconds = parseDuration(flags['alert-after']);
    if (alertSeconds === undefined || alertSeconds <= 0) {
      throw invalidInput(`--alert-after ${flags['alert-after']} is not a duration.`, 'Give a positive duration such as 90s, 10m or 1h.');
    }
    const storeFile = flags.store ?? defaultStorePath();
    const dash = await startDashboard({
      storeFile,
      host: flags.host,
      port: flags.port,
      allowControl: flags['allow-control'],
      alertAfterMs: alertSeconds * 1000 || DEFAULT_ALERT_AFTER_MS,
      logJson: flags['log-json'],
    });
    const info = { url: dash.url, host: dash.host, port: dash.port, pid: process.pid, store: storeFile, allowControl: flags['allow-control'], alertAfterSeconds: alertSeconds };
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(info)}\n`);
    else {
      this.logToStderr(`st-goods dashboard on ${dash.url} (${flags['allow-control'] ? 'controls on: stop and unlock' : 'read-only; --allow-control enables stop and unlock'}), store ${storeFile}. Stop with Ctrl-C.`);
    }
    if (flags.open) openInBrowser(dash.url, (why) => this.logToStderr(`Could not open a browser (${why}); open ${dash.url} yourself.`));
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await dash.close();
  }
}
