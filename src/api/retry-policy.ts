/**
 * When and how long to wait before trying a request again. The rules (the client applies them):
 *
 *  - 429 (any method; the request was not processed): wait what the server says, first the
 *    `Retry-After` header (seconds), else the body's `error.data.retryAfter` (seconds), else the
 *    `x-ratelimit-reset` header (an ISO time; clamped to [0, maxDelayMs] against clock skew);
 *    a 429 with none of these (the proxy's HTML page) backs off exponentially with jitter.
 *    Waiting out the server's stated reset always succeeds eventually, so a request gives up only
 *    past a documented bound: `max429WaitMs` of waiting on 429s (default 15 minutes), or
 *    `max429Attempts` 429s in a row (default 500, a guard against a server that never says when).
 *  - GET on 500/502/504 or a network error (reset, hang-up, timeout): jittered exponential
 *    backoff, at most `maxAttempts` attempts; on 503 (maintenance) at most `max503Attempts`.
 *  - POST/PATCH on 5xx, or a network error or timeout once the request may have been sent: never
 *    retried; OutcomeUnknownError.
 *  - Any method whose connection was refused or whose host did not resolve (nothing was sent):
 *    retried like a GET.
 */
export interface RetryOptions {
  /** Attempts for a GET failing with 500/502/504 or a network error, and for a refused connection. */
  maxAttempts: number;
  /** Attempts for a GET answered 503 (maintenance). */
  max503Attempts: number;
  /** 429s one request may meet before it gives up (ServerUnavailableError). */
  max429Attempts: number;
  /** Total time one request may wait on 429s before it gives up (ms). */
  max429WaitMs: number;
  /** First backoff step; doubles at each attempt. */
  baseDelayMs: number;
  /** Cap on any single wait, backoff or server-requested. */
  maxDelayMs: number;
  /** Per-attempt timeout: no response headers within this time is a network failure. */
  timeoutMs: number;
  /** Random source in [0,1) for jitter (injectable for tests). */
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  max503Attempts: 3,
  max429Attempts: 500,
  max429WaitMs: 15 * 60_000,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  timeoutMs: 30_000,
  random: Math.random,
};

/** "Equal jitter" exponential backoff for attempt n (1-based): d/2 + random·d/2, d = base·2^(n-1) capped. */
export function backoffMs(attempt: number, o: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const d = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + o.random() * (d / 2));
}

export interface HeaderLookup {
  get(name: string): string | null;
}

/** The wait a 429 asks for, in ms, or undefined when it names none (then back off). */
export function serverRequestedWaitMs(headers: HeaderLookup, body: unknown, nowMs: number, maxDelayMs: number): number | undefined {
  const clamp = (ms: number) => Math.min(maxDelayMs, Math.max(0, Math.ceil(ms)));
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs)) return clamp(secs * 1000);
    const at = Date.parse(retryAfter); // the HTTP-date form
    if (Number.isFinite(at)) return clamp(at - nowMs);
  }
  const fromBody = (body as { error?: { data?: { retryAfter?: unknown } } } | undefined)?.error?.data?.retryAfter;
  if (typeof fromBody === 'number' && Number.isFinite(fromBody)) return clamp(fromBody * 1000);
  const reset = headers.get('x-ratelimit-reset');
  if (reset) {
    const at = Date.parse(reset);
    if (Number.isFinite(at)) return clamp(at - nowMs);
  }
  return undefined;
}
