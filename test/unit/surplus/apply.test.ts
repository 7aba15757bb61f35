import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { applyPlan } from '../../../src/executor/apply.js';
import { Journal } from '../../../src/state/journal.js';
import { Store } from '../../../src/state/store.js';
import { recordObservation, writeListings } from '../../../src/market/cache.js';
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

  it('policy.surplus: keep leaves it and reports it kept (in the result, the run record and status)', async () => {
    const g = world();
    const out = await applyPlan({ plan: plan('keep'), client: g, store, clock: g.clock() });
    expect(out.status, out.message).to.equal('completed');
    expect(g.held('S-2', 'ORE')).to.equal(7);
    expect(out.pnl.earned.surplus).to.equal(0);
    expect(out.surplus).to.deep.equal({ sold: [], left: [], kept: [{ ship: 'S-2', good: 'ORE', units: 7 }] });
    expect((await new Journal(store).getRun(out.runId))!.surplus).to.deep.equal({ left: [], kept: [{ ship: 'S-2', good: 'ORE', units: 7 }] });
    const { loadStatus } = await import('../../../src/executor/status-view.js');
    expect((await loadStatus(store, out.runId)).surplus).to.deep.equal({ policy: 'keep', sold: [], left: [], kept: [{ ship: 'S-2', good: 'ORE', units: 7 }] });
  });

  it('a run that leaves nothing makes no extra call and reports no surplus', async () => {
    const g = new FakeGame('AGENT', 1_000_000);
    for (const [wp, x] of [['X1-T-A', 0], ['X1-T-B', 30]] as const) g.addWaypoint(wp, x, 0);
    g.addGood('X1-T-A', 'ORE', 'EXPORT', 50, 20);
    g.addGood('X1-T-B', 'ORE', 'IMPORT', 120, 20);
    g.addShip('S-1', 'X1-T-A');
    g.addShip('S-2', 'X1-T-A');
    let calls = 0;
    const out = await applyPlan({ plan: plan(), client: g, store, clock: g.clock(), onEvent: (e) => void (e.type === 'task.end' && (calls = g.calls)) });
    expect(out.status, out.message).to.equal('completed');
    expect(out.surplus).to.equal(undefined);
    expect(g.calls).to.equal(calls);
    const { loadStatus } = await import('../../../src/executor/status-view.js');
    expect((await loadStatus(store, out.runId)).surplus).to.equal(undefined);
  });
});

/**
 * A factory F that makes WIDGET from ORE; S-1 feeds it 40 ORE in two loads of 20 (hold 20), S-2
 * collects. Once `collapseAfter` ORE are sold into F, F's ORE bid collapses below the feed's floor.
 */
function feedWorld(collapseAfter: number) {
  const g = new FakeGame('AGENT', 1_000_000);
  g.addWaypoint('X1-T-A', 0, 0);
  g.addWaypoint('X1-T-B', 0, 35);
  g.addWaypoint('X1-T-F', 0, 40);
  g.addGood('X1-T-A', 'ORE', 'EXPORT', 50, 20);
  g.addGood('X1-T-A', 'FUEL', 'EXCHANGE', 72, 60);
  g.addGood('X1-T-B', 'ORE', 'IMPORT', 140, 20);
  g.addGood('X1-T-F', 'ORE', 'IMPORT', 120, 20);
  g.addGood('X1-T-F', 'WIDGET', 'EXPORT', 900, 10, 2);
  g.makeFactory('X1-T-F', 'WIDGET', ['ORE'], 25);
  g.addShip('S-1', 'X1-T-A', 20);
  g.addShip('S-2', 'X1-T-A');
  const sell = g.sellCargo.bind(g);
  let fed = 0;
  g.sellCargo = async (s, good, units) => {
    const r = await sell(s, good, units);
    if (r.transaction.waypointSymbol === 'X1-T-F' && (fed += units) >= collapseAfter) g.markets.get('X1-T-F')!.goods.get('ORE')!.sellPrice = 10;
    return r;
  };
  return g;
}

