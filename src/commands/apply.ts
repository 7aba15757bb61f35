import readline from 'node:readline/promises';
import { Args, Flags } from '@oclif/core';
import { SpaceTradersClient } from '../api/client.js';
import { BaseCommand } from '../cli/base-command.js';
import { UserError, invalidInput } from '../cli/errors.js';
import { apiFlags, storeFlag, supplyChainFlag } from '../cli/flags.js';
import { ExitCode } from '../cli/exit-codes.js';
import { defaultStorePath, requireToken, resolveBaseUrl } from '../config/config.js';
import { realClock } from '../executor/clock.js';
import { applyEntry, needsApproval, noTtyError } from '../executor/entry.js';
import { renderApplyOutcome } from '../executor/render.js';
import { detectServer } from '../executor/time-scale.js';
import { renderText } from '../plan/render.js';
import { parseDuration } from '../spec/duration.js';
import { Store } from '../state/store.js';
import { loadSupplyChain } from '../supply-chain/index.js';

/** Asks on the terminal; only "yes" approves. Input at its end (EOF, Ctrl-D) is a usage error, never a silent exit. */
async function askYes(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const closed = new Promise<never>((_, reject) => rl.once('close', () => reject(noAnswerError())));
    const answer = await Promise.race([rl.question(question), closed]);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

function noAnswerError(): UserError {
  return new UserError({
    code: 'APPROVAL_REQUIRED',
    exitCode: ExitCode.USAGE,
    message: 'apply asked for approval, but its input ended (EOF) before an answer; nothing was done.',
    hint: 'Answer "yes" at the prompt, or add --auto-approve to apply unattended.',
  });
}

export default class Apply extends BaseCommand {
  static override jsonSchema = 'apply-result.schema.json';

  static override summary = 'Carry out a plan with the fleet: ships in parallel, every step journaled, resumable.';

  static override description = `Verifies the plan before anything moves (format, agent and server reset, spec hash with --spec, expiry, and that no other apply changed the journal since the plan was made), takes the agent's lock, then runs one lane per ship: tasks in dependency order, independent branches in parallel. Every purchase is one tranche (at most the free hold, the market's tradeVolume, what the task still needs and what the budget allows); price guards, the spend cap (policy.maxCredits, counted on actual spend) and the treasury floor (policy.reserveCredits) are re-checked at every buy and sell. Production waits poll the factory's supply with backoff until it reaches the plan's level.

Every buy, sell and refuel is journaled (in the store: SQLite, or Postgres shared by several hosts) as an intent before the call and a result after it. Interrupted (Ctrl-C, SIGTERM, kill -9, \`st-goods stop\`)? Run the same command again: it reconciles any call whose result was lost from the ship's hold, the agent's credits and the market's transactions, then resumes. A finished run is not repeated ("already complete", exit 0).

Given a production spec instead of a plan, apply plans first, shows the summary and asks for approval (without a terminal, --auto-approve is required). Re-run with a spec whose run did not finish (killed, interrupted, partial), apply resumes that run with the plan it started with instead of planning again; if the spec changed since, it stops (exit 12) and buys nothing until you choose: restore the spec to resume, or --replan.

Before a new run starts, apply compares the game with the journal: if the plan's ships hold its goods, or traded them at its markets (in the 2 hours before the plan was made, or since), and no run in the store explains it, the journal was probably lost; apply refuses (exit 12), naming what it found, and --adopt starts the run anyway. All of this happens under the agent's lock, so two applies of one plan never run it twice. SIGHUP is handled as SIGTERM.

Before a saved plan starts a new run, apply re-reads the markets it rests on (as \`st-goods refresh\`) and refuses it (exit 6) when a price moved against it beyond policy.maxDrift, or a market it buys from fell below policy.minSupply; --replan plans again from its spec instead. A finished run sells what its holds keep of the plan's goods beyond what it needs (policy.surplus), and its result gives its profit and loss.`;

  static override examples = [
    { description: 'Apply a reviewed plan', command: '<%= config.bin %> <%= command.id %> plans/machinery.plan.yaml' },
    { description: 'From cron: plain output, an NDJSON event log, wait up to 30s for the lock', command: '<%= config.bin %> <%= command.id %> plans/machinery.plan.yaml --log-json /var/log/st-goods/apply.ndjson --lock-timeout 30s' },
    { description: 'Plan and apply a spec in one go, unattended', command: '<%= config.bin %> <%= command.id %> plans/iron.yaml --auto-approve' },
    { description: 'The spec changed while its run is unfinished: abandon that run and plan anew', command: '<%= config.bin %> <%= command.id %> plans/iron.yaml --auto-approve --replan' },
    { description: 'The store was lost: start the plan anyway, knowing what the game shows', command: '<%= config.bin %> <%= command.id %> plans/iron.plan.yaml --adopt' },
    { description: 'The markets moved since the plan was made (exit 6): plan again from its spec, ask, apply', command: '<%= config.bin %> <%= command.id %> plans/iron.plan.yaml --replan --spec plans/iron.yaml' },
    { description: 'Check the spec has not changed since the plan was made', command: '<%= config.bin %> <%= command.id %> plans/iron.plan.yaml --spec plans/iron.yaml' },
  ];

  static override args = {
    file: Args.string({ description: 'plan file written by `st-goods plan`, or a production spec (.yaml)', required: true }),
  };

  static override flags = {
    ...apiFlags,
    'auto-approve': Flags.boolean({ description: 'apply a plan made from a spec without asking', default: false }),
    'log-json': Flags.string({ description: "append NDJSON events to this file ('-' for stdout); schema: schemas/events.schema.json" }),
    'lock-timeout': Flags.string({ description: 'wait this long for another apply of the same agent to release the lock, then exit LOCKED (0s: at once)', default: '30s' }),
    store: storeFlag('with the journal'),
    spec: Flags.string({ description: 'the spec the plan was made from: refuse the plan if the spec changed since' }),
    out: Flags.string({ description: 'when given a spec: also write the plan made from it to this file' }),
    replan: Flags.boolean({
      description: "when given a spec that changed while a run of it is unfinished: abandon that run (its cargo stays aboard) and plan the spec anew; when given a plan whose markets drifted beyond policy.maxDrift: plan again from its spec (--spec, or NAME.yaml beside NAME.plan.yaml), ask, write the new plan over the plan file (or --out) and apply it",
      default: false,
    }),
    adopt: Flags.boolean({ description: 'start the run even though the game shows cargo or trades for the plan that the journal does not know (a lost or replaced store): they are taken as not belonging to it', default: false }),
    'supply-chain': supplyChainFlag,
    'time-scale': Flags.string({ description: 'game seconds per real second of the server (default: 1, or what the local simulator reports)', env: 'ST_GOODS_TIME_SCALE', hidden: true }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Apply);
    const lockWait = parseDuration(flags['lock-timeout']);
    if (lockWait === undefined) throw invalidInput(`--lock-timeout ${flags['lock-timeout']} is not a duration.`, 'Use e.g. --lock-timeout 30s or --lock-timeout 5m.');
    const baseUrl = resolveBaseUrl(flags['base-url']);
    const token = requireToken(this.tokenFileArg(flags));
    // A local simulator running without its rate limiter needs no client-side throttling either.
    const server = await detectServer(baseUrl, flags['time-scale']);
    const client = new SpaceTradersClient({ baseUrl, token, ...(server.rateLimited ? {} : { limiter: false as const }) });
    const timeScale = server.timeScale;
    const store = await Store.open(flags.store ?? defaultStorePath());

    // SIGINT/SIGTERM: finish and journal the call in flight, release the lock, exit 130. A second one exits at once.
    const controller = new AbortController();
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) process.exit(ExitCode.INTERRUPTED);
      process.stderr.write(`\n${sig}: stopping after the call in flight (again to quit now)...\n`);
      controller.abort();
    };
    // SIGHUP (the terminal closed, the cron host going down) is handled as SIGTERM.
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);

    const json = this.jsonEnabled();
    // Live progress where stderr (the stream it draws on) is a terminal, plain lines elsewhere (src/executor/progress.ts).
    const renderer = json || flags['log-json'] === '-' ? 'silent' : 'default';
    try {
      const outcome = await applyEntry({
        file: args.file,
        client,
        store,
        supplyChain: () => loadSupplyChain(flags['supply-chain']),
        specFile: flags.spec,
        planOut: flags.out,
        replan: flags.replan,
        adopt: flags.adopt,
        server,
        toolVersion: this.config.version,
        clock: realClock(timeScale),
        renderer,
        logJson: flags['log-json'],
        lockWaitMs: lockWait * 1000,
        signal: controller.signal,
        approve: async (plan) => {
          const how = needsApproval(this.interactive, flags['auto-approve']);
          if (how === 'refuse') throw noTtyError();
          if (!json) process.stderr.write(`${renderText(plan).trimEnd()}\n\n`);
          if (how === 'yes') return true;
          return askYes('Apply this plan? Only "yes" is accepted: ');
        },
      });
      // With the NDJSON log on stdout, the human summary goes to stderr.
      if (!json) {
        if (flags['log-json'] === '-') process.stderr.write(`${renderApplyOutcome(outcome)}\n`);
        else this.log(renderApplyOutcome(outcome));
      }
      return this.withExitCode(outcome, outcome.exitCode);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
      await store.close().catch(() => undefined);
    }
  }
}
