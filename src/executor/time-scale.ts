/**
 * Game seconds per wall second of the server apply talks to. The real API runs at 1. The local
 * simulator may run faster and says so at `/_sim/config`; it is asked only on a loopback address.
 * `--time-scale` / ST_GOODS_TIME_SCALE override.
 */
export async function detectTimeScale(baseUrl: string, override?: string | number, fetchImpl: typeof fetch = fetch): Promise<number> {
  if (override !== undefined && override !== '') {
    const n = Number(override);
    if (Number.isFinite(n) && n > 0) return n;
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 1;
  }
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname)) return 1;
  try {
    const res = await fetchImpl(`${url.origin}/_sim/config`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return 1;
    const body = (await res.json()) as { data?: { timeScale?: unknown } };
    const k = Number(body.data?.timeScale);
    return Number.isFinite(k) && k > 0 ? k : 1;
  } catch {
    return 1;
  }
}
