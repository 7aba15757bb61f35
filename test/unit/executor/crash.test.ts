import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../src/state/store.js';
import { Journal, actualSpend } from '../../../src/state/journal.js';
import { applyPlan } from '../../../src/executor/apply.js';
import { FakeGame } from './fake-game.js';
import { makePlan, task } from './plan-fixture.js';

function world(): FakeGame {
  const g = new FakeGame('AGENT');
  g.addWaypoint('X1-T-A', 0, 0);
  g.addWaypoint('X1-T-F', 0, 40);
  g.addGood('X1-T-A', 'ORE', 'EXPORT', 50, 20);
  g.addGood('X1-T-A', 'GEL', 'EXPORT', 80, 10);
  g.addGood('X1-T-A', 'FUEL', 'EXCHANGE', 72, 60);
  g.addGood('X1-T-F', 'ORE', 'IMPORT', 110, 20);
  g.addGood('X1-T-F', 'GEL', 'IMPORT', 150, 10);
  g.addGood('X1-T-F', 'FUEL', 'EXCHANGE', 72, 60);
  g.addGood('X1-T-F', 'WIDGET', 'EXPORT', 900, 10, 0);
  g.makeFactory('X1-T-F', 'WIDGET', ['ORE', 'GEL'], 25);
  g.addShip('S-1', 'X1-T-A', 40, 100);
  g.addShip('S-2', 'X1-T-A', 40, 100);
  g.addShip('S-3', 'X1-T-A', 40, 100);
  return g;
}

const plan = makePlan({
  fleet: ['S-1', 'S-2', 'S-3'],
  target: { good: 'WIDGET', quantity: 20 },
  tasks: [
    task({ id: 'feed-ORE', good: 'ORE', quantity: 60, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
    task({ id: 'feed-GEL', good: 'GEL', quantity: 30, ship: 'S-2', tradeVolume: 10, source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
    task({
      id: 'make-WIDGET',
      good: 'WIDGET',
      quantity: 20,
      ship: 'S-3',
      tradeVolume: 10,
      dependsOn: ['feed-ORE', 'feed-GEL'],
      source: { kind: 'factory', waypoint: 'X1-T-F', minSupply: 'MODERATE', resumeSupply: 'HIGH', pollSeconds: 30, maxPollSeconds: 120, timeoutSeconds: 3600 },
      destination: { kind: 'hold' },
    }),
  ],
});

/**
 * A crash (the process dies: every later call fails too) at every POST of an apply, before or
 * after the game commits it; then the same apply is re-run until it completes. At the end: the
 * target is reached, nothing was bought twice, the journal's spend equals the game's transactions,
 * and no cargo is stranded.
 */
describe('executor: crash at every call, then resume', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-crash-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // The clean run makes about 20 POSTs (buys, sells, refuels).
  for (const when of ['after', 'before'] as const) {
    it(`crash ${when} the game commits each call`, async () => {
      let points = 0;
      for (let n = 1; n <= 40; n++) {
        const g = world();
        if (when === 'after') g.crashAtPost = n;
        else g.crashBeforePost = n;
        const store = await Store.open(path.join(dir, `${when}-${n}.sqlite`));
        try {
          let last;
          let attempts = 0;
          for (; attempts < 6; attempts++) {
            const t0 = Date.now();
            last = await applyPlan({ plan, client: g, store, clock: g.clock() });
            if (process.env.DBG) console.log(n, attempts, last.status, Date.now() - t0);
            g.revive();
            if (last.status === 'completed' || last.status === 'already-complete') break;
          }
          expect(last!.status, `crash at ${n}: ${last!.message}`).to.be.oneOf(['completed', 'already-complete']);
          const crashed = g.crashAtPost === undefined && g.crashBeforePost === undefined;
          if (!crashed) break; // n is past the last POST: every point was covered
          points++;
          const buys = g.ledger.filter((t) => t.type === 'PURCHASE');
          const units = (good: string) => buys.filter((t) => t.tradeSymbol === good).reduce((a, t) => a + t.units, 0);
          expect(units('ORE'), `ORE bought, crash at ${n}`).to.equal(60);
          expect(units('GEL'), `GEL bought, crash at ${n}`).to.equal(30);
          expect(units('WIDGET'), `WIDGET bought, crash at ${n}`).to.equal(20);
          expect(g.held('S-3', 'WIDGET')).to.equal(20);
          expect(g.held('S-1', 'ORE') + g.held('S-2', 'GEL'), 'stranded cargo').to.equal(0);
          const j = new Journal(store);
          const runId = (await j.runForPlan('AGENT', plan.planId))!;
          const tasks = await j.getTasks(runId, plan.tasks.map((t) => t.id));
          const ships = await j.getShips(runId, ['S-1', 'S-2', 'S-3']);
          expect(actualSpend(tasks.values(), ships.values()), `journal spend vs transactions, crash at ${n}`).to.equal(buys.reduce((a, t) => a + t.totalPrice, 0));
          for (const t of tasks.values()) expect(t.pending, `open intent left in ${t.taskId}`).to.equal(undefined);
        } finally {
          await store.close();
        }
      }
      expect(points).to.be.at.least(12);
    });
  }
});
