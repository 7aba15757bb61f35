/**
 * The process-wide rate limiter, modelled on the server's two pools (MECHANICS.md §4.1):
 *
 *  - static pool: `staticLimit` (2) points; the first consume starts a `staticWindowMs` (1 s) fixed
 *    window, at whose end the pool refills;
 *  - burst pool: `burstLimit` (30) points, used only when the static pool is empty; its first
 *    consume starts a `burstWindowMs` (60 s) fixed window.
 *
 * A request waits only when both pools are empty. The server starts a window when a request
 * *arrives*, a little after we send it, and network or event-loop jitter can make a request of
 * the next window arrive before the server's window has ended; such a request is charged to the
 * server's burst pool, and a 429 follows only if that pool is empty. Two defences: every window is
 * lengthened by `safetyMarginMs`, and `burstReserve` burst points are left unused as a cushion for
 * the jitter that exceeds the margin.
 *
 * Another process (a `plan` just before this `apply`, a second command for the same agent) spends
 * the same server pools, which a fresh model would take as full. So every answer's
 * x-ratelimit-remaining / x-ratelimit-reset headers (MECHANICS.md §4.2) are fed back (observe()):
 * a pool the server reports as lower than the model is lowered to match (burst: what remains minus
 * the reserve; a burst window whose start we did not see is taken as starting now). With
 * `seedFromServer` (the CLI's shared limiter), the first request goes alone and the others wait
 * for its answer's headers, so a new process never opens with a burst the server no longer has.
 *
 * Two priority lanes: 'action' (ship actions and other mutations) is served before 'read' (market
 * reads and other GETs), FIFO within a lane. A read that has waited `readAgingMs` goes before the
 * actions, so reads are never starved. After a 429, pauseFor() holds every lane.
 *
 * No library models these two pools (bottleneck, for one, has priorities but a single
 * reservoir), hence this small state machine over an injectable Clock.
 */
import { type Clock, abortReason, systemClock } from './clock.js';
import { FileLedger, type LimiterLedger, type PoolState, ledgerFileFor } from './limiter-ledger.js';

export type Lane = 'action' | 'read';
export type Pool = 'static' | 'burst' | 'unlimited';

export interface RateLimiterOptions {
  clock?: Clock;
  /** false: grant every request at once (for the simulator bench and in-process tools). */
  enabled?: boolean;
  staticLimit?: number;
  staticWindowMs?: number;
  burstLimit?: number;
  burstWindowMs?: number;
  safetyMarginMs?: number;
  /** Burst points per window left to the server as a cushion against timing jitter. */
  burstReserve?: number;
  readAgingMs?: number;
  /** Until the first answer's rate-limit headers are observed, one request at a time (default false). */
  seedFromServer?: boolean;
  /** How long the seeding request may hold the others (it may hang): then they go anyway. */
  seedTimeoutMs?: number;
  /**
   * The pools as all processes on this host see them (limiter-ledger.ts): every slot is taken from
   * it and every change written back, so processes that spend one server's pools do not each take
   * them for their own. Needs a clock in epoch milliseconds (the system clock).
   */
  ledger?: LimiterLedger;
}

/** What one answer's x-ratelimit-* headers say about the server's pools. */
export interface ServerLimitState {
  /** Points left in both pools together (x-ratelimit-remaining). */
  remaining: number;
  /** When the static pool refills (x-ratelimit-reset), epoch ms. */
  resetAt?: number;
}

/** Reads x-ratelimit-remaining and x-ratelimit-reset; undefined when the answer has none (a proxy's). */
export function serverLimitState(headers: { get(name: string): string | null }): ServerLimitState | undefined {
  const remaining = Number(headers.get('x-ratelimit-remaining') ?? NaN);
  if (!Number.isInteger(remaining) || remaining < 0) return undefined;
  const resetAt = Date.parse(headers.get('x-ratelimit-reset') ?? '');
  return Number.isFinite(resetAt) ? { remaining, resetAt } : { remaining };
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Put this request at the head of its lane (a retry of a request that already waited its turn). */
  front?: boolean;
}

export interface Grant {
  lane: Lane;
  pool: Pool;
  /** Time spent queued, in ms of the limiter's clock. */
  waitedMs: number;
}

