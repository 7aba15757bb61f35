import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { applyPlan } from '../../../src/executor/apply.js';
import { etaSeconds, loadStatus, renderStatus } from '../../../src/executor/status-view.js';
import type { TaskRecord } from '../../../src/state/journal.js';
import { Journal } from '../../../src/state/journal.js';
import { Store } from '../../../src/state/store.js';
import type { PlanFile } from '../../../src/plan/types.js';
import { FakeGame } from './fake-game.js';
import { makePlan, task } from './plan-fixture.js';

/** A sells ORE (ask 50) and buys GEL; B buys ORE. */
function world(): FakeGame {
  const g = new FakeGame('AGENT', 1_000_000);
  g.addWaypoint('X1-T-A', 0, 0);
  g.addWaypoint('X1-T-B', 30, 0);
  g.addGood('X1-T-A', 'ORE', 'EXPORT', 50, 20);
  g.addGood('X1-T-A', 'GEL', 'IMPORT', 160, 20);
  g.addGood('X1-T-A', 'FUEL', 'EXCHANGE', 72, 60);
  g.addGood('X1-T-B', 'ORE', 'IMPORT', 120, 20);
  g.addGood('X1-T-B', 'FUEL', 'EXCHANGE', 72, 60);
  g.addShip('S-1', 'X1-T-A');
  return g;
}

const orePlan = (guards: { maxUnitPrice: number; minSellPrice: number; estimated?: true }, maxUnitPrice: Record<string, number> = {}): PlanFile => {
  const p = makePlan({
    fleet: ['S-1'],
    target: { good: 'ORE', quantity: 40, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
    tasks: [task({ id: 'buy-ORE', good: 'ORE', quantity: 40, ship: 'S-1', guards, source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } })],
  });
  return { ...p, spec: { ...p.spec, policy: { ...p.spec.policy, maxUnitPrice } } };
};

