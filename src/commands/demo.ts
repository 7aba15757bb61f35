import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { openInBrowser } from '../dashboard/open.js';
import { startDashboard, type RunningDashboard } from '../dashboard/server.js';
import { DEMO_DEFAULTS, runDemo } from '../demo/demo.js';

/** Resolves at the next SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export default class Demo extends BaseCommand {
  static override jsonSchema = 'demo-result.schema.json';

  static override summary = 'Quick start: plan and apply an example against a local simulator, then show the status.';

  static override description = `Starts the simulator in this process (the captured starting system X1-AD75, sped up), registers a new agent, buys light haulers at the shipyard where its probe sits, plans the example spec (plans/advanced-circuitry.yaml by default: it MAKES ADVANCED_CIRCUITRY, buying and making its inputs and feeding them to the factories, with the frigate and the haulers working in parallel), applies it with the progress UI and prints the status. Needs no token and never talks to the real API. Takes under a minute at the default time scale, with the API's rate limits on.`;

  static override examples = [
    { description: 'The quick start', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Watch the quick start live in the browser', command: '<%= config.bin %> <%= command.id %> --dashboard' },
    { description: 'Another example, faster, without the rate limiter', command: '<%= config.bin %> <%= command.id %> --spec machinery.yaml --time-scale 2000 --no-rate-limit' },
  ];

  static override flags = {
    spec: Flags.string({ description: 'example spec under plans/', default: DEMO_DEFAULTS.spec }),
    'time-scale': Flags.integer({ description: 'game seconds per real second', default: DEMO_DEFAULTS.timeScale, min: 1 }),
    'rate-limit': Flags.boolean({ description: "the API's rate limits (2/s + 30/min burst)", default: true, allowNo: true }),
    haulers: Flags.integer({ description: 'light haulers to buy (the command frigate also carries)', default: DEMO_DEFAULTS.haulers, min: 0, max: 5 }),
    dir: Flags.string({ description: 'keep the store and the plan here (default: a new temp dir)' }),
    dashboard: Flags.boolean({ description: 'watch it live in the browser: serve `st-goods dashboard` on the demo\'s store (with controls), kept up after the demo until Ctrl-C', default: false }),
    open: Flags.boolean({ description: 'with --dashboard: open the page in the default browser', default: true, allowNo: true }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Demo);
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const json = this.jsonEnabled();
    let dashboard: RunningDashboard | undefined;
    try {
      const res = await runDemo({
        spec: flags.spec,
        timeScale: flags['time-scale'],
        rateLimit: flags['rate-limit'],
        haulers: flags.haulers,
        dir: flags.dir,
        renderer: json ? 'silent' : 'default', // live where stderr is a terminal (src/executor/progress.ts)
        log: (line) => {
          if (!json) this.log(line);
        },
        signal: controller.signal,
        onStore: flags.dashboard
          ? async (file) => {
              dashboard = await startDashboard({ storeFile: file, allowControl: true });
              if (!json) this.log(`Dashboard: ${dashboard.url} (live; stop and unlock enabled)`);
              if (flags.open) openInBrowser(dashboard.url, (why) => this.logToStderr(`Could not open a browser (${why}); open ${dashboard?.url} yourself.`));
            }
          : undefined,
      });
      // Ctrl-C during the demo ends it all; a run stopped from the page leaves the page up.
      if (dashboard && !controller.signal.aborted) {
        if (!json) this.log(`\nThe dashboard stays up at ${dashboard.url} to look the run over: Ctrl-C to quit.`);
        await untilSignal();
      }
      const result = { agentSymbol: res.agentSymbol, planFile: res.planFile, store: res.store, outcome: res.outcome, status: res.status };
      return this.withExitCode(result, res.outcome.exitCode);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await dashboard?.close();
    }
  }
}
