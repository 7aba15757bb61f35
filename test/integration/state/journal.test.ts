import { expect } from 'chai';
import { Store } from '../../../src/state/store.js';
import { Journal } from '../../../src/state/journal.js';
import { AgentLock } from '../../../src/state/lock.js';
import { readListings, writeListings } from '../../../src/market/cache.js';
import { isUserError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { BACKENDS } from '../../helpers/stores.js';

for (const backend of BACKENDS) {
  describe(`state/journal (${backend.name})`, function () {
    this.timeout(120_000);
    let location: string;
    let store: Store;
    beforeEach(async () => {
      location = await backend.location();
      store = await Store.open(location);
    });
    afterEach(async () => {
      await store.close();
    });

    it('is the backend the location names', () => {
      expect(store.backend).to.equal(backend.name);
    });

    it('keeps steps in order and finds the last sequence number after reopening', async () => {
      const j = new Journal(store);
      for (let i = 1; i <= 12; i++) await j.appendStep({ seq: i, runId: 'r1', ship: 'S', kind: 'k', at: new Date().toISOString() });
      await j.appendStep({ seq: 1, runId: 'r2', ship: 'S', kind: 'other', at: new Date().toISOString() });
      await j.appendStep({ seq: 3, runId: 'r1x', ship: 'S', kind: 'other', at: new Date().toISOString() });
      await store.close();
      store = await Store.open(location);
      const j2 = new Journal(store);
      expect(await j2.lastStepSeq('r1')).to.equal(12);
      expect((await j2.steps('r1')).map((s) => s.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect((await j2.stepsAfter('r1', 9)).map((s) => s.seq)).to.deep.equal([10, 11, 12]);
      expect(await j2.lastStepSeq('none')).to.equal(0);
    });

    it('bumps the generation atomically under concurrency', async () => {
      const j = new Journal(store);
      await Promise.all(Array.from({ length: 10 }, () => j.bumpGeneration('A')));
      expect(await j.generation('A')).to.equal(10);
      expect(await j.generation('B')).to.equal(0);
    });

    it('records and clears a stop request', async () => {
      const j = new Journal(store);
      expect(await j.stopRequested('r')).to.equal(false);
      await j.requestStop('r');
      expect(await j.stopRequested('r')).to.equal(true);
      await j.clearStop('r');
      expect(await j.stopRequested('r')).to.equal(false);
    });

    it('stores runs, tasks and ships, lists runs newest first, and getMany keeps the order asked', async () => {
      const j = new Journal(store);
      const base = { planId: 'p', agentSymbol: 'A', status: 'running' as const, updatedAt: '', attempts: 1, pid: 1, host: 'h', timeScale: 1, activeMs: 0, api: { requests: 0, purchases: 0, sales: 0, rateLimited: 0, errors: 0 }, plan: {} as never };
      await j.createRun({ ...base, runId: 'run-1', startedAt: '2026-01-01T00:00:00Z' });
      await j.createRun({ ...base, runId: 'run-2', planId: 'q', startedAt: '2026-01-02T00:00:00Z' });
      expect((await j.runs()).map((r) => r.runId)).to.deep.equal(['run-2', 'run-1']);
      expect(await j.latestRunId('A')).to.equal('run-2');
      expect(await j.runForPlan('A', 'p')).to.equal('run-1');
      const t = { status: 'pending' as const, ship: 'S', acquired: 0, delivered: 0, spent: 5, earned: 0, trips: 0, updatedAt: '' };
      await j.putTask('run-1', { ...t, taskId: 'b' });
      await j.putTask('run-1', { ...t, taskId: 'a' });
      const tasks = await j.getTasks('run-1', ['a', 'missing', 'b']);
      expect([...tasks.keys()]).to.deep.equal(['a', 'b']);
      await j.putShip('run-1', { ship: 'S', state: 'idle', fuelSpent: 3, updatedAt: '' });
      expect((await j.getShip('run-1', 'S'))?.fuelSpent).to.equal(3);
    });

    it('keeps the market cache (keyv) in the same store, readable by keyv and by the store', async () => {
      await writeListings(store, 'X1-T', [{ waypoint: 'X1-T-A', x: 1, y: 2, exports: ['IRON'], imports: [], exchange: [] }] as never, new Date());
      await store.close();
      store = await Store.open(location);
      expect((await readListings(store, 'X1-T'))?.markets[0]?.waypoint).to.equal('X1-T-A');
    });

    it('watch() reports a change another process-level store made (the dashboard feed)', async () => {
      let changes = 0;
      const watcher = store.watch(() => changes++, { debounceMs: 10 });
      try {
        await new Promise((r) => setTimeout(r, 300)); // LISTEN / the file watch is set up
        const other = await Store.open(location);
        try {
          await new Journal(other).requestStop('run-x');
        } finally {
          await other.close();
        }
        const end = Date.now() + 10_000;
        while (changes === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
        expect(changes).to.be.greaterThan(0);
      } finally {
        watcher.close();
      }
    });

    it('refuses every journal write whose fencing token is no longer the lock (LOCK_LOST), and writes nothing', async () => {
      const old = await AgentLock.acquire(store, 'A', 'run-old', { pid: 1, host: 'h1', isPidAlive: () => true });
      const stale = new Journal(store, old.fence);
      await stale.appendStep({ seq: 1, runId: 'r', ship: 'S', kind: 'k', at: 'x' });
      // The holder stalls; another host takes the lock over once its lease ran out.
      const later = Date.now() + 120_000;
      const next = await AgentLock.acquire(store, 'A', 'run-new', { pid: 2, host: 'h2', now: () => later, staleAfterMs: 30_000 });
      expect(next.token).to.be.greaterThan(old.token);
      const fresh = new Journal(store, next.fence);
      await fresh.appendStep({ seq: 2, runId: 'r', ship: 'S', kind: 'new', at: 'y' });

      const writes: Array<[string, () => Promise<unknown>]> = [
        ['appendStep', () => stale.appendStep({ seq: 2, runId: 'r', ship: 'S', kind: 'stale', at: 'z' })],
        ['putTask', () => stale.putTask('r', { taskId: 't', status: 'completed', ship: 'S', acquired: 9, delivered: 9, spent: 9, earned: 0, trips: 1, updatedAt: '' })],
        ['bumpGeneration', () => stale.bumpGeneration('A')],
        ['clearStop', () => stale.clearStop('r')],
      ];
      for (const [name, write] of writes) {
        try {
          await write();
          expect.fail(`${name} with a stale token should be refused`);
        } catch (e) {
          expect(isUserError(e), `${name}: ${(e as Error).message}`).to.equal(true);
          expect((e as { code: string }).code, name).to.equal('LOCK_LOST');
          expect((e as { exitCode: number }).exitCode, name).to.equal(ExitCode.LOCKED);
        }
      }
      expect((await fresh.steps('r')).map((s) => s.kind)).to.deep.equal(['k', 'new']);
      expect(await fresh.getTask('r', 't')).to.equal(undefined);
      expect(await fresh.generation('A')).to.equal(0);
      // A released lock keeps its generation: the next holder's token is higher still.
      await next.release();
      const third = await AgentLock.acquire(store, 'A', 'run-3', { pid: 3, host: 'h3' });
      expect(third.token).to.be.greaterThan(next.token);
      await third.release();
    });
  });
}
