import { expect } from 'chai';
import { Store } from '../../../src/state/store.js';
import { AgentLock, unlockAgent } from '../../../src/state/lock.js';
import { isUserError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { BACKENDS } from '../../helpers/stores.js';

for (const backend of BACKENDS) describe(`state/lock (${backend.name})`, function () {
  this.timeout(120_000);
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(await backend.location());
  });
  afterEach(async () => {
    await store.close();
  });

  it('gives the lock to one holder and refuses a live second one with LOCKED and the holder', async () => {
    const a = await AgentLock.acquire(store, 'AGENT', 'run-a', { pid: 111, host: 'h', isPidAlive: () => true });
    try {
      await AgentLock.acquire(store, 'AGENT', 'run-b', { pid: 222, host: 'h', isPidAlive: () => true });
      expect.fail('second acquire should throw');
    } catch (e) {
      expect(isUserError(e)).to.equal(true);
      expect((e as { exitCode: number }).exitCode).to.equal(ExitCode.LOCKED);
      expect((e as Error).message).to.contain('run-a').and.contain('111');
    }
    await a.release();
    const b = await AgentLock.acquire(store, 'AGENT', 'run-b', { pid: 222, host: 'h', isPidAlive: () => true });
    expect(b.holder.runId).to.equal('run-b');
    await b.release();
  });

  it('breaks a dead holder (same host, pid gone) and a stale heartbeat (other host)', async () => {
    await AgentLock.acquire(store, 'AGENT', 'run-dead', { pid: 1, host: 'h', isPidAlive: () => true });
    const b = await AgentLock.acquire(store, 'AGENT', 'run-b', { pid: 2, host: 'h', isPidAlive: (p) => p !== 1 });
    expect(b.holder.runId).to.equal('run-b');
    // b's heartbeat is "old" seen from another host 60 s later.
    const later = Date.now() + 60_000;
    const c = await AgentLock.acquire(store, 'AGENT', 'run-c', { pid: 3, host: 'other', now: () => later, staleAfterMs: 30_000 });
    expect(c.holder.runId).to.equal('run-c');
    // b lost it: its heartbeat says so and its release does not remove c's lock.
    expect(await b.heartbeat()).to.equal(false);
    await b.release();
    expect((await AgentLock.read(store, 'AGENT'))?.runId).to.equal('run-c');
  });

  it('lets exactly one of many concurrent contenders win a dead lock (compare-and-set)', async () => {
    await AgentLock.acquire(store, 'AGENT', 'run-dead', { pid: 1, host: 'h', isPidAlive: () => true });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => AgentLock.acquire(store, 'AGENT', `run-${i}`, { pid: 100 + i, host: 'h', isPidAlive: (p) => p >= 100 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
  });

  it('waits for a holder that releases within the lock timeout', async () => {
    const a = await AgentLock.acquire(store, 'AGENT', 'run-a', { pid: 1, host: 'h', isPidAlive: () => true });
    setTimeout(() => void a.release(), 100);
    const b = await AgentLock.acquire(store, 'AGENT', 'run-b', { pid: 2, host: 'h', isPidAlive: () => true, waitMs: 5000 });
    expect(b.holder.runId).to.equal('run-b');
  });

  it('unlock removes a dead holder, refuses a live one without --force', async () => {
    await AgentLock.acquire(store, 'AGENT', 'run-a', { pid: 1, host: 'h', isPidAlive: () => true });
    try {
      await unlockAgent(store, 'AGENT', { host: 'h', isPidAlive: () => true });
      expect.fail('should refuse');
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).to.equal(ExitCode.LOCKED);
    }
    const forced = await unlockAgent(store, 'AGENT', { force: true, host: 'h', isPidAlive: () => true });
    expect(forced.removed).to.equal(true);
    await AgentLock.acquire(store, 'AGENT', 'run-b', { pid: 5, host: 'h', isPidAlive: () => true });
    const dead = await unlockAgent(store, 'AGENT', { host: 'h', isPidAlive: () => false });
    expect(dead.removed).to.equal(true);
    expect(dead.reason).to.contain('gone');
    expect(await AgentLock.read(store, 'AGENT')).to.equal(undefined);
  });
});
