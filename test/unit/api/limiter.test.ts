import { expect } from 'chai';
import { FakeClock, flushMicrotasks, systemClock } from '../../../src/api/clock.js';
import { type Grant, type Lane, RateLimiter, serverLimitState } from '../../../src/api/limiter.js';

/** Queues n requests on a lane and records, for each, when it was granted (clock ms since start). */
function queue(l: RateLimiter, clock: FakeClock, lane: Lane, n: number, label: string = lane) {
  const t0 = clock.now();
  const granted: Array<{ label: string; i: number; at: number; grant: Grant }> = [];
  const all = Array.from({ length: n }, (_, i) =>
    l.acquire(lane).then((grant) => {
      granted.push({ label, i, at: clock.now() - t0, grant });
    }),
  );
  return { granted, all: Promise.all(all) };
}

describe('api/limiter: two pools, fixed windows', () => {
  it('grants 2 per second plus a burst of 30 per minute, and no more (exact, fake clock)', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, safetyMarginMs: 0, burstReserve: 0 });
    const { granted } = queue(l, clock, 'read', 200);
    await flushMicrotasks();
    // t=0: the static pool (2) then the whole burst pool (30).
    expect(granted.length).to.equal(32);
    await clock.advance(999);
    expect(granted.length, 'nothing before the static window ends').to.equal(32);
    await clock.advance(1);
    expect(granted.length).to.equal(34);
    // Every full second two more, until the burst window (started at t=0) ends at 60 s.
    await clock.advance(58_000); // t = 59 000
    expect(granted.length).to.equal(32 + 2 * 59);
    await clock.advance(999); // t = 59 999: the 60 s of the first window hold 150 grants
    expect(granted.length).to.equal(150);
    await clock.advance(1); // t = 60 000: static refills and the burst refills
    expect(granted.length).to.equal(182);
    // Never more than 2 static grants in any one window.
    const staticAt = granted.filter((g) => g.grant.pool === 'static').map((g) => g.at);
    for (const t of staticAt) expect(staticAt.filter((x) => x >= t && x < t + 1000).length).to.be.at.most(2);
    expect(l.snapshot().byPool).to.deep.equal({ static: 122, burst: 60, unlimited: 0 });
  });

  it('by default keeps a 25 ms margin on each window and leaves 2 burst points as a cushion: 146 in the first 60 s', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock });
    const { granted } = queue(l, clock, 'read', 200);
    await flushMicrotasks();
    expect(granted.length).to.equal(2 + 28);
    await clock.advance(1024);
    expect(granted.length).to.equal(30);
    await clock.advance(1);
    expect(granted.length).to.equal(32);
    await clock.advance(60_000 - 1025 - 1);
    // static windows start at 0, 1025, ..., 58 × 1025 = 59 450: 59 windows of 2, plus 28 burst
    expect(granted.length).to.equal(59 * 2 + 28);
  });

  it('starts each window at its first consume, not at a clock tick', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, safetyMarginMs: 0, burstLimit: 0 });
    await clock.advance(500);
    const { granted } = queue(l, clock, 'read', 4);
    await flushMicrotasks();
    expect(granted.map((g) => g.at)).to.deep.equal([0, 0]);
    await clock.advance(999);
    expect(granted.length).to.equal(2);
    await clock.advance(1);
    expect(granted.map((g) => g.at)).to.deep.equal([0, 0, 1000, 1000]);
  });

  it('uses the burst pool only when the static pool is empty', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, safetyMarginMs: 0, burstReserve: 0 });
    for (let s = 0; s < 5; s++) {
      await Promise.all([l.acquire('read'), l.acquire('read')]);
      await clock.advance(1000);
    }
    expect(l.snapshot().byPool.burst).to.equal(0);
    expect(l.snapshot().burstRemaining).to.equal(30);
    await Promise.all([l.acquire('read'), l.acquire('read'), l.acquire('read')]);
    expect(l.snapshot().byPool).to.include({ static: 12, burst: 1 });
  });

  it('lengthens each window by the safety margin', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, safetyMarginMs: 25, burstLimit: 0 });
    const { granted } = queue(l, clock, 'read', 4);
    await clock.advance(1024);
    expect(granted.length).to.equal(2);
    await clock.advance(1);
    expect(granted.length).to.equal(4);
    expect(granted[2]!.at).to.equal(1025);
  });

  it('holds every lane after pauseFor (a 429) and treats both pools as empty', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, safetyMarginMs: 0 });
    await l.acquire('read');
    l.pauseFor(3000);
    const { granted } = queue(l, clock, 'action', 3);
    await clock.advance(2999);
    expect(granted.length).to.equal(0);
    await clock.advance(1);
    // The static pool is back; the burst is taken as spent for a whole window.
    expect(granted.length).to.equal(2);
    expect(l.snapshot().pauses).to.equal(1);
  });

  it('grants at once when disabled', async () => {
    const l = RateLimiter.unlimited();
    const grants = await Promise.all(Array.from({ length: 100 }, () => l.acquire('read')));
    expect(grants.every((g) => g.pool === 'unlimited' && g.waitedMs === 0)).to.equal(true);
    expect(l.snapshot().granted.read).to.equal(100);
  });

  it('drops a waiter whose signal aborts, and serves the next', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, safetyMarginMs: 0, staticLimit: 1, burstLimit: 0 });
    await l.acquire('read');
    const ac = new AbortController();
    const aborted = l.acquire('read', { signal: ac.signal });
    const next = queue(l, clock, 'read', 1, 'next');
    ac.abort();
    let err: unknown;
    await aborted.catch((e: unknown) => (err = e));
    expect((err as Error).name).to.equal('AbortError');
    await clock.advance(1000);
    expect(next.granted.map((g) => g.at)).to.deep.equal([1000]);
  });
});

