/**
 * The SpaceTraders rate limiter (MECHANICS.md §4.1): per key (an IP address, an agent), two
 * fixed-window pools. The static pool holds 2 points; the first point taken starts a 1 s timer
 * after which it refills to 2. The burst pool holds 30 points, is used only when the static pool
 * is empty, and its first point starts a 60 s timer. A request is refused (429) only when both
 * pools of one of its keys are empty. Points are taken from every key of a request only when all
 * of them can pay, so a refusal costs nothing.
 */

export interface RateLimitConfig {
  perSecond: number;
  windowMs: number;
  burst: number;
  burstWindowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { perSecond: 2, windowMs: 1000, burst: 30, burstWindowMs: 60_000 };

/** What the 429 body and the x-ratelimit-* headers report. */
export interface LimitInfo {
  /** "IP Address" or "Account", as x-ratelimit-type. */
  type: string;
  limitPerSecond: number;
  limitBurst: number;
  remaining: number;
  /** When the static pool refills (epoch ms). */
  reset: number;
  /** Whole seconds until a retry can succeed (at least 1 on a refusal). */
  retryAfter: number;
}

export type LimitResult = { ok: true; info?: LimitInfo } | { ok: false; info: LimitInfo };

export interface LimitKey {
  type: string;
  key: string;
}

interface Pools {
  staticLeft: number;
  staticReset: number; // 0 = timer not started
  burstLeft: number;
  burstReset: number;
}

const left = (p: Pools): number => p.staticLeft + p.burstLeft;

export class RateLimiter {
  private readonly pools = new Map<string, Pools>();
  readonly config: RateLimitConfig;

  constructor(
    private readonly now: () => number = Date.now,
    config: Partial<RateLimitConfig> = {},
  ) {
    this.config = { ...DEFAULT_RATE_LIMIT, ...config };
  }

  /** Takes one point from each key, or none if any key is exhausted. */
  take(keys: readonly LimitKey[]): LimitResult {
    const now = this.now();
    const states = keys.map((k) => this.refreshed(`${k.type}\u0000${k.key}`, now));
    for (let i = 0; i < keys.length; i++) {
      const p = states[i]!;
      if (p.staticLeft + p.burstLeft <= 0) return { ok: false, info: this.info(keys[i]!.type, p, now, true) };
    }
    for (const p of states) {
      if (p.staticLeft > 0) {
        if (p.staticReset === 0) p.staticReset = now + this.config.windowMs;
        p.staticLeft--;
      } else {
        if (p.burstReset === 0) p.burstReset = now + this.config.burstWindowMs;
        p.burstLeft--;
      }
    }
    // Report the key with the fewest points left (the agent on a tie): what a client must throttle on.
    let binding = states.length - 1;
    for (let i = states.length - 2; i >= 0; i--) if (left(states[i]!) < left(states[binding]!)) binding = i;
    return { ok: true, info: binding >= 0 ? this.info(keys[binding]!.type, states[binding]!, now, false) : undefined };
  }

  private refreshed(id: string, now: number): Pools {
    let p = this.pools.get(id);
    if (!p) {
      if (this.pools.size > 10_000) this.prune(now);
      p = { staticLeft: this.config.perSecond, staticReset: 0, burstLeft: this.config.burst, burstReset: 0 };
      this.pools.set(id, p);
      return p;
    }
    if (p.staticReset !== 0 && now >= p.staticReset) {
      p.staticLeft = this.config.perSecond;
      p.staticReset = 0;
    }
    if (p.burstReset !== 0 && now >= p.burstReset) {
      p.burstLeft = this.config.burst;
      p.burstReset = 0;
    }
    return p;
  }

  private prune(now: number): void {
    for (const [id, p] of this.pools) {
      if ((p.staticReset === 0 || now >= p.staticReset) && (p.burstReset === 0 || now >= p.burstReset)) this.pools.delete(id);
    }
  }

  private info(type: string, p: Pools, now: number, refused: boolean): LimitInfo {
    // After a refusal both pools are empty and the static one refills first.
    const reset = p.staticReset !== 0 ? p.staticReset : now + this.config.windowMs;
    return {
      type,
      limitPerSecond: this.config.perSecond,
      limitBurst: this.config.burst,
      remaining: p.staticLeft + p.burstLeft,
      reset,
      retryAfter: refused ? Math.max(1, Math.ceil((reset - now) / 1000)) : 0,
    };
  }
}

/** The exact 429 body of the real server (MECHANICS.md §4.2). */
export function rateLimitBody(info: LimitInfo): { error: { message: string; code: number; data: Record<string, unknown> } } {
  return {
    error: {
      message: 'You have reached your API limit.',
      code: 429,
      data: {
        type: info.type,
        retryAfter: info.retryAfter,
        limitBurst: info.limitBurst,
        limitPerSecond: info.limitPerSecond,
        remaining: info.remaining,
        reset: new Date(info.reset).toISOString(),
      },
    },
  };
}

export const EXPOSED_RATE_LIMIT_HEADERS =
  'Retry-After, X-RateLimit-Type, X-RateLimit-Limit-Burst, X-RateLimit-Limit-Per-Second, X-RateLimit-Remaining, X-RateLimit-Reset';

/** The x-ratelimit-* headers (and retry-after on a refusal). */
export function rateLimitHeaders(info: LimitInfo, refused: boolean): Record<string, string> {
  const h: Record<string, string> = {
    'access-control-expose-headers': EXPOSED_RATE_LIMIT_HEADERS,
    'x-ratelimit-type': info.type,
    'x-ratelimit-limit-burst': String(info.limitBurst),
    'x-ratelimit-limit-per-second': String(info.limitPerSecond),
    'x-ratelimit-remaining': String(info.remaining),
    'x-ratelimit-reset': new Date(info.reset).toISOString(),
  };
  if (refused) h['retry-after'] = String(info.retryAfter);
  return h;
}
