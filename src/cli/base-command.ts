import { Command } from '@oclif/core';
import { isUserError } from './errors.js';
import { ExitCode, exitCodeHelpText, type ExitCodeValue } from './exit-codes.js';
import { redactText } from '../config/redact.js';
import { registerKnownTokens } from '../config/config.js';
import { isStoreFailure, lastStoreFile, storeError } from '../state/store.js';


/**
 * Every st-goods command extends this: --json (one document on stdout, whatever the exit code), plain
 * output without a TTY, user errors as one paragraph with a documented exit code, and the token never printed.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  /**
   * File name under schemas/ of the JSON Schema that this command's --json output matches
   * (e.g. 'plan-result.schema.json'); shown in --help under JSON OUTPUT. Checked by test/e2e/json-schemas.test.ts.
   */
  static jsonSchema?: string;

  /** Appended to every command's --help. */
  static exitCodesHelp = `EXIT CODES\n${exitCodeHelpText()}`;

  /**
   * The --token-file flag as given on the command line. oclif also fills it from ST_TOKEN_FILE, but
   * the token precedence puts ST_TOKEN before ST_TOKEN_FILE; src/config reads the variable itself.
   */
  protected tokenFileArg(flags: { 'token-file'?: string }): string | undefined {
    return this.argv.some((a) => a === '--token-file' || a.startsWith('--token-file=')) ? flags['token-file'] : undefined;
  }

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

  /**
   * Ends `run()` with a documented non-zero exit code while its result stays the one --json document
   * (the same shape as on success): `return this.withExitCode(result, ExitCode.PARTIAL)`.
   */
  protected withExitCode<T>(result: T, code: ExitCodeValue | number): T {
    process.exitCode = code;
    return result;
  }

  /** The --json error envelope (schemas/error.schema.json): `status` is "error" here, a string as in every result. */
  private logErrorJson(exitCode: number, code: string, message: string, details?: unknown): void {
    this.logJson({ status: 'error', exitCode, error: { code, message, ...(details === undefined ? {} : { details }) } });
  }

  protected override async catch(err: Error & { exitCode?: number; code?: string; oclif?: { exit?: number } }): Promise<unknown> {
    // The store failed under a command (damaged, full disk, read-only): a user error naming it.
    if (!isUserError(err) && isStoreFailure(err)) err = storeError(lastStoreFile() ?? 'in use', err);
    if (isUserError(err)) {
      const text = redactText(err.paragraph);
      if (this.jsonEnabled()) this.logErrorJson(err.exitCode, err.code, text, err.details);
      else process.stderr.write(`Error: ${text}\n`);
      this.exit(err.exitCode);
    }
    // this.exit(n) throws oclif's ExitError: let it through, nothing more to print.
    if (err?.code === 'EEXIT') throw err;
    // oclif's own parse errors (unknown flag, missing arg) are usage errors: exit 2 with its message.
    if (err?.oclif?.exit !== undefined || /Unexpected argument|Nonexistent flag|Missing required|Expected --/.test(err?.message ?? '')) {
      err.message = redactText(err.message);
      if (!this.jsonEnabled()) return super.catch(err);
      this.logErrorJson(ExitCode.USAGE, 'USAGE', err.message);
      this.exit(ExitCode.USAGE);
    }
    err.message = redactText(err.message ?? String(err));
    if (err.stack) err.stack = redactText(err.stack);
    if (!this.jsonEnabled()) {
      process.stderr.write(`Error: internal error: ${err.message}\nThis is a bug in st-goods; please report it with the command you ran. Set DEBUG=st-goods* for a stack trace.\n`);
      if (process.env.DEBUG) process.stderr.write(`${err.stack}\n`);
      this.exit(ExitCode.INTERNAL);
    }
    this.logErrorJson(ExitCode.INTERNAL, 'INTERNAL', err.message);
    this.exit(ExitCode.INTERNAL);
  }
}
