/**
 * Measures the API client's rate limiter against a local HTTP server that enforces the real
 * SpaceTraders limits (MECHANICS.md §4.1: static pool 2 per 1 s fixed window, burst pool 30 per
 * 60 s used only when the static pool is empty; each window starts at its first consume) and
 * answers 429 when both pools are empty.
 *
 *   npm run bench:limiter                      # 60 s of real time
 *   node --import tsx scripts/bench-limiter.ts --seconds 10 --concurrency 8 --out /tmp/l.json
 *
 * Writes bench/results/limiter.json: requests sent, per second, accepted in the first 60 s
 * (expected ≈ 2/s + 30 ≈ 150), and 429s received (must be 0).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpaceTradersClient } from '../src/api/client.js';
import { RateLimiter } from '../src/api/limiter.js';
import { Secret } from '../src/config/redact.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

const seconds = arg('seconds', 60);
const outIdx = process.argv.indexOf('--out');
const concurrency = arg('concurrency', 8);

/** The server side: an independent implementation of the two pools, by arrival time. */
class ServerPools {
  staticLeft = 2;
  staticEnd: number | undefined;
  burstLeft = 30;
  burstEnd: number | undefined;
  consume(t: number): { ok: true; pool: 'static' | 'burst' } | { ok: false; retryAfterMs: number } {
    if (this.staticEnd !== undefined && t >= this.staticEnd) [this.staticLeft, this.staticEnd] = [2, undefined];
    if (this.burstEnd !== undefined && t >= this.burstEnd) [this.burstLeft, this.burstEnd] = [30, undefined];
    if (this.staticLeft > 0) {
      this.staticLeft--;
      this.staticEnd ??= t + 1000;
      return { ok: true, pool: 'static' };
    }
    if (this.burstLeft > 0) {
      this.burstLeft--;
      this.burstEnd ??= t + 60_000;
      return { ok: true, pool: 'burst' };
    }
    return { ok: false, retryAfterMs: Math.min(this.staticEnd!, this.burstEnd!) - t };
  }
}

const pools = new ServerPools();
const accepted: number[] = [];
let rejected = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const t = performance.now();
    const r = pools.consume(t);
    if (!r.ok) {
      rejected++;
      const body = { error: { message: 'You have reached your API limit.', code: 429, data: { type: 'Account', retryAfter: r.retryAfterMs / 1000, limitBurst: 30, limitPerSecond: 2, remaining: 0 } } };
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(Math.ceil(r.retryAfterMs / 1000)) });
      return res.end(JSON.stringify(body));
    }
    accepted.push(t);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { symbol: 'BENCH-1', pool: r.pool } }));
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;

const limiter = new RateLimiter(); // production defaults
const api = new SpaceTradersClient({ baseUrl, token: new Secret('bench-token-not-secret'), limiter });
const started = performance.now();
const deadline = started + seconds * 1000;
let sent = 0;
let failed = 0;

async function worker(i: number): Promise<void> {
  while (performance.now() < deadline) {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), Math.max(0, deadline - performance.now()));
    try {
      // Half the workers act like ship actions, half like market reads.
      if (i % 2) await api.getShip(`BENCH-${i}`, { signal: stop.signal });
      else await api.getShip(`BENCH-${i}`, { lane: 'action', signal: stop.signal });
      sent++;
    } catch (e) {
      if (!stop.signal.aborted) {
        failed++;
        console.error(e);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

process.stderr.write(`bench:limiter: ${seconds} s, ${concurrency} concurrent callers, against ${baseUrl}\n`);
await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
const elapsedS = (performance.now() - started) / 1000;
server.close();

const first = accepted[0] ?? started;
const m = api.metrics.snapshot();
const result = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  seconds,
  concurrency,
  elapsedSeconds: Number(elapsedS.toFixed(3)),
  requestsSent: m.requestsTotal,
  requestsCompleted: sent,
  requestsFailed: failed,
  acceptedByServer: accepted.length,
  requestsPerSecond: Number((accepted.length / elapsedS).toFixed(3)),
  acceptedInFirst60s: accepted.filter((t) => t - first < 60_000).length,
  rateLimited429: m.rateLimited429,
  serverRejected429: rejected,
  limiter: limiter.snapshot(),
  clientLimiterWaitMs: m.limiterWaitMs,
  expected: 'about 2/s + 30 per minute: ≈150 in the first 60 s, 0 429s',
};
const out = outIdx >= 0 ? path.resolve(process.argv[outIdx + 1]!) : path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'results', 'limiter.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
process.stderr.write(`wrote ${path.relative(process.cwd(), out)}\n`);
if (result.rateLimited429 > 0) process.exitCode = 1;
