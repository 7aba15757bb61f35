import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { applyPlan } from '../../../src/executor/apply.js';
import { Journal } from '../../../src/state/journal.js';
import { Store } from '../../../src/state/store.js';
import { FakeGame } from '../executor/fake-game.js';
import { makePlan, task } from '../executor/plan-fixture.js';

/**
 * A game in which 7 of the first 20 ORE S-1 buys end up in S-2's hold (as units a ship keeps when
 * its task is handed on): S-1's task buys them again, and the run ends with 7 ORE it bought and
 * does not need, on S-2.
 */
class LeakyGame extends FakeGame {
  leaked = false;
  override async purchaseCargo(ship: string, good: string, units: number) {
    const r = await super.purchaseCargo(ship, good, units);
    if (this.leaked || ship !== 'S-1') return r;
    this.leaked = true;
    const from = this.ships.get('S-1')!.cargo;
    const to = this.ships.get('S-2')!.cargo;
    from.inventory.find((i) => i.symbol === good)!.units -= 7;
    from.units -= 7;
    to.inventory.push({ symbol: good as never, name: good, description: '', units: 7 });
    to.units += 7;
    return { ...r, cargo: structuredClone(from) };
  }
}

function world(): LeakyGame {
  const g = new LeakyGame('AGENT', 1_000_000);
  g.addWaypoint('X1-T-A', 0, 0);
  g.addWaypoint('X1-T-B', 30, 0);
  g.addGood('X1-T-A', 'ORE', 'EXPORT', 50, 20);
  g.addGood('X1-T-A', 'FUEL', 'EXCHANGE', 72, 60);
  g.addGood('X1-T-B', 'ORE', 'IMPORT', 120, 20);
  g.addShip('S-1', 'X1-T-A');
  g.addShip('S-2', 'X1-T-A');
  return g;
}

describe('surplus in apply (in-memory game)', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-surplus-'));
    store = await Store.open(path.join(dir, 's.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const plan = (surplus?: 'keep') => {
    const p = makePlan({
      fleet: ['S-1', 'S-2'],
      target: { good: 'ORE', quantity: 40, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
      tasks: [task({ id: 'buy-ORE', good: 'ORE', quantity: 40, ship: 'S-1', trips: [40], source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } })],
    });
    if (surplus) p.spec.policy.surplus = surplus;
    // The bids the run knows: the sale market and the source (where S-2 sits).
    p.observations = [
      { waypoint: 'X1-T-A', good: 'ORE', type: 'EXPORT', supply: 'MODERATE', purchasePrice: 50, sellPrice: 25, tradeVolume: 20, observedAt: new Date().toISOString() },
      { waypoint: 'X1-T-B', good: 'ORE', type: 'IMPORT', supply: 'MODERATE', purchasePrice: 400, sellPrice: 200, tradeVolume: 20, observedAt: new Date().toISOString() },
    ];
    return p;
  };

  it('sells what the run bought and does not need at the best bid in reach, journaled like any sale and in the P&L', async () => {
    const g = world();
    const out = await applyPlan({ plan: plan(), client: g, store, clock: g.clock() });
    expect(g.leaked).to.equal(true);
    expect(out.status, out.message).to.equal('completed');
    expect(g.held('S-2', 'ORE'), JSON.stringify(out.surplus)).to.equal(0);
    const steps = await new Journal(store).steps(out.runId);
    const sales = steps.filter((s) => s.kind === 'sell.result' && s.taskId === 'surplus-ORE@S-2');
    expect(sales.reduce((a, s) => a + s.result!.units, 0)).to.equal(7);
    expect(steps.filter((s) => s.kind === 'sell.intent' && s.taskId === 'surplus-ORE@S-2')).to.have.length(sales.length);
    const credits = sales.reduce((a, s) => a + s.result!.totalPrice, 0);
    expect(out.surplus!.sold).to.have.length(1);
    expect(out.surplus!.sold[0]).to.include({ ship: 'S-2', good: 'ORE', units: 7, sold: 7, credits });
    expect(out.pnl.earned.surplus).to.equal(credits);
    expect(out.pnl.realized).to.equal(out.pnl.agentCredits!.change);
  });

  it('policy.surplus: keep leaves it; a run that needs nothing more makes no extra call', async () => {
    const g = world();
    const out = await applyPlan({ plan: plan('keep'), client: g, store, clock: g.clock() });
    expect(out.status, out.message).to.equal('completed');
    expect(g.held('S-2', 'ORE')).to.equal(7);
    expect(out.pnl.earned.surplus).to.equal(0);
    expect(out.surplus).to.equal(undefined);
  });
});
