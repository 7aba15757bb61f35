/**
 * Typed errors of the API client. All extend UserError, so the CLI prints them as one paragraph
 * with a documented exit code. Messages never contain the token: every text goes through
 * redactText.
 */
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { redactText } from '../config/redact.js';

/** A copy of a JSON value with every registered secret and bearer token scrubbed from its strings. */
export function redactValue<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(redactText(JSON.stringify(value))) as T;
}

/** Well-known game error codes (MECHANICS.md §5.2). */
export const GameCode = {
  COOLDOWN: 4000,
  NAVIGATE_INSUFFICIENT_FUEL: 4203,
  NAVIGATE_SAME_DESTINATION: 4204,
  SHIP_IN_TRANSIT: 4214,
  PURCHASE_SHIP_CREDITS: 4216,
  CARGO_EXCEEDS_LIMIT: 4217,
  CARGO_MISSING: 4218,
  CARGO_UNIT_COUNT: 4219,
  CARGO_FULL: 4228,
  NOT_IN_ORBIT: 4236,
  NOT_DOCKED: 4244,
  PURCHASE_SHIP_NOT_PRESENT: 4245,
  INSUFFICIENT_CREDITS: 4600,
  MARKET_NO_PURCHASE: 4601,
  MARKET_NOT_SOLD: 4602,
  MARKET_NOT_FOUND: 4603,
  TRADE_UNIT_LIMIT: 4604,
  TOKEN_RESET_DATE_MISMATCH: 4113,
} as const;

/** What the client knows about the request an error belongs to (never headers, never the token). */
export interface RequestInfo {
  method: string;
  /** The concrete path, e.g. /my/ships/AGENT-1/purchase */
  path: string;
  /** The path template, e.g. /my/ships/{shipSymbol}/purchase */
  template: string;
  body?: unknown;
}

const HINTS: Record<number, string> = {
  4000: 'The ship is on cooldown; wait for it to expire and try again.',
  4203: 'Refuel the ship, or choose a closer destination or the DRIFT flight mode.',
  4204: 'The ship is already at that waypoint.',
  4214: 'The ship is in transit; wait until it arrives (see its nav.route.arrival).',
  4216: 'The agent does not have enough credits for this ship.',
  4217: 'The ship does not have that much free cargo space.',
  4218: 'The ship does not hold that good.',
  4219: 'The ship holds fewer units of that good than asked.',
  4228: 'The ship cargo hold is full.',
  4236: 'Put the ship in orbit first (orbit), then retry.',
  4244: 'Dock the ship first (dock), then retry.',
  4245: 'One of your ships must be at the shipyard to buy a ship there.',
  4600: 'The agent does not have enough credits; lower the quantity or the budget.',
  4601: 'This market does not sell that good.',
  4602: 'This market does not buy that good.',
  4603: 'There is no market at that waypoint.',
  4604: 'Split the trade into calls of at most the market tradeVolume units.',
};

export class GameError extends UserError {
  readonly status: number;
  readonly gameCode: number;
  readonly data: Record<string, unknown> | undefined;
  readonly request: RequestInfo;

  constructor(opts: { status: number; gameCode: number; message: string; data?: Record<string, unknown>; request: RequestInfo }) {
    const data = redactValue(opts.data);
    super({
      code: `GAME_${opts.gameCode}`,
      exitCode: ExitCode.GAME_ERROR,
      message: redactText(`The game refused ${opts.request.method} ${opts.request.path} (HTTP ${opts.status}, code ${opts.gameCode}): ${opts.message}`),
      hint: HINTS[opts.gameCode],
      details: { status: opts.status, gameCode: opts.gameCode, data, method: opts.request.method, path: opts.request.path },
    });
    this.name = 'GameError';
    this.status = opts.status;
    this.gameCode = opts.gameCode;
    this.data = data;
    this.request = { ...opts.request, body: redactValue(opts.request.body) };
  }
}

/** True when e is a GameError, with one of the given game codes if any are given. */
export function isGameError(e: unknown, ...codes: number[]): e is GameError {
  return e instanceof GameError && (codes.length === 0 || codes.includes(e.gameCode));
}

