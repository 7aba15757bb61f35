import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FakeClock, flushMicrotasks } from '../../../src/api/clock.js';
import { RateLimiter } from '../../../src/api/limiter.js';
import { FileLedger, ledgerFileFor } from '../../../src/api/limiter-ledger.js';

/** Two limiters, as in two processes, on one ledger file; `n` reads queued on each. */
function pair(file: string, clock: FakeClock, n: number) {
  const mk = () => new RateLimiter({ clock, safetyMarginMs: 0, burstReserve: 0, ledger: new FileLedger(file) });
  const [a, b] = [mk(), mk()];
  const granted = { a: 0, b: 0 };
  for (let i = 0; i < n; i++) {
    void a.acquire('read').then(() => granted.a++);
    void b.acquire('read').then(() => granted.b++);
  }
  return { a, b, granted };
}

describe('api/limiter-ledger: the pools shared by the processes of one host', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-ledger-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('two limiters on one ledger grant together what one server allows: 2/s plus one burst of 30', async () => {
    const clock = new FakeClock();
    const { granted } = pair(path.join(dir, 'pools.json'), clock, 40);
    await flushMicrotasks();
    expect(granted.a + granted.b).to.equal(32);
    await clock.advance(1000);
    expect(granted.a + granted.b).to.equal(34);
    await clock.advance(9000);
    expect(granted.a + granted.b).to.equal(52);
    expect(granted.a, 'both get slots').to.be.above(0);
    expect(granted.b).to.be.above(0);
  });

  it('a 429 seen by one process holds the other', async () => {
    const clock = new FakeClock();
    const file = path.join(dir, 'pools.json');
    const a = new RateLimiter({ clock, ledger: new FileLedger(file) });
    const b = new RateLimiter({ clock, ledger: new FileLedger(file) });
    a.pauseFor(5000);
    let at = -1;
    const t0 = clock.now();
    void b.acquire('action').then(() => (at = clock.now() - t0));
    await flushMicrotasks();
    expect(at).to.equal(-1);
    await clock.advance(5000);
    expect(at).to.be.at.least(5000);
  });

  it('a garbled ledger, or a lock held by a hung process, never stops the limiter', async () => {
    const clock = new FakeClock();
    const file = path.join(dir, 'pools.json');
    fs.writeFileSync(file, '{"staticRem');
    const l = new RateLimiter({ clock, safetyMarginMs: 0, burstReserve: 0, ledger: new FileLedger(file) });
    let n = 0;
    for (let i = 0; i < 5; i++) void l.acquire('read').then(() => n++);
    await flushMicrotasks();
    expect(n).to.equal(5);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).burstRemaining).to.equal(27);
    // A lock directory left fresh (its holder hung): the limiter waits a moment, then goes on alone.
    fs.mkdirSync(`${file}.lock`);
    const started = Date.now();
    await l.acquire('read');
    expect(Date.now() - started).to.be.below(5000);
    // Left old (its holder died): it is broken and the ledger is used again.
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.lock`, old, old);
    await l.acquire('read');
    expect(fs.existsSync(`${file}.lock`)).to.equal(false);
    // (The slot taken alone while the lock was held never reached the ledger: 27 − 1.)
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).burstRemaining).to.equal(26);
  });

  it('one ledger per server origin, in ST_GOODS_RUNTIME_DIR when set', () => {
    const env = { ST_GOODS_RUNTIME_DIR: dir };
    expect(path.dirname(ledgerFileFor('https://api.spacetraders.io/v2', env))).to.equal(dir);
    expect(ledgerFileFor('https://api.spacetraders.io/v2', env)).to.equal(ledgerFileFor('https://api.spacetraders.io/v2/my/agent', env));
    expect(ledgerFileFor('http://127.0.0.1:4000/v2', env)).to.not.equal(ledgerFileFor('http://127.0.0.1:4001/v2', env));
  });
});
