import { expect } from 'chai';
import { SpaceTradersClient } from '../../../src/api/client.js';
import { OutcomeUnknownError, ServerUnavailableError } from '../../../src/api/errors.js';
import { RateLimiter } from '../../../src/api/limiter.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { Secret } from '../../../src/config/redact.js';
import { InstantClock, type TestServer, drop, gameError, json, startServer } from './support.js';

const TOKEN = 'retries-test-token-0123456789';
const ok = { data: { symbol: 'S-1' } };

function client(srv: TestServer, clock: InstantClock, extra: Partial<ConstructorParameters<typeof SpaceTradersClient>[0]> = {}) {
  return new SpaceTradersClient({
    baseUrl: srv.baseUrl,
    token: new Secret(TOKEN),
    limiter: false,
    clock,
    retry: { baseDelayMs: 100, random: () => 0.5, timeoutMs: 2000 },
    ...extra,
  });
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

describe('api/client: 429 handling', () => {
  let srv: TestServer;
  afterEach(async () => srv?.close());

  it('waits as Retry-After says, then retries (a POST too: a 429 was not processed)', async () => {
    srv = await startServer((req, res, n) =>
      n === 1
        ? json(res, 429, { error: { message: 'You have reached your API limit.', code: 429 } }, { 'retry-after': '1', 'x-ratelimit-type': 'IP Address' })
        : json(res, 201, { data: { transaction: { units: 5 } } }),
    );
    const clock = new InstantClock();
    const api = client(srv, clock);
    const out = await api.purchaseCargo('S-1', 'IRON', 5);
    expect(out.transaction.units).to.equal(5);
    expect(srv.seen.length).to.equal(2);
    expect(clock.waits).to.deep.equal([1000]);
    const m = api.metrics.snapshot();
    expect(m).to.include({ rateLimited429: 1, retries: 1, requestsTotal: 2 });
    expect(m.retriesByReason).to.deep.equal({ 'rate-limited': 1 });
  });

  it('waits as the body error.data.retryAfter says when there is no header', async () => {
    srv = await startServer((req, res, n) =>
      n === 1 ? gameError(res, 429, 429, 'You have reached your API limit.', { type: 'IP Address', retryAfter: 2.5, limitBurst: 30, limitPerSecond: 2, remaining: 0 }) : json(res, 200, ok),
    );
    const clock = new InstantClock();
    await client(srv, clock).getShip('S-1');
    expect(clock.waits).to.deep.equal([2500]);
  });

  it('waits until x-ratelimit-reset when that is all it gets', async () => {
    const clock = new InstantClock();
    const reset = new Date(clock.now() + 700).toISOString();
    srv = await startServer((req, res, n) => (n === 1 ? json(res, 429, {}, { 'x-ratelimit-reset': reset }) : json(res, 200, ok)));
    await client(srv, clock).getShip('S-1');
    expect(clock.waits).to.deep.equal([700]);
  });

  it('backs off exponentially on an HTML 429 without rate-limit headers', async () => {
    srv = await startServer((req, res, n) => {
      if (n <= 3) {
        res.writeHead(429, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>429 Too Many Requests</h1></body></html>');
      }
      json(res, 200, ok);
    });
    const clock = new InstantClock();
    await client(srv, clock).getShip('S-1');
    // base 100 ms doubling, equal jitter at random()=0.5: 0.75 × (100, 200, 400)
    expect(clock.waits).to.deep.equal([75, 150, 300]);
  });

  it('gives up after max429Attempts with ServerUnavailableError', async () => {
    srv = await startServer((req, res) => json(res, 429, {}, { 'retry-after': '1' }));
    const clock = new InstantClock();
    const e = await rejection(client(srv, clock, { retry: { max429Attempts: 4, random: () => 0.5 } }).getShip('S-1'));
    expect(e).to.be.instanceOf(ServerUnavailableError);
    expect((e as ServerUnavailableError).exitCode).to.equal(ExitCode.UNAVAILABLE);
    expect(srv.seen.length).to.equal(4);
  });

  it('pauses the shared limiter so that other clients wait too', async () => {
    const seenAt: Record<string, number> = {};
    srv = await startServer((req, res, n) => {
      seenAt[req.url] ??= Date.now();
      if (n === 1) return json(res, 429, {}, { 'retry-after': '1' });
      json(res, 200, ok);
    });
    const limiter = new RateLimiter({ safetyMarginMs: 0 });
    const other = new SpaceTradersClient({ baseUrl: srv.baseUrl, limiter });
    let otherCall: Promise<unknown> | undefined;
    const api = new SpaceTradersClient({
      baseUrl: srv.baseUrl,
      limiter,
      // As soon as the 429 is in, another client sends a request: the static pool still has a
      // point in our model, but the pause must hold it back.
      onResponse: (e) => {
        if (e.status === 429) otherCall = other.getShip('OTHER');
      },
    });
    await api.getShip('S-1');
    await otherCall;
    expect(seenAt['/v2/my/ships/OTHER']! - seenAt['/v2/my/ships/S-1']!).to.be.at.least(950);
    expect(limiter.snapshot().pauses).to.equal(1);
    expect(other.metrics.snapshot().limiterWaitMs).to.be.at.least(950);
  });
});

describe('api/client: 5xx and network failures', () => {
  let srv: TestServer;
  afterEach(async () => srv?.close());

  it('retries a GET on 500, 502 and 504, with backoff', async () => {
    srv = await startServer((req, res, n) => (n <= 3 ? json(res, [500, 502, 504][n - 1]!, {}) : json(res, 200, ok)));
    const clock = new InstantClock();
    const api = client(srv, clock);
    expect((await api.getShip('S-1')).symbol).to.equal('S-1');
    expect(clock.waits).to.deep.equal([75, 150, 300]);
    expect(api.metrics.snapshot().retriesByReason).to.deep.equal({ 'server-error': 3 });
    expect(api.metrics.snapshot().responses).to.deep.equal({ '500': 1, '502': 1, '504': 1, '200': 1 });
  });

  it('gives up on a GET after maxAttempts 5xx', async () => {
    srv = await startServer((req, res) => json(res, 502, {}));
    const e = await rejection(client(srv, new InstantClock(), { retry: { maxAttempts: 3, random: () => 0.5 } }).getShip('S-1'));
    expect(e).to.be.instanceOf(ServerUnavailableError);
    expect(e.message).to.contain('502');
    expect(srv.seen.length).to.equal(3);
  });

  it('retries a GET on 503 only a few times, then reports maintenance', async () => {
    srv = await startServer((req, res) => gameError(res, 503, 503, 'SpaceTraders is currently in maintenance mode and unavailable.'));
    const e = await rejection(client(srv, new InstantClock()).getShip('S-1'));
    expect(e).to.be.instanceOf(ServerUnavailableError);
    expect((e as ServerUnavailableError).exitCode).to.equal(ExitCode.UNAVAILABLE);
    expect(e.message).to.contain('maintenance');
    expect(srv.seen.length).to.equal(3);
  });

  it('retries a GET whose connection was reset', async () => {
    srv = await startServer((req, res, n) => (n === 1 ? drop(res) : json(res, 200, ok)));
    const clock = new InstantClock();
    const api = client(srv, clock);
    expect((await api.getShip('S-1')).symbol).to.equal('S-1');
    expect(srv.seen.length).to.equal(2);
    expect(api.metrics.snapshot().retriesByReason).to.deep.equal({ network: 1 });
  });

  it('retries a GET that timed out', async () => {
    srv = await startServer((req, res, n) => {
      if (n === 1) return; // never answers
      json(res, 200, ok);
    });
    const api = client(srv, new InstantClock(), { retry: { timeoutMs: 150, baseDelayMs: 10 } });
    expect((await api.getShip('S-1')).symbol).to.equal('S-1');
    expect(srv.seen.length).to.equal(2);
  });

  it('never retries a POST answered 500: OutcomeUnknownError carries the request', async () => {
    srv = await startServer((req, res) => json(res, 500, { error: { message: 'Internal server error', code: 500 } }));
    const api = client(srv, new InstantClock());
    const e = await rejection(api.sellCargo('S-1', 'IRON', 7));
    expect(e).to.be.instanceOf(OutcomeUnknownError);
    const o = e as OutcomeUnknownError;
    expect(o).to.include({ method: 'POST', path: '/my/ships/S-1/sell', template: '/my/ships/{shipSymbol}/sell', status: 500 });
    expect(o.body).to.deep.equal({ symbol: 'IRON', units: 7 });
    expect(o.exitCode).to.equal(ExitCode.UNAVAILABLE);
    expect(srv.seen.length).to.equal(1);
    expect(api.metrics.snapshot().retries).to.equal(0);
  });

  it('never retries a POST whose connection dropped after sending', async () => {
    srv = await startServer((req, res) => drop(res));
    const e = await rejection(client(srv, new InstantClock()).purchaseCargo('S-1', 'IRON', 3));
    expect(e).to.be.instanceOf(OutcomeUnknownError);
    expect((e as OutcomeUnknownError).body).to.deep.equal({ symbol: 'IRON', units: 3 });
    expect(e.cause).to.be.instanceOf(Error);
    expect(srv.seen.length).to.equal(1);
  });

  it('never retries a PATCH that timed out', async () => {
    srv = await startServer(() => undefined);
    const e = await rejection(client(srv, new InstantClock(), { retry: { timeoutMs: 150 } }).setFlightMode('S-1', 'BURN'));
    expect(e).to.be.instanceOf(OutcomeUnknownError);
    expect(e.message).to.contain('ETIMEDOUT');
    expect(srv.seen.length).to.equal(1);
  });

  it('does retry a POST whose connection was refused (nothing was sent), bounded', async () => {
    const gone = await startServer(() => undefined);
    await gone.close();
    const clock = new InstantClock();
    const api = new SpaceTradersClient({ baseUrl: gone.baseUrl, limiter: false, clock, retry: { maxAttempts: 3, baseDelayMs: 10, random: () => 0.5 } });
    const e = await rejection(api.purchaseCargo('S-1', 'IRON', 3));
    expect(e).to.be.instanceOf(ServerUnavailableError);
    expect(e.message).to.contain('ECONNREFUSED');
    expect(api.metrics.snapshot().retriesByReason).to.deep.equal({ 'not-sent': 2 });
    expect(clock.waits.length).to.equal(2);
  });

  it('a GET cancelled by the caller is not retried; a POST cancelled in flight is an unknown outcome', async () => {
    srv = await startServer(() => undefined); // never answers
    const api = client(srv, new InstantClock());
    const ac1 = new AbortController();
    const get = rejection(api.getShip('S-1', { signal: ac1.signal }));
    setTimeout(() => ac1.abort(), 50);
    const e1 = await get;
    expect(e1.name).to.equal('AbortError');
    const ac2 = new AbortController();
    const post = rejection(api.orbit('S-1', { signal: ac2.signal }));
    setTimeout(() => ac2.abort(), 50);
    const e2 = await post;
    expect(e2).to.be.instanceOf(OutcomeUnknownError);
    expect(e2.message).to.contain('cancelled');
    expect(srv.seen.length).to.equal(2);
    expect(api.metrics.snapshot().retries).to.equal(0);
  });

  it('treats a 2xx without a JSON data payload as a failure: retried for a GET, unknown outcome for a POST', async () => {
    srv = await startServer((req, res, n) => {
      if (req.method === 'POST') return json(res, 201, { nodata: true });
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"data": {"trunc');
      }
      json(res, 200, ok);
    });
    const api = client(srv, new InstantClock());
    expect((await api.getShip('S-1')).symbol).to.equal('S-1');
    const e = await rejection(api.orbit('S-1'));
    expect(e).to.be.instanceOf(OutcomeUnknownError);
    expect(e.message).to.contain('data payload');
  });
});