export class AuthError extends UserError {
  readonly status: number;
  readonly gameCode: number | undefined;

  constructor(opts: { status: number; gameCode?: number; message: string; request: RequestInfo }) {
    const resetMismatch = opts.gameCode === GameCode.TOKEN_RESET_DATE_MISMATCH;
    super({
      code: resetMismatch ? 'TOKEN_FROM_OLD_RESET' : 'AUTH_REJECTED',
      exitCode: ExitCode.AUTH,
      message: redactText(
        resetMismatch
          ? `The server rejected the agent token: it was issued before the last server reset (code 4113: ${opts.message}).`
          : `The server rejected the token for ${opts.request.method} ${opts.request.path} (HTTP ${opts.status}${opts.gameCode ? `, code ${opts.gameCode}` : ''}: ${opts.message}).`,
      ),
      hint: resetMismatch
        ? 'Register a new agent for this reset (POST /register with your account token) and put its token in ST_TOKEN or your token file.'
        : 'Check that ST_TOKEN or your token file holds a current agent token; register a new agent if the server was reset. With `st-goods sim`, use the token it prints.',
      details: { status: opts.status, gameCode: opts.gameCode, method: opts.request.method, path: opts.request.path },
    });
    this.name = 'AuthError';
    this.status = opts.status;
    this.gameCode = opts.gameCode;
  }
}

export class ServerUnavailableError extends UserError {
  readonly status: number | undefined;
  readonly attempts: number;

  constructor(opts: { reason: string; status?: number; attempts: number; request: RequestInfo; cause?: unknown }) {
    super({
      code: 'SERVER_UNAVAILABLE',
      exitCode: ExitCode.UNAVAILABLE,
      message: redactText(`The SpaceTraders server is unavailable: ${opts.request.method} ${opts.request.path} ${opts.reason} (${opts.attempts} attempt${opts.attempts === 1 ? '' : 's'}).`),
      hint: 'Check the base URL and your network, or wait for the maintenance to end, then re-run; an interrupted apply resumes where it stopped.',
      details: { status: opts.status, attempts: opts.attempts, method: opts.request.method, path: opts.request.path },
      cause: opts.cause,
    });
    this.name = 'ServerUnavailableError';
    this.status = opts.status;
    this.attempts = opts.attempts;
  }
}

/**
 * A POST/PATCH may or may not have been carried out: the connection broke, timed out, or the
 * server answered 5xx after the request may have reached it. The client never retries these; the
 * caller reconciles (cargo, credits, market transactions) before deciding to send it again.
 */
export class OutcomeUnknownError extends UserError {
  readonly method: string;
  readonly path: string;
  readonly template: string;
  readonly body: unknown;
  readonly status: number | undefined;

  constructor(opts: { reason: string; status?: number; request: RequestInfo; cause?: unknown }) {
    const body = redactValue(opts.request.body);
    super({
      code: 'OUTCOME_UNKNOWN',
      exitCode: ExitCode.UNAVAILABLE,
      message: redactText(`${opts.request.method} ${opts.request.path} may or may not have been carried out: ${opts.reason}.`),
      hint: 'st-goods did not resend it. Re-run apply: it reconciles the journaled intent with the ship cargo, credits and market transactions before going on.',
      details: { method: opts.request.method, path: opts.request.path, body, status: opts.status },
      cause: opts.cause,
    });
    this.name = 'OutcomeUnknownError';
    this.method = opts.request.method;
    this.path = opts.request.path;
    this.template = opts.request.template;
    this.body = body;
    this.status = opts.status;
  }
}

/**
 * Auth failures: HTTP 401, and the token codes 4100–4108 and 4113–4116 whatever their HTTP status.
 * 4109–4112 are registration refusals (symbol taken or reserved...): GameErrors.
 */
export function isAuthCode(status: number, gameCode: number | undefined): boolean {
  if (status === 401) return true;
  if (gameCode === undefined) return false;
  return (gameCode >= 4100 && gameCode <= 4108) || (gameCode >= 4113 && gameCode <= 4116);
}
