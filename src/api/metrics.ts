/**
 * Counters of one client: requests by `METHOD /path/template`, retries by reason, 429s, limiter
 * waits and per-lane counts. snapshot() is a plain JSON value (no token can be in it: keys are
 * templates, never concrete paths or headers).
 */
import type { Lane } from './limiter.js';

export type RetryReason = 'rate-limited' | 'server-error' | 'unavailable' | 'network' | 'not-sent';

export interface MetricsSnapshot {
  /** Attempts sent, including retries, by `METHOD /template`. */
  requests: Record<string, number>;
  /** Responses by HTTP status ("ERR" for no response). */
  responses: Record<string, number>;
  requestsTotal: number;
  retries: number;
  retriesByReason: Partial<Record<RetryReason, number>>;
  rateLimited429: number;
  /** Time spent waiting for the rate limiter, in ms. */
  limiterWaitMs: number;
  /** Time spent in retry waits (backoff and 429 waits), in ms. */
  retryWaitMs: number;
  lanes: Record<Lane, { requests: number; limiterWaitMs: number }>;
  errors: Record<string, number>;
}

/** Round trips kept for the median (the newest). */
const MAX_DURATIONS = 200;

export class ClientMetrics {
  #s: MetricsSnapshot = ClientMetrics.#empty();
  /** Wall ms of the latest answered requests, from send to answer (the planner prices requests by it). */
  #durations: number[] = [];

  /** Median wall ms of the latest answered requests; undefined before any. */
  medianRoundTripMs(): number | undefined {
    if (this.#durations.length === 0) return undefined;
    const sorted = [...this.#durations].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  static #empty(): MetricsSnapshot {
    return {
      requests: {},
      responses: {},
      requestsTotal: 0,
      retries: 0,
      retriesByReason: {},
      rateLimited429: 0,
      limiterWaitMs: 0,
      retryWaitMs: 0,
      lanes: { action: { requests: 0, limiterWaitMs: 0 }, read: { requests: 0, limiterWaitMs: 0 } },
      errors: {},
    };
  }

  request(key: string, lane: Lane, limiterWaitMs: number): void {
    this.#s.requests[key] = (this.#s.requests[key] ?? 0) + 1;
    this.#s.requestsTotal++;
    this.#s.limiterWaitMs += limiterWaitMs;
    this.#s.lanes[lane].requests++;
    this.#s.lanes[lane].limiterWaitMs += limiterWaitMs;
  }

  response(status: number | 'ERR', durationMs?: number): void {
    if (durationMs !== undefined && status !== 'ERR') {
      this.#durations.push(durationMs);
      if (this.#durations.length > MAX_DURATIONS) this.#durations.shift();
    }
    const k = String(status);
    this.#s.responses[k] = (this.#s.responses[k] ?? 0) + 1;
    if (status === 429) this.#s.rateLimited429++;
  }

  retry(reason: RetryReason, waitMs: number): void {
    this.#s.retries++;
    this.#s.retriesByReason[reason] = (this.#s.retriesByReason[reason] ?? 0) + 1;
    this.#s.retryWaitMs += waitMs;
  }

  error(name: string): void {
    this.#s.errors[name] = (this.#s.errors[name] ?? 0) + 1;
  }

  snapshot(): MetricsSnapshot {
    return structuredClone(this.#s);
  }

  reset(): void {
    this.#s = ClientMetrics.#empty();
    this.#durations = [];
  }
}
