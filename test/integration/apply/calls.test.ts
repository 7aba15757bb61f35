import path from 'node:path';
import { expect } from 'chai';
import { writePlan } from '../../../src/plan/file.js';
import { realClock } from '../../../src/executor/clock.js';
import { applyEntry } from '../../../src/executor/entry.js';
import { loadSupplyChain } from '../../../src/supply-chain/index.js';
import { adaptSpec, applyWorld, planFor, TIME_SCALE } from './helpers.js';

/**
 * Requests are the scarce resource (2/s plus 30 a minute): what apply calls, counted by the
 * simulator itself, and what the run's counters say it called.
 */
describe('integration: the calls apply makes', function () {
  this.timeout(120_000);

  it('40 IRON on one ship: the agent and the server once, the fleet in one list call, one market read per stay; every call counted', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      const plan = await planFor(w.client, w.store, adaptSpec('iron.yaml', w.dir));
      const file = path.join(w.dir, 'iron.plan.yaml');
      writePlan(file, plan);
      const log: string[] = [];
      const off = w.client.onEvent((e) => e.type === 'request' && log.push(`${e.method} ${e.template}`));
      const before = w.sim.sim.controls.stats.requests;
      const out = await applyEntry({ file, client: w.client, store: w.store, supplyChain: () => loadSupplyChain(), toolVersion: '0.0.0-test', approve: async () => true, clock: realClock(TIME_SCALE) });
      off();
      const served = w.sim.sim.controls.stats.requests - before;
      expect(out.status, out.status === 'declined' ? out.message : out.message).to.equal('completed');
      if (out.status === 'declined') return;
      const count = (call: string): number => log.filter((l) => l === call).length;
      expect(count('GET /'), log.join('\n')).to.equal(1);
      expect(count('GET /my/agent'), log.join('\n')).to.equal(1);
      expect(count('GET /my/ships/{shipSymbol}'), log.join('\n')).to.equal(0);
      expect(count('GET /my/ships'), log.join('\n')).to.equal(1);
      const purchases = count('POST /my/ships/{shipSymbol}/purchase');
      const reads = count('GET /systems/{systemSymbol}/waypoints/{waypointSymbol}/market');
      // One read per stay at the source: the buys after the first are priced from the responses.
      expect(purchases).to.be.greaterThan(0);
      expect(reads, log.join('\n')).to.be.at.most(plan.tasks.length);
      // Every call, the pre-flight included, is in the run's counters: exactly what the server served.
      expect(out.api.requests).to.equal(served);
      expect(out.api.requests).to.equal(log.length);
    } finally {
      await w.close();
    }
  });

  it('a hold-load bought in several tranches reads the market once per stay, pricing the rest from the responses', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      const hold = (await w.client.listShips()).find((s) => s.cargo.capacity > 0 && s.registration.role === 'HAULER')!.cargo.capacity;
      const plan = await planFor(w.client, w.store, adaptSpec('iron.yaml', w.dir, (s) => (s.target.quantity = hold)));
      const file = path.join(w.dir, 'iron.plan.yaml');
      writePlan(file, plan);
      const log: string[] = [];
      const off = w.client.onEvent((e) => e.type === 'request' && log.push(`${e.method} ${e.template}`));
      const out = await applyEntry({ file, client: w.client, store: w.store, supplyChain: () => loadSupplyChain(), toolVersion: '0.0.0-test', approve: async () => true, clock: realClock(TIME_SCALE) });
      off();
      expect(out.status, out.message).to.equal('completed');
      const count = (call: string): number => log.filter((l) => l === call).length;
      const purchases = count('POST /my/ships/{shipSymbol}/purchase');
      const reads = count('GET /systems/{systemSymbol}/waypoints/{waypointSymbol}/market');
      const stays = count('POST /my/ships/{shipSymbol}/navigate') + 1;
      expect(purchases, log.join('\n')).to.be.greaterThan(1);
      expect(reads, log.join('\n')).to.be.at.most(stays);
      expect(reads).to.be.lessThan(purchases);
    } finally {
      await w.close();
    }
  });
});
