/**
 * Simulator throughput benchmark:
 *   npm run bench:sim [-- --seconds 20 --concurrency 16 --world generated|sector|FILE --systems N --profile DIR --out FILE]
 *
 * Starts the simulator as a CHILD PROCESS (this same file with --serve: one Node process, so one
 * core serves while this process generates the load), rate limiter off, registers an agent with
 * ample credits, then drives a mix of market reads (GET market with the command ship docked there)
 * and trades (purchase 1 unit, sell it back) over keep-alive HTTP connections on 127.0.0.1 with
 * `concurrency` workers for `seconds`. Each worker repeats: 8× GET market, 1× purchase, 1× sell.
 * The load comes from a minimal raw HTTP/1.1 client by default (--client raw; --client http uses
 * node:http, which costs the load generator more CPU than the server spends per request).
 *
 * Writes bench/results/sim.json: requests/s sustained, latency p50/p99/max (ms), errors (non-2xx
 * and transport), and the server's peak RSS and CPU seconds.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SIM_ACCOUNT_TOKEN } from '../src/sim/engine/index.js';

const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '16' },
    out: { type: 'string', default: 'bench/results/sim.json' },
    world: { type: 'string', default: 'generated' },
    /** Systems of the sector (--world sector, or N > 1 around a one-system world). */
    systems: { type: 'string' },
    /** Write a V8 CPU profile of the server to this folder (node --cpu-prof). */
    profile: { type: 'string' },
    /** raw: a minimal HTTP/1.1 keep-alive client on net sockets (cheap, so the server is the limit); http: node:http. */
    client: { type: 'string', default: 'raw' },
  },
});

interface Reply {
  status: number;
  body: any;
}

