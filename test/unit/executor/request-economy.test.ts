import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { applyPlan } from '../../../src/executor/apply.js';
import { MarketQuotes } from '../../../src/executor/quotes.js';
import type { Market } from '../../../src/executor/ports.js';
import { Store } from '../../../src/state/store.js';
import { FakeGame } from './fake-game.js';
import { makePlan, task } from './plan-fixture.js';

/** Counts the market reads made at one waypoint. */
class CountingGame extends FakeGame {
  reads = new Map<string, number>();
  override async getMarket(system: string, wp: string): Promise<Market> {
    this.reads.set(wp, (this.reads.get(wp) ?? 0) + 1);
    return super.getMarket(system, wp);
  }
}

describe('executor: requests spent only where they pay (issue 12)', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-requests-'));
    store = await Store.open(path.join(dir, 's.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('a factory collect reads the market only when its gate needs it', () => {

    it('three tranches from an ABUNDANT export behind a LIMITED gate: one read at the stay, not one per tranche', async () => {
      const g = new CountingGame('AGENT', 1_000_000);
      g.addWaypoint('X1-T-F', 0, 0);
      g.addGood('X1-T-F', 'WIDGET', 'EXPORT', 900, 10, 4);
      g.addGood('X1-T-F', 'FUEL', 'EXCHANGE', 72, 60);
      g.addShip('S-1', 'X1-T-F');
      const plan = makePlan({
        fleet: ['S-1'],
        target: { good: 'WIDGET', quantity: 30 },
        tasks: [
          task({
            id: 'make-WIDGET', good: 'WIDGET', quantity: 30, ship: 'S-1', tradeVolume: 10,
            source: { kind: 'factory', waypoint: 'X1-T-F', minSupply: 'LIMITED', resumeSupply: 'MODERATE', pollSeconds: 30, maxPollSeconds: 120, timeoutSeconds: 600 },
            destination: { kind: 'hold' },
          }),
        ],
      });
      const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
      expect(out.status, out.message).to.equal('completed');
      expect(g.held('S-1', 'WIDGET')).to.equal(30);
      expect(g.ledger.filter((t) => t.type === 'PURCHASE' && t.tradeSymbol === 'WIDGET')).to.have.length(3);
      expect(g.reads.get('X1-T-F')).to.equal(1);
    });

    it('the quote lowers the supply a level per 4 tranches bought since the read (a part tranche counts whole), and a read resets it', () => {
      const q = new MarketQuotes();
      const read = (supply: string): Market => ({ symbol: 'F', exports: [], imports: [], exchange: [], tradeGoods: [{ symbol: 'W', type: 'EXPORT', tradeVolume: 10, supply, purchasePrice: 100, sellPrice: 50 }] }) as unknown as Market;
      q.observe('F', read('MODERATE'));
      expect(q.supply('F', 'W')).to.equal('MODERATE');
      q.traded('F', 'buy', { tradeSymbol: 'W' as never, units: 5, pricePerUnit: 100 });
      expect(q.supply('F', 'W')).to.equal('LIMITED');
      for (let i = 0; i < 3; i++) q.traded('F', 'buy', { tradeSymbol: 'W' as never, units: 10, pricePerUnit: 100 });
      expect(q.supply('F', 'W')).to.equal('LIMITED');
      q.traded('F', 'buy', { tradeSymbol: 'W' as never, units: 10, pricePerUnit: 100 });
      expect(q.supply('F', 'W')).to.equal('SCARCE');
      q.traded('F', 'sell', { tradeSymbol: 'W' as never, units: 10, pricePerUnit: 50 });
      expect(q.supply('F', 'W')).to.equal('SCARCE');
      q.observe('F', read('HIGH'));
      expect(q.supply('F', 'W')).to.equal('HIGH');
      expect(q.supply('F', 'OTHER')).to.equal(undefined);
    });
  });

  describe('a free ship takes over a queued task only when requests are cheap next to flights', () => {

    /** Two sales of ORE, both planned on S-1; S-2 is in the run with nothing of its own. */
    async function run(secondsPerRequest: number): Promise<Map<string, string>> {
      const g = new FakeGame('AGENT', 1_000_000);
      g.addWaypoint('X1-T-A', 0, 0);
      g.addWaypoint('X1-T-B', 30, 0);
      g.addGood('X1-T-A', 'ORE', 'EXPORT', 50, 20);
      g.addGood('X1-T-A', 'FUEL', 'EXCHANGE', 72, 60);
      g.addGood('X1-T-B', 'ORE', 'IMPORT', 120, 20);
      g.addGood('X1-T-B', 'FUEL', 'EXCHANGE', 72, 60);
      g.addShip('S-1', 'X1-T-A');
      g.addShip('S-2', 'X1-T-A');
      const plan = makePlan({
        fleet: ['S-1', 'S-2'],
        target: { good: 'ORE', quantity: 40, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
        tasks: ['a', 'b'].map((id) => task({ id: `sell-${id}`, good: 'ORE', quantity: 20, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } })),
      });
      plan.estimates.pacing = { timeScale: 100, rateLimited: secondsPerRequest > 5, secondsPerRequest, requestFloorSeconds: 0 };
      const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
      expect(out.status, out.message).to.equal('completed');
      return new Map(out.tasks.map((t) => [t.id, t.ship]));
    }

    it('a simulator without limits (3 game s a request): S-2 takes the task queued behind S-1', async () => {
      expect(new Set((await run(3)).values())).to.deep.equal(new Set(['S-1', 'S-2']));
    });

    it('a limited simulator at 100x (40 game s a request): S-1 does both, as planned', async () => {
      expect(new Set((await run(40)).values())).to.deep.equal(new Set(['S-1']));
    });
  });
});
