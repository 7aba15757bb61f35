import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * An error the user can cause and fix: bad input, missing token, stale plan, held lock...
 * The CLI prints `message` and `hint` as one paragraph, never a stack trace, and exits with `exitCode`.
 * `code` is a stable machine-readable identifier, used in --json error envelopes.
 */
export class UserError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly code: string;
  readonly hint?: string;
  readonly details?: unknown;

  constructor(opts: { message: string; code: string; exitCode: ExitCodeValue; hint?: string; details?: unknown; cause?: unknown }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.exitCode = opts.exitCode;
    this.code = opts.code;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  /** The one-paragraph text shown to a person. */
  get paragraph(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;

export function invalidInput(message: string, hint?: string, details?: unknown): UserError {
  return new UserError({ message, hint, details, code: 'INVALID_INPUT', exitCode: ExitCode.INVALID_INPUT });
}

export function infeasible(message: string, hint?: string, details?: unknown): UserError {
  return new UserError({ message, hint, details, code: 'INFEASIBLE', exitCode: ExitCode.INFEASIBLE });
}