export interface LimiterSnapshot {
  enabled: boolean;
  queued: Record<Lane, number>;
  granted: Record<Lane, number>;
  byPool: Record<Pool, number>;
  waitedMs: Record<Lane, number>;
  maxWaitMs: Record<Lane, number>;
  pauses: number;
  /** Times an answer's headers showed fewer points than the model had (another process spent them). */
  lowered: number;
  staticRemaining: number;
  burstRemaining: number;
}

interface Waiter {
  lane: Lane;
  since: number;
  resolve: (g: Grant) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export const DEFAULT_LIMITS = {
  staticLimit: 2,
  staticWindowMs: 1000,
  burstLimit: 30,
  burstWindowMs: 60_000,
  safetyMarginMs: 25,
  burstReserve: 2,
  readAgingMs: 5000,
  seedTimeoutMs: 5000,
} as const;

export class RateLimiter {
  readonly enabled: boolean;
  readonly clock: Clock;
  readonly #o: Required<Omit<RateLimiterOptions, 'clock' | 'enabled' | 'seedFromServer' | 'ledger'>>;
  readonly #ledger: LimiterLedger | undefined;
  /** Seeding: no answer observed yet. `#seedUntil` is set while the first request is out. */
  #seeding: boolean;
  #seedUntil: number | undefined;
  #staticRemaining: number;
  #staticEnd: number | undefined;
  #burstRemaining: number;
  #burstEnd: number | undefined;
  #pausedUntil = 0;
  #queues: Record<Lane, Waiter[]> = { action: [], read: [] };
  #cancelWake: (() => void) | undefined;
  #stats = {
    granted: { action: 0, read: 0 },
    byPool: { static: 0, burst: 0, unlimited: 0 },
    waitedMs: { action: 0, read: 0 },
    maxWaitMs: { action: 0, read: 0 },
    pauses: 0,
    lowered: 0,
  };