describe('api/limiter: priority lanes', () => {
  it('serves ship actions before reads, FIFO within each lane', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, safetyMarginMs: 0, staticLimit: 1, burstLimit: 0, readAgingMs: 60_000 });
    await l.acquire('read'); // spend the window
    const order: string[] = [];
    const mk = (lane: Lane, name: string) => l.acquire(lane).then(() => order.push(name));
    const all = [mk('read', 'r1'), mk('read', 'r2'), mk('action', 'a1'), mk('read', 'r3'), mk('action', 'a2'), mk('action', 'a3')];
    await clock.advance(6000);
    await Promise.all(all);
    expect(order).to.deep.equal(['a1', 'a2', 'a3', 'r1', 'r2', 'r3']);
    expect(l.snapshot().granted).to.deep.equal({ action: 3, read: 4 });
  });

  it('never starves reads: a read that has waited readAgingMs goes before the actions', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, safetyMarginMs: 0, staticLimit: 1, burstLimit: 0, readAgingMs: 3000 });
    await l.acquire('action');
    const order: string[] = [];
    void l.acquire('read').then(() => order.push('read'));
    // A steady flood of actions, one new action every 500 ms, more than the limiter can serve.
    let n = 0;
    for (let t = 0; t < 8000; t += 500) {
      const name = `a${n++}`;
      void l.acquire('action').then(() => order.push(name));
      await clock.advance(500);
    }
    const readPos = order.indexOf('read');
    expect(readPos, 'the read was served').to.be.greaterThan(-1);
    // Granted at t=3000 (the first grant after it aged), after the actions served at 1000 and 2000.
    expect(readPos).to.equal(2);
    expect(l.snapshot().maxWaitMs.read).to.equal(3000);
  });
});

describe('api/limiter: pools another process spent (x-ratelimit-* headers)', () => {
  it('reads the headers; none (a proxy answer) is undefined', () => {
    const h = (o: Record<string, string>) => ({ get: (k: string) => o[k] ?? null });
    expect(serverLimitState(h({ 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': '2026-01-01T00:00:01.000Z' }))).to.deep.equal({ remaining: 7, resetAt: Date.UTC(2026, 0, 1, 0, 0, 1) });
    expect(serverLimitState(h({ 'x-ratelimit-remaining': '0' }))).to.deep.equal({ remaining: 0 });
    expect(serverLimitState(h({}))).to.equal(undefined);
  });

  it('seeding: the first request goes alone; its answer lowers the pools to what the server has left', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, seedFromServer: true, safetyMarginMs: 0 });
    const { granted } = queue(l, clock, 'read', 40);
    await flushMicrotasks();
    expect(granted.length, 'one request until its answer').to.equal(1);
    // A plan just spent the burst: the server has its static point left, no burst, reset in 400 ms.
    l.observe({ remaining: 1, resetAt: clock.now() + 400 });
    await flushMicrotasks();
    expect(granted.length, 'the static point, no burst').to.equal(2);
    l.observe({ remaining: 0, resetAt: clock.now() + 400 });
    await clock.advance(399);
    expect(granted.length, 'the server resets at 400 ms, not at our 1000 ms window').to.equal(2);
    await clock.advance(1);
    expect(granted.length).to.equal(4);
    // The burst window someone else opened is taken as a full window from when we learnt of it.
    await clock.advance(60_000 - 400);
    expect(l.snapshot().lowered).to.be.greaterThan(0);
    expect(granted.length).to.equal(40);
  });

  it('an answer never raises a pool (it can be older than grants made since), and without seeding nothing waits', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ clock, burstReserve: 0 });
    const { granted } = queue(l, clock, 'read', 10);
    await flushMicrotasks();
    expect(granted.length).to.equal(10);
    l.observe({ remaining: 31 });
    expect(l.snapshot()).to.include({ staticRemaining: 0, burstRemaining: 22, lowered: 0 });
    l.observe({ remaining: 5 });
    expect(l.snapshot()).to.include({ staticRemaining: 0, burstRemaining: 5, lowered: 1 });
  });
});

describe('api/limiter: real time', () => {
  it('spreads requests over real windows (short run, scaled-down windows)', async () => {
    const l = new RateLimiter({ clock: systemClock, staticLimit: 2, staticWindowMs: 150, burstLimit: 3, burstWindowMs: 10_000, safetyMarginMs: 0, burstReserve: 0 });
    const t0 = Date.now();
    const at: number[] = [];
    await Promise.all(Array.from({ length: 9 }, () => l.acquire('read').then(() => at.push(Date.now() - t0))));
    at.sort((a, b) => a - b);
    // 5 at once (2 static + 3 burst), then 2 per 150 ms window: the 9th cannot come before 300 ms.
    expect(at[4]!).to.be.below(150);
    expect(at[5]!).to.be.at.least(145);
    expect(at[7]!).to.be.at.least(295);
    expect(l.snapshot().byPool).to.include({ static: 6, burst: 3 });
  });
});
