/** What apply needs to know about the server's clock and rate limit. */
export interface ServerTraits {
  /** Game seconds per wall second (1 for the real API). */
  timeScale: number;
  /** False only for a local simulator that says its rate limiter is off. */
  rateLimited: boolean;
  /** Game minutes an export takes to climb one supply level, by good: only a simulator says. */
  productionStepMinutes?: { default: number; byGood: Record<string, number> };
}

/**
 * The real API runs at 1 game second per wall second and is rate limited. The local simulator
 * may run faster and without a limiter, and says so at `/_sim/config`; it is asked only on a
 * loopback address. `--time-scale` / ST_GOODS_TIME_SCALE override the time scale.
 */
export async function detectServer(baseUrl: string, override?: string | number, fetchImpl: typeof fetch = fetch): Promise<ServerTraits> {
  const forced = override !== undefined && override !== '' && Number.isFinite(Number(override)) && Number(override) > 0 ? Number(override) : undefined;
  const real: ServerTraits = { timeScale: forced ?? 1, rateLimited: true };
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return real;
  }
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname)) return real;
  try {
    const res = await fetchImpl(`${url.origin}/_sim/config`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return real;
    const body = (await res.json()) as { data?: { timeScale?: unknown; rateLimit?: unknown; productionStepMinutes?: unknown } };
    const k = Number(body.data?.timeScale);
    const rl = body.data?.rateLimit;
    const limiterOff = rl === false || (typeof rl === 'object' && rl !== null && (rl as { enabled?: unknown }).enabled === false);
    const steps = productionSteps(body.data?.productionStepMinutes);
    return { timeScale: forced ?? (Number.isFinite(k) && k > 0 ? k : 1), rateLimited: !limiterOff, ...(steps ? { productionStepMinutes: steps } : {}) };
  } catch {
    return real;
  }
}

function productionSteps(v: unknown): ServerTraits['productionStepMinutes'] {
  const o = v as { default?: unknown; byGood?: unknown } | undefined;
  if (!o || typeof o.default !== 'number' || !(o.default > 0)) return undefined;
  const byGood: Record<string, number> = {};
  if (o.byGood && typeof o.byGood === 'object') for (const [g, m] of Object.entries(o.byGood)) if (typeof m === 'number' && m > 0) byGood[g] = m;
  return { default: o.default, byGood };
}

export async function detectTimeScale(baseUrl: string, override?: string | number, fetchImpl: typeof fetch = fetch): Promise<number> {
  return (await detectServer(baseUrl, override, fetchImpl)).timeScale;
}
