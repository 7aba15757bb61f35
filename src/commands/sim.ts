import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { invalidInput } from '../cli/errors.js';
import { resolveWorld } from '../config/bundled.js';
import { formatFaults, parseFaults, SIM_ACCOUNT_TOKEN, startSim } from '../sim/index.js';

export default class Sim extends BaseCommand {
  static override jsonSchema = 'sim-result.schema.json';

  static override summary = 'Run the local SpaceTraders simulator (API v2 over HTTP on 127.0.0.1).';

  static override description = `Serves the official SpaceTraders API v2 paths under /v2 with the game's rules (travel and fuel, markets with price impact and production, cargo, credits, error codes), the real rate limits (2 requests/s plus a burst of 30 per minute, per agent and per IP; --rate-limit off to lift them), a time scale so that hours of game time pass in minutes, and optional fault injection. Point st-goods at it with ST_BASE_URL and register an agent (st-goods register, or POST /v2/register with any non-empty account token as Bearer). Runs until Ctrl-C (SIGINT) or SIGTERM; with --state, the universe is resumed from FILE and saved back on exit, on POST /_sim/save and every 30 seconds.

Faults (--faults, comma-separated KEY=VALUE): 5xx=P (answer 500/502/503, state untouched), 429=P (answer 429; storm=N makes each such fault N 429s in a row), latency=MIN-MAX (ms added), reset=P (connection closed before any answer, state untouched), drop=P (a purchase, sell, refuel, transfer or navigate is applied, then its answer is dropped), seed=N (reproducible dice). P is a probability 0..1.

Admin endpoints (not part of the real API): GET /_sim/health, GET /_sim/config, PUT /_sim/faults {"faults":"..."}, PUT /_sim/rate-limit {"enabled":false}, POST /_sim/save.`;

  static override examples = [
    {
      description: 'Start on port 8080 with 100× game time and a saved universe',
      command: '<%= config.bin %> <%= command.id %> --port 8080 --time-scale 100 --state sim-state.json',
    },
    {
      description: 'Rehearse against a flaky server: 5% server errors, 1% dropped answers, reproducible',
      command: '<%= config.bin %> <%= command.id %> --faults "5xx=0.05,drop=0.01,latency=20-200,seed=7"',
    },
    {
      description: 'Any free port, machine-readable start line (one JSON line with baseUrl), no rate limit',
      command: '<%= config.bin %> <%= command.id %> --port 0 --rate-limit off --json',
    },
  ];

  static override flags = {
    port: Flags.integer({ description: 'TCP port on 127.0.0.1 (0: any free port)', default: 8080, min: 0, max: 65535 }),
    seed: Flags.integer({ description: 'seed of the generated world and of the engine (same seed, same universe)' }),
    'time-scale': Flags.string({ description: 'game seconds per real second, e.g. 100 (default 1: real time)' }),
    world: Flags.string({ description: '"generated" (one system), "sector" (a generated sector of --systems systems), a world JSON file, or the name of a bundled world (X1-AD75: a real system captured from the live API)', default: 'generated' }),
    systems: Flags.integer({ description: 'systems in the sector, the home one included (default 12 with --world sector; with a one-system world, N > 1 grows a sector around it)', min: 1, max: 500 }),
    'rate-limit': Flags.string({ description: 'the API rate limits (2/s + burst 30/min per agent and per IP)', options: ['on', 'off'], default: 'on' }),
    faults: Flags.string({ description: 'fault injection spec, e.g. "5xx=0.05,429=0.02,latency=20-200,reset=0.01,drop=0.05,seed=7" (default off)' }),
    state: Flags.string({ description: 'state file: resumed from if it exists, saved on exit, on POST /_sim/save and every 30 s' }),
    'starting-credits': Flags.integer({ description: 'credits of each new agent (default 175000)', min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Sim);
    let timeScale: number | undefined;
    if (flags['time-scale'] !== undefined) {
      timeScale = Number(flags['time-scale']);
      if (!Number.isFinite(timeScale) || timeScale <= 0) {
        throw invalidInput(`--time-scale ${flags['time-scale']} is not a positive number.`, 'Give game seconds per real second, e.g. --time-scale 100.');
      }
    }
    const faults = parseFaults(flags.faults);
    const world = resolveWorld(flags.world);
    const sim = await startSim({
      port: flags.port,
      seed: flags.seed,
      timeScale,
      world,
      systems: flags.systems,
      rateLimit: flags['rate-limit'] === 'on',
      faults,
      stateFile: flags.state,
      config: flags['starting-credits'] === undefined ? undefined : { startingCredits: flags['starting-credits'] },
    });

    const info = {
      baseUrl: sim.baseUrl,
      adminUrl: sim.adminUrl,
      port: sim.port,
      pid: process.pid,
      timeScale: sim.universe.config.timeScale,
      seed: flags.seed ?? null,
      world,
      systems: sim.universe.systems.size,
      rateLimit: flags['rate-limit'],
      faults: formatFaults(faults),
      stateFile: flags.state ?? null,
      resumed: sim.resumed,
    };
    const flagsIgnored = sim.resumed && (flags.seed !== undefined || flags.world !== 'generated' || flags.systems !== undefined);
    if (flagsIgnored && !this.jsonEnabled()) {
      process.stderr.write(`Note: resumed the universe saved in ${flags.state}; --world, --systems and --seed apply only to a new one (move the file away to start afresh).\n`);
    }
    if (this.jsonEnabled()) {
      process.stdout.write(`${JSON.stringify(info)}\n`);
    } else {
      const register = `curl -s -X POST ${sim.baseUrl}/register -H 'Authorization: Bearer ${SIM_ACCOUNT_TOKEN}' -H 'Content-Type: application/json' -d '{"symbol":"MYAGENT","faction":"COSMIC"}'`;
      this.log(
        [
          `SpaceTraders simulator serving ${sim.baseUrl}`,
          `  world ${flags.world}${flags.seed === undefined ? '' : ` (seed ${flags.seed})`}, ${sim.universe.systems.size} system(s), time scale ${sim.universe.config.timeScale}x, rate limit ${flags['rate-limit']}, faults ${info.faults}` +
            (flags.state ? `, state ${flags.state}${sim.resumed ? ' (resumed)' : ' (new)'}` : ''),
          '',
          `Register an agent (/register takes an account token: any non-empty one here, e.g. ${SIM_ACCOUNT_TOKEN}):`,
          `  export ST_BASE_URL=${sim.baseUrl}`,
          `  ST_ACCOUNT_TOKEN=${SIM_ACCOUNT_TOKEN} st-goods register MYAGENT --faction COSMIC    # saves the agent token in the config dir`,
          '',
          'Or with curl (the answer holds data.token):',
          `  export ST_TOKEN=$(${register} | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).data.token')`,
          '',
          `Admin (not part of the real API): ${sim.adminUrl}/health, ${sim.adminUrl}/config (docs/sim.md lists them all)`,
          `Stop with Ctrl-C${flags.state ? ` (the universe is saved to ${flags.state})` : ''}.`,
        ].join('\n'),
      );
    }

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    await sim.close();
    if (!this.jsonEnabled()) {
      process.stderr.write(`Simulator stopped (${signal})${flags.state ? `; state saved to ${flags.state}` : ''}.\n`);
    }
  }
}