async function main(): Promise<void> {
  const seconds = Number(args.seconds);
  const concurrency = Number(args.concurrency);
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...(args.profile ? ['--cpu-prof', '--cpu-prof-dir', args.profile] : []), '--import', 'tsx', self, '--serve', '--world', args.world!, ...(args.systems ? ['--systems', args.systems] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { baseUrl, adminUrl, startupMs, rssAfterStartBytes } = await new Promise<{ baseUrl: string; adminUrl: string; startupMs: number; rssAfterStartBytes: number }>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`simulator exited early (${code})`)));
  });

  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const request = (method: string, url: string, token?: string, body?: unknown): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string | number> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (payload) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      const req = http.request(url, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });

  // Setup: an agent, its command ship docked at HQ, a good the HQ market sells.
  const reg = await request('POST', `${baseUrl}/register`, SIM_ACCOUNT_TOKEN, { symbol: 'BENCH', faction: 'COSMIC' });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  const token = reg.body.data.token as string;
  const ship = (reg.body.data.ships as any[]).find((s) => s.cargo.capacity > 0);
  const { systemSymbol, waypointSymbol } = ship.nav;
  const marketUrl = `${baseUrl}/systems/${systemSymbol}/waypoints/${waypointSymbol}/market`;
  const market = await request('GET', marketUrl, token);
  if (market.status !== 200) throw new Error(`market failed: ${market.status} ${JSON.stringify(market.body)}`);
  const goods = market.body.data.tradeGoods as any[];
  const good = goods.find((g) => g.type === 'EXPORT') ?? goods.find((g) => g.type !== 'IMPORT' && g.symbol !== 'FUEL') ?? goods[0];
  if (ship.nav.status !== 'DOCKED') await request('POST', `${baseUrl}/my/ships/${ship.symbol}/dock`, token);
  const purchaseUrl = `${baseUrl}/my/ships/${ship.symbol}/purchase`;
  const sellUrl = `${baseUrl}/my/ships/${ship.symbol}/sell`;

  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  let transportErrors = 0;
  type Send = (method: string, url: string, token?: string, body?: unknown) => Promise<Reply>;
  const timed = async (send: Send, method: string, url: string, body?: unknown) => {
    const t0 = process.hrtime.bigint();
    try {
      const r = await send(method, url, token, body);
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    } catch {
      transportErrors++;
    }
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };

  const before = await request('GET', `${adminUrl}/health`);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    const trade = { symbol: good.symbol, units: 1 };
    const raw = args.client === 'raw' ? new RawConnection(new URL(baseUrl)) : undefined;
    const send: Send = raw ? (m, u, t, b) => raw.request(m, u, t, b) : request;
    while (performance.now() < deadline) {
      for (let i = 0; i < 8; i++) await timed(send, 'GET', marketUrl);
      await timed(send, 'POST', purchaseUrl, trade);
      await timed(send, 'POST', sellUrl, trade);
    }
    raw?.close();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const health = await request('GET', `${adminUrl}/health`);

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(2));
  const non2xx = Object.entries(byStatus).filter(([s]) => !s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const serverCpu = (health.body?.data?.cpuSeconds ?? 0) - (before.body?.data?.cpuSeconds ?? 0);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    world: args.world,
    systems: health.body?.data?.sector?.systems,
    waypoints: health.body?.data?.sector?.waypoints,
    mode: 'child process (server) + this process (load), loopback, keep-alive, rate limiter off',
    client: args.client,
    seconds: Number(elapsed.toFixed(2)),
    concurrency,
    mix: '8x GET market, 1x purchase 1 unit, 1x sell 1 unit (per worker loop)',
    good: good.symbol,
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    latencyMs: { p50: pct(50), p99: pct(99), max: Number((latencies.at(-1) ?? 0).toFixed(2)) },
    errors: { non2xx, transport: transportErrors },
    byStatus,
    server: {
      /** From process start to listening (world generation, universe creation, HTTP server). */
      startupMs,
      rssAfterStartBytes,
      peakRssBytes: health.body?.data?.memory?.maxRssBytes,
      cpuSeconds: Number(serverCpu.toFixed(2)),
      /** Server CPU use over the run: below 1 means the load generator, not the server, was the limit. */
      coresBusy: Number((serverCpu / elapsed).toFixed(2)),
      /** Requests per second of server CPU: what one fully busy core would sustain. */
      requestsPerCpuSecond: serverCpu > 0 ? Math.round(latencies.length / serverCpu) : null,
    },
  };
  const out = path.resolve(args.out!);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${path.relative(process.cwd(), out)}\n`);
  agent.destroy();
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin!.end();
  child.kill('SIGTERM');
  await exited;
}

/**
 * A minimal HTTP/1.1 client on one keep-alive socket, one request at a time: far cheaper than
 * node:http per request, so that the load generator is not the bottleneck. Understands only
 * content-length framed responses (all the simulator sends).
 */
class RawConnection {
  private readonly socket: net.Socket;
  private buf = Buffer.alloc(0);
  private waiting?: { resolve: (r: Reply) => void; reject: (e: Error) => void };

  constructor(private readonly origin: URL) {
    this.socket = net.connect(Number(origin.port), origin.hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (c: Buffer) => this.onData(c));
    this.socket.on('error', (e) => this.waiting?.reject(e));
    this.socket.on('close', () => this.waiting?.reject(new Error('connection closed')));
  }

  request(method: string, url: string, token?: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const path = url.slice(this.origin.origin.length);
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.origin.host}\r\nConnection: keep-alive\r\n`;
    if (token) head += `Authorization: Bearer ${token}\r\n`;
    if (payload) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(`${head}\r\n${payload}`);
    });
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const length = m ? Number(m[1]) : 0;
    if (this.buf.length < end + 4 + length) return;
    const status = Number(head.slice(9, 12));
    // The body is not parsed: the load loop needs only the status, and parsing would make the
    // load generator, not the server, the bottleneck.
    this.buf = this.buf.subarray(end + 4 + length);
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve({ status, body: undefined });
  }

  close(): void {
    this.waiting = undefined;
    this.socket.end();
  }
}

if (args.serve) {
  // Child: serve until stdin closes or SIGTERM.
  const t0 = performance.now();
  const { startSim } = await import('../src/sim/index.js');
  const sim = await startSim({ port: 0, world: args.world, systems: args.systems ? Number(args.systems) : undefined, rateLimit: false, timeScale: 100, seed: 1, config: { startingCredits: 1_000_000_000 } });
  const startupMs = Math.round(performance.now() - t0);
  process.stdout.write(`${JSON.stringify({ baseUrl: sim.baseUrl, adminUrl: sim.adminUrl, startupMs, rssAfterStartBytes: process.memoryUsage.rss() })}\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
} else {
  await main();
}
