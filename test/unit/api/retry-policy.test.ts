import { expect } from 'chai';
import { backoffMs, serverRequestedWaitMs } from '../../../src/api/retry-policy.js';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });
const NOW = Date.parse('2026-01-01T00:00:00.000Z');

describe('api/retry-policy', () => {
  it('reads Retry-After seconds first, then body retryAfter, then x-ratelimit-reset', () => {
    expect(serverRequestedWaitMs(headers({ 'retry-after': '2' }), undefined, NOW, 60_000)).to.equal(2000);
    expect(serverRequestedWaitMs(headers({}), { error: { code: 429, data: { retryAfter: 1.5 } } }, NOW, 60_000)).to.equal(1500);
    expect(serverRequestedWaitMs(headers({ 'x-ratelimit-reset': '2026-01-01T00:00:00.750Z' }), {}, NOW, 60_000)).to.equal(750);
    expect(
      serverRequestedWaitMs(headers({ 'retry-after': '1', 'x-ratelimit-reset': '2026-01-01T00:00:09Z' }), { error: { data: { retryAfter: 5 } } }, NOW, 60_000),
    ).to.equal(1000);
  });

  it('returns undefined for a 429 that names no wait (the proxy HTML page)', () => {
    expect(serverRequestedWaitMs(headers({ 'content-type': 'text/html' }), undefined, NOW, 60_000)).to.equal(undefined);
  });

  it('clamps a reset time in the past or far future (clock skew)', () => {
    expect(serverRequestedWaitMs(headers({ 'x-ratelimit-reset': '2025-12-31T23:59:00Z' }), undefined, NOW, 60_000)).to.equal(0);
    expect(serverRequestedWaitMs(headers({ 'x-ratelimit-reset': '2026-01-02T00:00:00Z' }), undefined, NOW, 60_000)).to.equal(60_000);
  });

  it('backs off exponentially with jitter, capped', () => {
    const o = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, { ...o, random: () => 0 }))).to.deep.equal([50, 100, 200, 400, 500]);
    expect([1, 2, 3].map((n) => backoffMs(n, { ...o, random: () => 0.999999 }))).to.deep.equal([100, 200, 400]);
  });
});
