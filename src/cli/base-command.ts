import { Command, Flags, Interfaces } from '@oclif/core';
import { isUserError } from './errors.js';
import { ExitCode, exitCodeHelpText } from './exit-codes.js';
import { redactText } from '../config/redact.js';
import { registerKnownTokens } from '../config/config.js';
import { isStoreFailure, lastStoreFile, storeError } from '../state/store.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;

/**
 * Every st-goods command extends this: --json, --base-url and --token-file, plain output without a
 * TTY, user errors as one paragraph with a documented exit code, and the token never printed.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    'base-url': Flags.string({
      description: 'SpaceTraders API base URL (env ST_BASE_URL; default https://api.spacetraders.io/v2)',
      helpGroup: 'GLOBAL',
      env: 'ST_BASE_URL',
    }),
    'token-file': Flags.file({
      description: 'file holding the agent token (else ST_TOKEN, ST_TOKEN_FILE, then the config dir)',
      helpGroup: 'GLOBAL',
    }),
  };

  /**
   * File name under schemas/ of the JSON Schema that this command's --json output matches
   * (e.g. 'plan-result.schema.json'); shown in --help under JSON OUTPUT. Checked by test/e2e/json-schemas.test.ts.
   */
  static jsonSchema?: string;

  /** Appended to every command's --help. */
  static exitCodesHelp = `EXIT CODES\n${exitCodeHelpText()}`;

  /** True when stdout is an interactive terminal: prompts and live progress are allowed. */
  protected get interactive(): boolean {
    return Boolean(process.stdout.isTTY) && !process.env.CI && !this.jsonEnabled();
  }

  /** Before parsing: the token from the environment and the config dir is known, so that no message can echo it. */
  override async init(): Promise<void> {
    registerKnownTokens();
    await super.init();
  }

  override log(message = '', ...args: unknown[]): void {
    super.log(redactText(typeof message === 'string' ? message : String(message)), ...args);
  }

  override logJson(json: unknown): void {
    super.logJson(JSON.parse(redactText(JSON.stringify(json ?? null))));
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // The store failed under a command (damaged, full disk, read-only): a user error naming it.
    if (!isUserError(err) && isStoreFailure(err)) err = storeError(lastStoreFile() ?? 'in use', err);
    if (isUserError(err)) {
      const text = redactText(err.paragraph);
      if (this.jsonEnabled()) {
        this.logJson({ status: err.exitCode, error: { code: err.code, message: text, details: err.details } });
      } else {
        process.stderr.write(`Error: ${text}\n`);
      }
      this.exit(err.exitCode);
    }
    // oclif's own parse errors (unknown flag, missing arg) are usage errors: exit 2 with its message.
    if (err?.oclif?.exit !== undefined || /Unexpected argument|Nonexistent flag|Missing required|Expected --/.test(err?.message ?? '')) {
      err.message = redactText(err.message);
      return super.catch(err);
    }
    err.message = redactText(err.message ?? String(err));
    if (err.stack) err.stack = redactText(err.stack);
    if (!this.jsonEnabled()) {
      process.stderr.write(`Error: internal error: ${err.message}\nThis is a bug in st-goods; please report it with the command you ran. Set DEBUG=st-goods* for a stack trace.\n`);
      if (process.env.DEBUG) process.stderr.write(`${err.stack}\n`);
      this.exit(ExitCode.INTERNAL);
    }
    this.logJson({ status: ExitCode.INTERNAL, error: { code: 'INTERNAL', message: err.message } });
    this.exit(ExitCode.INTERNAL);
  }
}
