import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { ExitCode } from '../cli/exit-codes.js';
import { DEMO_DEFAULTS, runDemo } from '../demo/demo.js';

export default class Demo extends BaseCommand {
  static override jsonSchema = 'demo-result.schema.json';

  static override summary = 'Quick start: plan and apply an example against a local simulator, then show the status.';

  static override description = `Starts the simulator in this process (the captured starting system X1-AD75, sped up), registers a new agent, buys light haulers at the shipyard where its probe sits, plans the example spec (plans/advanced-circuitry.yaml by default: it MAKES ADVANCED_CIRCUITRY, buying and making its inputs and feeding them to the factories, with the frigate and the haulers working in parallel), applies it with the progress UI and prints the status. Needs no token and never talks to the real API. Takes under a minute at the default time scale, with the API's rate limits on.`;

  static override examples = [
    { description: 'The quick start', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Another example, faster, without the rate limiter', command: '<%= config.bin %> <%= command.id %> --spec machinery.yaml --time-scale 2000 --no-rate-limit' },
  ];

  static override flags = {
    spec: Flags.string({ description: 'example spec under plans/', default: DEMO_DEFAULTS.spec }),
    'time-scale': Flags.integer({ description: 'game seconds per real second', default: DEMO_DEFAULTS.timeScale, min: 1 }),
    'rate-limit': Flags.boolean({ description: "the API's rate limits (2/s + 30/min burst)", default: true, allowNo: true }),
    haulers: Flags.integer({ description: 'light haulers to buy (the command frigate also carries)', default: DEMO_DEFAULTS.haulers, min: 0, max: 5 }),
    dir: Flags.string({ description: 'keep the store and the plan here (default: a new temp dir)' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Demo);
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const json = this.jsonEnabled();
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
      });
      const result = { agentSymbol: res.agentSymbol, planFile: res.planFile, store: res.store, outcome: res.outcome, status: res.status };
      if (res.outcome.exitCode !== ExitCode.OK) {
        if (json) this.logJson({ status: res.outcome.exitCode, result });
        this.exit(res.outcome.exitCode);
      }
      return result;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