  constructor(opts: RateLimiterOptions = {}) {
    this.enabled = opts.enabled ?? true;
    this.clock = opts.clock ?? systemClock;
    this.#o = {
      staticLimit: opts.staticLimit ?? DEFAULT_LIMITS.staticLimit,
      staticWindowMs: opts.staticWindowMs ?? DEFAULT_LIMITS.staticWindowMs,
      burstLimit: opts.burstLimit ?? DEFAULT_LIMITS.burstLimit,
      burstWindowMs: opts.burstWindowMs ?? DEFAULT_LIMITS.burstWindowMs,
      safetyMarginMs: opts.safetyMarginMs ?? DEFAULT_LIMITS.safetyMarginMs,
      burstReserve: opts.burstReserve ?? DEFAULT_LIMITS.burstReserve,
      readAgingMs: opts.readAgingMs ?? DEFAULT_LIMITS.readAgingMs,
      seedTimeoutMs: opts.seedTimeoutMs ?? DEFAULT_LIMITS.seedTimeoutMs,
    };
    this.#seeding = this.enabled && (opts.seedFromServer ?? false);
    this.#ledger = this.enabled ? opts.ledger : undefined;
    const { staticLimit, staticWindowMs, burstLimit, burstWindowMs, burstReserve } = this.#o;
    if (!(staticLimit >= 1 && burstLimit >= 0 && burstReserve >= 0 && staticWindowMs > 0 && burstWindowMs > 0)) {
      throw new RangeError('RateLimiter needs staticLimit >= 1, burstLimit >= 0, burstReserve >= 0 and positive windows');
    }
    this.#staticRemaining = staticLimit;
    this.#burstRemaining = this.#usableBurst;
  }

  /** A limiter that never waits. */
  static unlimited(): RateLimiter {
    return new RateLimiter({ enabled: false });
  }

  /** Waits for a slot in `lane`; resolves when the request may be sent. */
  acquire(lane: Lane, opts: AcquireOptions = {}): Promise<Grant> {
    if (opts.signal?.aborted) return Promise.reject(abortReason(opts.signal));
    if (!this.enabled) {
      this.#record(lane, 'unlimited', 0);
      return Promise.resolve({ lane, pool: 'unlimited', waitedMs: 0 });
    }
    return new Promise<Grant>((resolve, reject) => {
      const w: Waiter = { lane, since: this.clock.now(), resolve, reject, signal: opts.signal };
      if (opts.signal) {
        w.onAbort = () => {
          this.#queues[lane] = this.#queues[lane].filter((x) => x !== w);
          reject(abortReason(opts.signal!));
          this.#pump();
        };
        opts.signal.addEventListener('abort', w.onAbort, { once: true });
      }
      if (opts.front) this.#queues[lane].unshift(w);
      else this.#queues[lane].push(w);
      this.#pump();
    });
  }

  /**
   * The server answered 429: hold every lane for ms, and take both pools as empty (the server's
   * view wins over our model). Used by the client with the wait the 429 asked for.
   */
  pauseFor(ms: number): void {
    if (!this.enabled) return;
    const now = this.clock.now();
    this.#stats.pauses++;
    this.#shared(() => {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + ms);
      this.#staticRemaining = 0;
      this.#staticEnd = Math.max(this.#staticEnd ?? 0, this.#pausedUntil);
      if (this.#burstRemaining > 0 || this.#burstEnd === undefined) {
        // Someone else (another process on this account or IP) spent the burst: we do not know when
        // its window ends, so assume a whole window from now rather than meet more 429s.
        this.#burstRemaining = 0;
        this.#burstEnd = this.#burstEnd ?? now + this.#o.burstWindowMs + this.#o.safetyMarginMs;
      }
    });
    this.#pump();
  }

  /**
   * An answer arrived: `state` from its headers (serverLimitState), or undefined when it had none or
   * the request failed. Lowers a pool the server reports as emptier than the model; never raises one
   * (an answer can be older than requests already granted). Ends the seeding.
   */
  observe(state: ServerLimitState | undefined): void {
    if (!this.enabled) return;
    const now = this.clock.now();
    if (state) {
      this.#shared(() => {
        this.#refill(now);
        let lowered = false;
        if (this.#staticRemaining > state.remaining) {
          this.#staticRemaining = state.remaining;
          lowered = true;
        }
        // While our static pool is empty, its window ends when the server's does: later than ours when
        // the server's window began at our request's arrival, earlier when another process began it.
        if (this.#staticRemaining === 0 && state.resetAt !== undefined) this.#staticEnd = state.resetAt + this.#o.safetyMarginMs;
        const burstCap = Math.max(0, state.remaining - this.#o.burstReserve);
        if (this.#burstRemaining > burstCap) {
          this.#burstRemaining = burstCap;
          // The server's burst window was opened by someone else, at a time we cannot know.
          this.#burstEnd ??= now + this.#o.burstWindowMs + this.#o.safetyMarginMs;
          lowered = true;
        }
        if (lowered) this.#stats.lowered++;
      });
    }
    this.#seeding = false;
    this.#seedUntil = undefined;
    this.#pump();
  }

  snapshot(): LimiterSnapshot {
    this.#refill(this.clock.now());
    const s = this.#stats;
    return {
      enabled: this.enabled,
      queued: { action: this.#queues.action.length, read: this.#queues.read.length },
      granted: { ...s.granted },
      byPool: { ...s.byPool },
      waitedMs: { ...s.waitedMs },
      maxWaitMs: { ...s.maxWaitMs },
      pauses: s.pauses,
      lowered: s.lowered,
      staticRemaining: this.#staticRemaining,
      burstRemaining: this.#burstRemaining,
    };
  }

  #refill(now: number): void {
    if (this.#staticEnd !== undefined && now >= this.#staticEnd) {
      this.#staticRemaining = this.#o.staticLimit;
      this.#staticEnd = undefined;
    }
    if (this.#burstEnd !== undefined && now >= this.#burstEnd) {
      this.#burstRemaining = this.#usableBurst;
      this.#burstEnd = undefined;
    }
  }

  get #usableBurst(): number {
    return Math.max(0, this.#o.burstLimit - this.#o.burstReserve);
  }

  #take(now: number): Pool | undefined {
    if (this.#staticRemaining > 0) {
      this.#staticRemaining--;
      this.#staticEnd ??= now + this.#o.staticWindowMs + this.#o.safetyMarginMs;
      return 'static';
    }
    if (this.#burstRemaining > 0) {
      this.#burstRemaining--;
      this.#burstEnd ??= now + this.#o.burstWindowMs + this.#o.safetyMarginMs;
      return 'burst';
    }
    return undefined;
  }

  #next(now: number): Waiter | undefined {
    const read = this.#queues.read[0];
    if (read && now - read.since >= this.#o.readAgingMs) return this.#queues.read.shift();
    return this.#queues.action.shift() ?? this.#queues.read.shift();
  }

  #pump(): void {
    this.#cancelWake?.();
    this.#cancelWake = undefined;
    while (this.#queues.action.length + this.#queues.read.length > 0) {
      const now = this.clock.now();
      let pool: Pool | undefined;
      let wake = Infinity;
      this.#shared(() => {
        this.#refill(now);
        if (now < this.#pausedUntil) wake = this.#pausedUntil;
        else if (this.#seedUntil !== undefined && now < this.#seedUntil) wake = this.#seedUntil;
        else {
          if (this.#seedUntil !== undefined) {
            this.#seeding = false; // the seeding request hangs: let the others go
            this.#seedUntil = undefined;
          }
          pool = this.#take(now);
          if (!pool) wake = Math.min(this.#staticEnd ?? Infinity, this.#burstEnd ?? Infinity);
        }
      });
      if (!pool) return this.#wakeAt(wake, now);
      const w = this.#next(now)!;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      const waitedMs = now - w.since;
      this.#record(w.lane, pool, waitedMs);
      if (this.#seeding) this.#seedUntil = now + this.#o.seedTimeoutMs;
      w.resolve({ lane: w.lane, pool, waitedMs });
    }
  }

  /**
   * Runs `change` on the pools: with a ledger, on the state all processes share (read before,
   * written after, under its lock); without one, or when its lock cannot be had, on our own.
   */
  #shared(change: () => void): void {
    const ledger = this.#ledger;
    if (ledger?.transact((s) => {
      if (s) this.#load(s);
      change();
      return this.#poolState();
    })) return;
    change();
  }

  #load(s: PoolState): void {
    this.#staticRemaining = Math.min(s.staticRemaining, this.#o.staticLimit);
    this.#staticEnd = s.staticEnd;
    this.#burstRemaining = Math.min(s.burstRemaining, this.#usableBurst);
    this.#burstEnd = s.burstEnd;
    this.#pausedUntil = Math.max(this.#pausedUntil, s.pausedUntil);
    // Seeding goes on regardless: what was spent outside st-goods (another tool, a browser) is in
    // no ledger, only in the server's answer to the first request.
  }

  #poolState(): PoolState {
    return {
      staticRemaining: this.#staticRemaining,
      staticEnd: this.#staticEnd,
      burstRemaining: this.#burstRemaining,
      burstEnd: this.#burstEnd,
      pausedUntil: this.#pausedUntil,
      writtenAt: this.clock.now(),
    };
  }

  #wakeAt(at: number, now: number): void {
    this.#cancelWake = this.clock.schedule(Math.max(0, at - now), () => {
      this.#cancelWake = undefined;
      this.#pump();
    });
  }

  #record(lane: Lane, pool: Pool, waitedMs: number): void {
    const s = this.#stats;
    s.granted[lane]++;
    s.byPool[pool]++;
    s.waitedMs[lane] += waitedMs;
    s.maxWaitMs[lane] = Math.max(s.maxWaitMs[lane], waitedMs);
  }
}

const shared = new Map<string, RateLimiter>();

/**
 * The limiter of this process for the server at `baseUrl`, shared by every client of that server
 * that is not given its own. Its pools are shared with the other st-goods processes of this host
 * through the ledger (limiter-ledger.ts; `ST_GOODS_SHARED_LIMIT=0` turns that off), and it seeds
 * itself from the server's first answer when no process has spent them lately.
 */
export function sharedLimiter(baseUrl: string, env: NodeJS.ProcessEnv = process.env): RateLimiter {
  const origin = new URL(baseUrl).origin;
  let limiter = shared.get(origin);
  if (!limiter) {
    const ledger = env.ST_GOODS_SHARED_LIMIT === '0' ? undefined : new FileLedger(ledgerFileFor(origin, env));
    limiter = new RateLimiter({ seedFromServer: true, ledger });
    shared.set(origin, limiter);
  }
  return limiter;
}