function feedPlan(surplus?: 'keep') {
  const factory = { kind: 'factory' as const, waypoint: 'X1-T-F', minSupply: 'LIMITED' as const, resumeSupply: 'MODERATE' as const, pollSeconds: 30, maxPollSeconds: 120, timeoutSeconds: 3600 };
  const p = makePlan({
    fleet: ['S-1', 'S-2'],
    target: { good: 'WIDGET', quantity: 10 },
    tasks: [
      task({ id: 'feed-ORE', good: 'ORE', quantity: 40, ship: 'S-1', trips: [20, 20], guards: { maxUnitPrice: 1000, minSellPrice: 36 }, source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
      task({ id: 'make-WIDGET', good: 'WIDGET', quantity: 10, ship: 'S-2', tradeVolume: 10, dependsOn: ['feed-ORE'], source: factory, destination: { kind: 'hold' } }),
    ],
  });
  if (surplus) p.spec.policy.surplus = surplus;
  p.observations = [{ waypoint: 'X1-T-B', good: 'ORE', type: 'IMPORT', supply: 'MODERATE', purchasePrice: 140, sellPrice: 70, tradeVolume: 20, observedAt: new Date().toISOString() }];
  return p;
}

describe('a feed that reaches its sell floor (in-memory game)', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-floor-'));
    store = await Store.open(path.join(dir, 's.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const listings = () =>
    writeListings(store, 'X1-T', [
      { waypoint: 'X1-T-A', x: 0, y: 0, exports: ['ORE'], imports: [], exchange: ['FUEL'] },
      { waypoint: 'X1-T-B', x: 0, y: 35, exports: [], imports: ['ORE'], exchange: [] },
      { waypoint: 'X1-T-F', x: 0, y: 40, exports: ['WIDGET'], imports: ['ORE'], exchange: [] },
    ], new Date());

  it('stops feeding (completed, buying no more), the collect goes on, and what it bought and did not sell is the run\'s surplus', async () => {
    const g = feedWorld(20);
    await listings();
    const out = await applyPlan({ plan: feedPlan(), client: g, store, clock: g.clock(), onObservation: (m) => recordObservation(store, m) });
    expect(out.status, out.message).to.equal('completed');
    const feed = out.tasks.find((t) => t.id === 'feed-ORE')!;
    // The first load was sold; the second was bought, then the bid (10) was under the floor (36).
    expect(feed).to.include({ status: 'completed', acquired: 40, delivered: 20 });
    expect(feed.reason).to.match(/^feeding stopped at the sell floor after 20 of 40 ORE: X1-T-F pays 10, below the plan's floor 36 \(its import is well supplied\); 20 ORE stay aboard S-1 as surplus$/);
    expect(g.ledger.filter((t) => t.type === 'PURCHASE' && t.tradeSymbol === 'ORE').reduce((a, t) => a + t.units, 0)).to.equal(40);
    expect(g.ledger.filter((t) => t.type === 'SELL' && t.waypointSymbol === 'X1-T-F').reduce((a, t) => a + t.units, 0)).to.equal(20);
    expect(out.tasks.find((t) => t.id === 'make-WIDGET')).to.include({ status: 'completed', acquired: 10 });
    // The 20 left are sold at the best bid in reach (B, 70, 5 away), not into the collapsed factory (10, where the ship is).
    expect(out.surplus!.sold, JSON.stringify(out.surplus)).to.deep.equal([{ ship: 'S-1', good: 'ORE', units: 20, waypoint: 'X1-T-B', bid: 70, tradeVolume: 20, sold: 20, credits: 20 * 70 }]);
    expect(g.held('S-1', 'ORE')).to.equal(0);
    expect(out.pnl.earned.surplus).to.equal(1400);
    expect(out.pnl.realized).to.equal(out.pnl.agentCredits!.change);
  });

  it('with policy.surplus: keep the units stay aboard, reported kept', async () => {
    const g = feedWorld(20);
    const out = await applyPlan({ plan: feedPlan('keep'), client: g, store, clock: g.clock() });
    expect(out.status, out.message).to.equal('completed');
    expect(g.held('S-1', 'ORE')).to.equal(20);
    expect(out.surplus).to.deep.equal({ sold: [], left: [], kept: [{ ship: 'S-1', good: 'ORE', units: 20 }] });
  });

  it('a target sale under its floor still fails its task (only a feed stops there)', async () => {
    const g = feedWorld(0);
    g.markets.get('X1-T-F')!.goods.get('ORE')!.sellPrice = 10;
    const p = makePlan({
      fleet: ['S-1'],
      target: { good: 'ORE', quantity: 20, deliver: { kind: 'sell', waypoint: 'X1-T-F' } },
      tasks: [task({ id: 'buy-ORE', good: 'ORE', quantity: 20, ship: 'S-1', guards: { maxUnitPrice: 1000, minSellPrice: 36 }, source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-F' } })],
    });
    const out = await applyPlan({ plan: p, client: g, store, clock: g.clock() });
    expect(out.status).to.equal('partial');
    const t = out.tasks.find((x) => x.id === 'buy-ORE')!;
    expect(t.status).to.equal('failed');
    expect(t.reason).to.equal("sell guard: X1-T-F pays 10 for ORE, below the plan's floor 36");
    expect(out.surplus).to.equal(undefined);
    expect(g.held('S-1', 'ORE')).to.equal(20);
  });
});