describe('executor: the first hour (estimated ceilings, cargo aboard, messages)', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-first-hour-'));
    store = await Store.open(path.join(dir, 's.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a ceiling from estimates is re-derived from the first real ask (journaled, in status); the task completes', async () => {
    const g = world();
    // Planned on an estimated ask of 20: ceiling 30, but the market asks 50.
    const out = await applyPlan({ plan: orePlan({ maxUnitPrice: 30, minSellPrice: 0, estimated: true }), client: g, store, clock: g.clock() });
    expect(out.status, out.message).to.equal('completed');
    const rec = (await new Journal(store).getTask(out.runId, 'buy-ORE'))!;
    expect(rec.ceiling).to.include({ maxUnitPrice: 75, planned: 30, observedAsk: 50, waypoint: 'X1-T-A' });
    const steps = await new Journal(store).steps(out.runId);
    expect(steps.some((s) => s.kind === 'ceiling.rederived' && s.taskId === 'buy-ORE')).to.equal(true);
    const status = await loadStatus(store, out.runId);
    expect(status.tasks[0]!.ceiling?.maxUnitPrice).to.equal(75);
    expect(renderStatus(status)).to.match(/Price ceilings re-derived from real asks[^\n]*\n {2}buy-ORE: 30 → 75 \(first ask seen 50 at X1-T-A\)/);
  });

  it('counters count purchases and sales the game made; status tells the target apart from all units moved', async () => {
    const g = world();
    const out = await applyPlan({ plan: orePlan({ maxUnitPrice: 1000, minSellPrice: 0 }), client: g, store, clock: g.clock() });
    expect(out.api.purchases).to.equal(g.ledger.filter((t) => t.type === 'PURCHASE').length).and.to.equal(2);
    expect(out.api.sales).to.equal(g.ledger.filter((t) => t.type === 'SELL').length);
    const status = await loadStatus(store, out.runId);
    expect(status.progress.targetUnits).to.equal(40);
    expect(renderStatus(status)).to.match(/target 40 of 40 ORE; over all tasks, inputs included: 40 units acquired, 40 delivered/);
  });

  it('a ceiling from observed asks still stops the task', async () => {
    const g = world();
    const observed = await applyPlan({ plan: orePlan({ maxUnitPrice: 30, minSellPrice: 0 }), client: g, store, clock: g.clock() });
    expect(observed.status).to.equal('failed');
    expect(observed.message).to.match(/above the plan's ceiling 30/).and.to.match(/Re-run to resume/);
  });

  it('a policy cap stops a task whose ceiling was re-derived, and says so', async () => {
    const g = world();
    const capped = await applyPlan({ plan: orePlan({ maxUnitPrice: 30, minSellPrice: 0, estimated: true }, { ORE: 45 }), client: g, store, clock: g.clock() });
    expect(capped.status).to.equal('failed');
    expect(capped.message).to.match(/ORE costs 50 at X1-T-A, above policy.maxUnitPrice 45/);
  });

  it('clear and aboard tasks: other cargo is sold first, cargo the plan uses is carried, nothing bought for it', async () => {
    const g = world();
    const ship = g.ships.get('S-1')!;
    ship.cargo = { capacity: 40, units: 40, inventory: [{ symbol: 'GEL', units: 25 } as never, { symbol: 'ORE', units: 15 } as never] };
    const p = makePlan({
      fleet: ['S-1'],
      target: { good: 'ORE', quantity: 40, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
      tasks: [
        task({ id: 'clear-GEL@S-1', good: 'GEL', quantity: 25, ship: 'S-1', clear: true, source: { kind: 'aboard', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-A' } }),
        task({ id: 'aboard-ORE@S-1>target', good: 'ORE', quantity: 15, ship: 'S-1', source: { kind: 'aboard', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } }),
        task({ id: 'buy-ORE', good: 'ORE', quantity: 25, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } }),
      ],
    });
    // The planner records what it found aboard (so apply knows that cargo is not an unjournaled run's).
    p.fleet[0]!.cargo = [{ good: 'GEL', units: 25 }, { good: 'ORE', units: 15 }];
    const out = await applyPlan({ plan: p, client: g, store, clock: g.clock() });
    expect(out.status, out.message).to.equal('completed');
    expect(g.ledger.filter((t) => t.type === 'SELL' && t.tradeSymbol === 'GEL').reduce((a, t) => a + t.units, 0)).to.equal(25);
    expect(g.ledger.filter((t) => t.type === 'PURCHASE' && t.tradeSymbol === 'ORE').reduce((a, t) => a + t.units, 0)).to.equal(25);
    expect(g.ledger.filter((t) => t.type === 'SELL' && t.tradeSymbol === 'ORE').reduce((a, t) => a + t.units, 0)).to.equal(40);
    expect(out.tasks.find((t) => t.id === 'aboard-ORE@S-1>target')).to.include({ acquired: 15, delivered: 15, spent: 0 });
  });

  it('a hold full of cargo the plan did not know of: the run says to make a new plan, not to re-run', async () => {
    const g = world();
    g.ships.get('S-1')!.cargo = { capacity: 40, units: 40, inventory: [{ symbol: 'GEL', units: 40 } as never] };
    const out = await applyPlan({ plan: orePlan({ maxUnitPrice: 1000, minSellPrice: 0 }), client: g, store, clock: g.clock() });
    expect(out.status).to.equal('failed');
    expect(out.message).to.match(/hold is full of other cargo \(40 GEL\)/).and.to.match(/make a new plan/);
    expect(out.message).to.not.match(/Re-run to resume/);
  });

  it('status: no ETA on a finished run; a task under way counts down in game time; game time names the simulator\'s clock', async () => {
    const g = world();
    const out = await applyPlan({ plan: orePlan({ maxUnitPrice: 1000, minSellPrice: 0 }), client: g, store, clock: { ...g.clock(), timeScale: 100 } });
    const status = await loadStatus(store, out.runId);
    expect(status.status).to.equal('completed');
    expect(status.gameSeconds.eta).to.equal(undefined);
    expect(renderStatus(status)).to.not.match(/ETA/);
    expect(renderStatus(status)).to.match(/Game time \(the simulator's, 100× real time\)/);
    const t = task({ id: 't', good: 'ORE', quantity: 40, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'hold' }, estimate: { credits: 0, fuel: 0, gameSeconds: 300, requests: 0 } });
    const startedAt = new Date(Date.UTC(2026, 0, 1, 12, 0, 0)).toISOString();
    const rec = (): TaskRecord => ({ taskId: 't', status: 'running', ship: 'S-1', acquired: 0, delivered: 0, spent: 0, earned: 0, trips: 0, startedAt, updatedAt: startedAt });
    const at = (wallSeconds: number) => etaSeconds([t], rec, { nowMs: Date.parse(startedAt) + wallSeconds * 1000, timeScale: 10 });
    expect([at(0), at(10), at(20), at(40)]).to.deep.equal([300, 200, 100, 0]);
  });

  it('a plan with nothing to do says why when applied', async () => {
    const g = world();
    const p = makePlan({ fleet: ['S-1'], target: { good: 'ORE', quantity: 40 }, tasks: [] });
    p.decisions = { ...p.decisions, quantity: 0, reason: 'nothing to buy: 40 of the 40 ORE wanted are already aboard (40 on S-1)' };
    const out = await applyPlan({ plan: p, client: g, store, clock: g.clock() });
    expect(out.status).to.equal('completed');
    expect(out.message).to.match(/nothing to do, 40 of the 40 ORE wanted are already aboard \(40 on S-1\)\.$/);
  });
});
