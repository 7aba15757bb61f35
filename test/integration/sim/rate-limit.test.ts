import http from 'node:http';
import { expect } from 'chai';
import { ManualClock } from '../../../src/sim/engine/index.js';
import { withSim, type TestSim } from '../../helpers/sim.js';
import { spec } from './spec-check.js';

/**
 * The rate limiter over HTTP (MECHANICS.md §4): per IP and per agent, a static pool of 2 per 1 s
 * fixed window, then a burst pool of 30 per 60 s, then 429 with the real server's body and headers.
 * Time is a ManualClock, so the windows are exact. Requests come from distinct loopback addresses
 * (127.0.0.x) to tell the IP pools apart.
 */

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

function get(url: string, token: string | undefined, localAddress = '127.0.0.1'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'GET', localAddress, agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function statuses(n: number, url: string, token: string | undefined, localAddress?: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await get(url, token, localAddress)).status);
  return out;
}

const count = (xs: number[], s: number) => xs.filter((x) => x === s).length;

describe('sim: rate limits over HTTP', () => {
  let clock: ManualClock;
  let sim: TestSim;
  let agentUrl: string;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    // Register with the limiter off so that registration costs no points, then switch it on.
    sim = await withSim({ clock, rateLimit: false });
    sim.sim.setRateLimit(true);
    agentUrl = `${sim.baseUrl}/my/agent`;
  });
  afterEach(() => sim.close());

  it('allows 2 + 30 requests in a frozen second, then answers 429 with the real body and headers', async () => {
    const first = await statuses(32, agentUrl, sim.token);
    expect(count(first, 200)).to.equal(32);
    const refused = await get(agentUrl, sim.token);
    expect(refused.status).to.equal(429);
    expect(spec.validateError(refused.body)).to.equal(undefined);
    const reset = new Date(clock.now() + 1000).toISOString();
    expect(refused.body).to.deep.equal({
      error: {
        message: 'You have reached your API limit.',
        code: 429,
        data: { type: 'IP Address', retryAfter: 1, limitBurst: 30, limitPerSecond: 2, remaining: 0, reset },
      },
    });
    expect(refused.headers['retry-after']).to.equal('1');
    expect(refused.headers['x-ratelimit-type']).to.equal('IP Address');
    expect(refused.headers['x-ratelimit-limit-burst']).to.equal('30');
    expect(refused.headers['x-ratelimit-limit-per-second']).to.equal('2');
    expect(refused.headers['x-ratelimit-remaining']).to.equal('0');
    expect(refused.headers['x-ratelimit-reset']).to.equal(reset);
    expect(refused.headers['content-type']).to.match(/^application\/json/);
    for (const h of ['Retry-After', 'X-RateLimit-Type', 'X-RateLimit-Limit-Burst', 'X-RateLimit-Limit-Per-Second', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
      expect(refused.headers['access-control-expose-headers']).to.contain(h);
    }
  });

  it('refills the static pool each second and the burst pool after 60 s; refusals cost nothing', async () => {
    await statuses(32, agentUrl, sim.token);
    expect(count(await statuses(10, agentUrl, sim.token), 429)).to.equal(10);
    clock.advance(1000);
    expect(await statuses(3, agentUrl, sim.token)).to.deep.equal([200, 200, 429]);
    clock.advance(999);
    expect(await statuses(1, agentUrl, sim.token)).to.deep.equal([429]); // the window opened at the first of those 2
    clock.advance(1);
    expect(await statuses(3, agentUrl, sim.token)).to.deep.equal([200, 200, 429]);
    clock.advance(60_000);
    expect(count(await statuses(33, agentUrl, sim.token), 200)).to.equal(32);
  });

  it('keeps the burst for when the static pool is empty: 2/s sustained never touches it', async () => {
    for (let s = 0; s < 40; s++) {
      expect(await statuses(2, agentUrl, sim.token)).to.deep.equal([200, 200]);
      clock.advance(1000);
    }
    expect(count(await statuses(33, agentUrl, sim.token), 200)).to.equal(32);
  });

  it('limits per agent across IP addresses, and per IP address across agents', async () => {
    // One agent from two addresses: its account pool (32) runs out while each IP pool has points left.
    const a = [...(await statuses(16, agentUrl, sim.token, '127.0.0.2')), ...(await statuses(16, agentUrl, sim.token, '127.0.0.3'))];
    expect(count(a, 200)).to.equal(32);
    const refused = await get(agentUrl, sim.token, '127.0.0.4');
    expect(refused.status).to.equal(429);
    expect(refused.body.error.data.type).to.equal('Account');
    expect(refused.headers['x-ratelimit-type']).to.equal('Account');

    // Another agent is not limited by the first one's account pool...
    sim.sim.setRateLimit(false);
    const b = await sim.register();
    sim.sim.setRateLimit(true);
    expect((await get(agentUrl, b.token, '127.0.0.5')).status).to.equal(200);
    // ...but shares the IP pool of an address the first one used up (127.0.0.2 has 16 left).
    const fromTwo = await statuses(17, agentUrl, b.token, '127.0.0.2');
    expect(count(fromTwo, 200)).to.equal(16);
    expect(fromTwo.at(-1)).to.equal(429);
  });

  it('answers 429 without touching the engine: anonymous requests count against the IP pool', async () => {
    const statusUrl = `${sim.baseUrl}/`;
    const s = await statuses(33, statusUrl, undefined, '127.0.0.6');
    expect(count(s, 200)).to.equal(32);
    expect(s.at(-1)).to.equal(429);
  });

  it('--rate-limit off lets everything through; the admin endpoint switches it at runtime', async () => {
    const off = await fetch(`${sim.sim.adminUrl}/rate-limit`, { method: 'PUT', body: JSON.stringify({ enabled: false }), headers: { 'content-type': 'application/json' } });
    expect(off.status).to.equal(200);
    expect(count(await statuses(100, agentUrl, sim.token), 200)).to.equal(100);
    const cfg = (await (await fetch(`${sim.sim.adminUrl}/config`)).json()) as any;
    expect(cfg.data.rateLimit).to.equal(false);
    await fetch(`${sim.sim.adminUrl}/rate-limit`, { method: 'PUT', body: JSON.stringify({ enabled: true }), headers: { 'content-type': 'application/json' } });
    expect(count(await statuses(33, agentUrl, sim.token, '127.0.0.7'), 429)).to.equal(1);
  });

  it('reports x-ratelimit-* headers on successful answers too', async () => {
    const ok = await get(agentUrl, sim.token);
    expect(ok.status).to.equal(200);
    expect(ok.headers['x-ratelimit-type']).to.equal('Account');
    expect(ok.headers['x-ratelimit-remaining']).to.equal('31');
    expect(ok.headers['retry-after']).to.equal(undefined);
  });
});
