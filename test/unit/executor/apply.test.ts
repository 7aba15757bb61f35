import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../src/state/store.js';
import { Journal } from '../../../src/state/journal.js';
import { applyPlan } from '../../../src/executor/apply.js';
import { FactoryGate } from '../../../src/executor/task-runner.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { FakeGame } from './fake-game.js';
import { makePlan, task } from './plan-fixture.js';
import type { PlanFile } from '../../../src/plan/types.js';

/** Two markets 30 apart (A sells ORE, B buys it) plus a factory F that makes WIDGET from ORE and GEL. */
function world(credits = 1_000_000): FakeGame {
  const g = new FakeGame('AGENT', credits);
  g.addWaypoint('X1-T-A', 0, 0);
  g.addWaypoint('X1-T-B', 30, 0);
  g.addWaypoint('X1-T-F', 0, 40);
  g.addGood('X1-T-A', 'ORE', 'EXPORT', 50, 20);
  g.addGood('X1-T-A', 'GEL', 'EXPORT', 80, 10);
  g.addGood('X1-T-A', 'FUEL', 'EXCHANGE', 72, 60);
  g.addGood('X1-T-B', 'ORE', 'IMPORT', 120, 20);
  g.addGood('X1-T-B', 'FUEL', 'EXCHANGE', 72, 60);
  g.addGood('X1-T-F', 'ORE', 'IMPORT', 110, 20);
  g.addGood('X1-T-F', 'GEL', 'IMPORT', 150, 10);
  g.addGood('X1-T-F', 'WIDGET', 'EXPORT', 900, 10, 0);
  g.makeFactory('X1-T-F', 'WIDGET', ['ORE', 'GEL'], 25);
  g.addShip('S-1', 'X1-T-A');
  g.addShip('S-2', 'X1-T-A');
  g.addShip('S-3', 'X1-T-A');
  return g;
}

function plainPlan(): PlanFile {
  return makePlan({
    fleet: ['S-1'],
    target: { good: 'ORE', quantity: 100, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
    tasks: [task({ id: 'buy-ORE', good: 'ORE', quantity: 100, ship: 'S-1', trips: [40, 40, 20], source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } })],
  });
}

function makePlanTree(): PlanFile {
  const factory = { kind: 'factory' as const, waypoint: 'X1-T-F', minSupply: 'MODERATE' as const, resumeSupply: 'HIGH' as const, pollSeconds: 30, maxPollSeconds: 120, timeoutSeconds: 3600 };
  return makePlan({
    fleet: ['S-1', 'S-2', 'S-3'],
    target: { good: 'WIDGET', quantity: 20 },
    tasks: [
      task({ id: 'feed-ORE', good: 'ORE', quantity: 60, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
      task({ id: 'feed-GEL', good: 'GEL', quantity: 30, ship: 'S-2', tradeVolume: 10, source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
      task({ id: 'make-WIDGET', good: 'WIDGET', quantity: 20, ship: 'S-3', tradeVolume: 10, dependsOn: ['feed-ORE', 'feed-GEL'], source: factory, destination: { kind: 'hold' } }),
    ],
  });
}

describe('executor/apply (in-memory game)', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-apply-'));
    store = await Store.open(path.join(dir, 's.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const purchases = (g: FakeGame, good?: string) => g.ledger.filter((t) => t.type === 'PURCHASE' && (!good || t.tradeSymbol === good));
  const sum = (xs: Array<{ totalPrice: number }>) => xs.reduce((a, t) => a + t.totalPrice, 0);

  it('a plain buy: tranches of at most tradeVolume and free hold, several trips, delivered, spend = transactions', async () => {
    const g = world();
    const plan = plainPlan();
    const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(out.status, out.message).to.equal('completed');
    expect(out.exitCode).to.equal(ExitCode.OK);
    const buys = purchases(g, 'ORE');
    expect(buys.reduce((a, t) => a + t.units, 0)).to.equal(100);
    for (const b of buys) expect(b.units).to.be.at.most(20);
    expect(g.held('S-1', 'ORE')).to.equal(0);
    expect(g.ledger.filter((t) => t.type === 'SELL').reduce((a, t) => a + t.units, 0)).to.equal(100);
    const j = new Journal(store);
    const run = (await j.getRun(out.runId))!;
    expect(run.status).to.equal('completed');
    const rec = (await j.getTask(out.runId, 'buy-ORE'))!;
    expect(rec.acquired).to.equal(100);
    expect(rec.delivered).to.equal(100);
    expect(rec.spent).to.equal(sum(buys));
    expect(rec.trips).to.equal(3);
  });

  it('re-running a finished plan does nothing and says it is complete', async () => {
    const g = world();
    const plan = plainPlan();
    await applyPlan({ plan, client: g, store, clock: g.clock() });
    const posts = g.postCount;
    const again = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(again.status).to.equal('already-complete');
    expect(again.exitCode).to.equal(ExitCode.OK);
    expect(g.postCount).to.equal(posts);
  });

  it('one level of making with 3 ships: feeds first, then waits for supply (not for "listed") and buys the output', async () => {
    const g = world();
    const plan = makePlanTree();
    const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
    if (process.env.DBG) console.log(g.ledger.map((t) => `${t.type} ${t.tradeSymbol} ${t.units}@${t.pricePerUnit} ${t.shipSymbol}`));
    expect(out.status, out.message).to.equal('completed');
    expect(g.held('S-3', 'WIDGET')).to.equal(20);
    const firstWidget = g.ledger.findIndex((t) => t.tradeSymbol === 'WIDGET');
    const lastFeed = g.ledger.map((t) => t.type === 'SELL').lastIndexOf(true);
    expect(firstWidget).to.be.greaterThan(lastFeed);
    // Fed 60 ORE + 30 GEL at 25 units per supply level: the output reached at least MODERATE before any purchase.
    expect(g.ledger.filter((t) => t.type === 'SELL').reduce((a, t) => a + t.units, 0)).to.equal(90);
    const steps = await new Journal(store).steps(out.runId);
    expect(steps.filter((s) => s.kind === 'buy.result' && s.taskId === 'make-WIDGET').length).to.equal(2);
  });

  it('status reads the journal apply writes: tree states, ships, spend, progress', async () => {
    const { loadStatus, renderStatus } = await import('../../../src/executor/status-view.js');
    const g = world();
    const base = makePlanTree();
    const plan: PlanFile = {
      ...base,
      decisions: {
        good: 'WIDGET', quantity: 20, action: 'MAKE', waypoint: 'X1-T-F', reason: 'r', declined: [], estimatedCost: 0, taskIds: ['make-WIDGET'],
        inputs: [
          { good: 'ORE', quantity: 60, action: 'BUY', waypoint: 'X1-T-A', reason: 'r', declined: [], estimatedCost: 0, taskIds: ['feed-ORE'], inputs: [] },
          { good: 'GEL', quantity: 30, action: 'BUY', waypoint: 'X1-T-A', reason: 'r', declined: [], estimatedCost: 0, taskIds: ['feed-GEL'], inputs: [] },
        ],
      },
    };
    // Stop as soon as the feeds are done: the make node is not complete yet.
    const ac = new AbortController();
    const out = await applyPlan({ plan, client: g, store, clock: g.clock(), signal: ac.signal, onEvent: (e) => { if (e.type === 'task.end' && e.taskId === 'feed-GEL') ac.abort(); } });
    const report = await loadStatus(store);
    expect(report.runId).to.equal(out.runId);
    expect(report.status).to.equal(out.status);
    expect(report.tree.inputs.find((n) => n.good === 'GEL')!.state).to.equal('COMPLETED');
    expect(report.tree.state).to.not.equal('COMPLETED');
    expect(report.credits.spent).to.equal(sum(purchases(g)));
    expect(report.progress.unitsAcquired).to.equal(g.ledger.filter((t) => t.type === 'PURCHASE' && t.tradeSymbol !== 'FUEL').reduce((a, t) => a + t.units, 0));
    const text = renderStatus(report);
    expect(text).to.contain('GEL [BUY] ✅ COMPLETED (ship S-2)');
    expect(text).to.contain('WIDGET [MAKE]');
    const done = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(done.status).to.equal('completed');
    const after = await loadStatus(store, done.runId);
    expect(after.tree.state).to.equal('COMPLETED');
    expect(after.progress.percent).to.equal(100);
    expect(after.ships.find((s) => s.ship === 'S-3')!.state).to.equal('done');
  });

  it('status shows a run whose process died (journal says running, nobody holds the lock) as interrupted', async () => {
    const { loadStatus } = await import('../../../src/executor/status-view.js');
    const g = world();
    const out = await applyPlan({ plan: plainPlan(), client: g, store, clock: g.clock() });
    const j = new Journal(store);
    const run = (await j.getRun(out.runId))!;
    await j.putRun({ ...run, status: 'running' });
    const report = await loadStatus(store);
    expect(report.status).to.equal('interrupted');
    expect(report.message).to.contain('re-run the same apply');
  });

  it('waits with backoff and times out when production never comes (bounded, no spin)', async () => {
    const g = world();
    const plan = makePlan({
      fleet: ['S-1'],
      target: { good: 'WIDGET', quantity: 10 },
      tasks: [
        task({
          id: 'make-WIDGET',
          good: 'WIDGET',
          quantity: 10,
          ship: 'S-1',
          source: { kind: 'factory', waypoint: 'X1-T-F', minSupply: 'MODERATE', resumeSupply: 'HIGH', pollSeconds: 30, maxPollSeconds: 120, timeoutSeconds: 600 },
          destination: { kind: 'hold' },
        }),
      ],
    });
    const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(out.status).to.equal('failed');
    expect(out.exitCode).to.equal(ExitCode.FAILED);
    expect(out.tasks[0]!.reason).to.contain('production timeout');
    expect(purchases(g, 'WIDGET')).to.have.length(0);
    expect(g.calls).to.be.below(60);
  });

  it('a production wait continues across a resume: the timeout counts the game time already waited', async () => {
    const g = world();
    const plan = makePlan({
      fleet: ['S-1'],
      target: { good: 'WIDGET', quantity: 10 },
      tasks: [
        task({
          id: 'make-WIDGET', good: 'WIDGET', quantity: 10, ship: 'S-1',
          source: { kind: 'factory', waypoint: 'X1-T-F', minSupply: 'MODERATE', resumeSupply: 'HIGH', pollSeconds: 30, maxPollSeconds: 120, timeoutSeconds: 600 },
          destination: { kind: 'hold' },
        }),
      ],
    });
    let waited = 0;
    const ac = new AbortController();
    const first = await applyPlan({ plan, client: g, store, clock: g.clock(), signal: ac.signal, onEvent: (e) => {
      if (e.type === 'wait') {
        waited += Number(e.data?.seconds ?? 0);
        if (waited >= 200) ac.abort();
      }
    } });
    expect(first.status).to.equal('interrupted');
    const out = await applyPlan({ plan, client: g, store, clock: g.clock(), onEvent: (e) => {
      if (e.type === 'wait') waited += Number(e.data?.seconds ?? 0);
    } });
    expect(out.status).to.equal('failed');
    expect(out.tasks[0]!.reason).to.contain('production timeout');
    expect(waited).to.equal(600);
  });

  it('a dropped purchase response is reconciled from the hold and the market log: nothing bought twice', async () => {
    const g = world();
    g.drop.add('purchase');
    const out = await applyPlan({ plan: plainPlan(), client: g, store, clock: g.clock() });
    expect(out.status).to.equal('completed');
    const buys = purchases(g, 'ORE');
    expect(buys.reduce((a, t) => a + t.units, 0)).to.equal(100);
    const rec = (await new Journal(store).getTask(out.runId, 'buy-ORE'))!;
    expect(rec.spent).to.equal(sum(buys));
    const steps = await new Journal(store).steps(out.runId);
    expect(steps.some((s) => s.kind === 'buy.reconciled' && s.result?.happened)).to.equal(true);
  });

  it('the budget guard stops spending at the cap (cumulative actual spend, fuel included)', async () => {
    const g = world();
    const plan = { ...plainPlan(), spec: { ...plainPlan().spec, policy: { ...plainPlan().spec.policy, maxCredits: 2500 } } };
    const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(out.status).to.equal('partial');
    expect(out.exitCode).to.equal(ExitCode.PARTIAL);
    const spentGame = sum(purchases(g));
    expect(spentGame).to.be.at.most(2500);
    expect(out.tasks[0]!.reason).to.contain('budget');
  });

  it('the budget guard holds across parallel lanes: two ships deciding at once cannot both spend the last of it', async () => {
    const g = world();
    // Two ships at one market, each with 40 ORE to buy (two tranches of 20 at ~50): a cap of 1,500
    // allows about 30 units in all. Both lanes read the market and decide before either buys.
    const base = makePlan({
      fleet: ['S-1', 'S-2'],
      maxCredits: 1500,
      target: { good: 'ORE', quantity: 80 },
      tasks: [
        task({ id: 'buy-ORE-1', good: 'ORE', quantity: 40, ship: 'S-1', trips: [40], source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'hold' } }),
        task({ id: 'buy-ORE-2', good: 'ORE', quantity: 40, ship: 'S-2', trips: [40], source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'hold' } }),
      ],
    });
    const out = await applyPlan({ plan: base, client: g, store, clock: g.clock() });
    expect(out.status).to.equal('partial');
    expect(sum(purchases(g))).to.be.at.most(1500);
    expect(out.tasks.some((t) => /budget/.test(t.reason ?? ''))).to.equal(true);
  });

  it('the treasury floor (reserveCredits) holds against the agent credits', async () => {
    const g = world(3000);
    const base = plainPlan();
    const plan = { ...base, spec: { ...base.spec, policy: { ...base.spec.policy, reserveCredits: 1500 } } };
    const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(out.status).to.equal('partial');
    expect(g.credits).to.be.at.least(1500);
  });

  it('refuses a plan made before another run changed the journal (STALE_PLAN)', async () => {
    const g = world();
    const old = makePlan({ ...plainPlanOpts(), createdAt: new Date(Date.now() - 60_000) });
    await applyPlan({ plan: plainPlan(), client: g, store, clock: g.clock() });
    try {
      await applyPlan({ plan: old, client: g, store, clock: g.clock() });
      expect.fail('should be stale');
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).to.equal(ExitCode.STALE_PLAN);
      expect((e as Error).message).to.contain('after this plan was made');
    }
  });

  it('refuses a plan for another agent and an expired plan (STALE_PLAN)', async () => {
    const g = world();
    for (const plan of [makePlan({ ...plainPlanOpts(), agent: 'OTHER' }), makePlan({ ...plainPlanOpts(), createdAt: new Date(Date.now() - 7200_000) })]) {
      try {
        await applyPlan({ plan, client: g, store, clock: g.clock() });
        expect.fail('should be stale');
      } catch (e) {
        expect((e as { exitCode: number }).exitCode).to.equal(ExitCode.STALE_PLAN);
      }
    }
    expect(g.postCount).to.equal(0);
  });

  it('an interrupted run resumes even after its plan expired (expiry only guards starting)', async () => {
    const g = world();
    const plan = plainPlan();
    const ac = new AbortController();
    const first = await applyPlan({ plan, client: g, store, clock: g.clock(), signal: ac.signal, onEvent: (e) => e.type === 'result' && ac.abort() });
    expect(first.status).to.equal('interrupted');
    const later = () => new Date(Date.parse(plan.expiresAt) + 60_000);
    const out = await applyPlan({ plan, client: g, store, clock: g.clock(), now: later });
    expect(out.status).to.equal('completed');
    // A plan never started is still refused once expired.
    try {
      await applyPlan({ plan: plainPlan(), client: g, store, clock: g.clock(), now: later });
      expect.fail('should be stale');
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).to.equal(ExitCode.STALE_PLAN);
    }
  });

  it('a held lock exits LOCKED before anything moves', async () => {
    const g = world();
    const { AgentLock } = await import('../../../src/state/lock.js');
    const held = await AgentLock.acquire(store, 'AGENT', 'other-run', { pid: process.pid });
    try {
      await applyPlan({ plan: plainPlan(), client: g, store, clock: g.clock() });
      expect.fail('should be locked');
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).to.equal(ExitCode.LOCKED);
    }
    expect(g.postCount).to.equal(0);
    await held.release();
  });

  it('a ship that is gone hands its task to another ship of the fleet', async () => {
    const g = world();
    const plan = makePlan({
      fleet: ['S-1', 'GONE'],
      target: { good: 'ORE', quantity: 60, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
      tasks: [
        task({ id: 'a', good: 'ORE', quantity: 20, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } }),
        task({ id: 'b', good: 'ORE', quantity: 40, ship: 'GONE', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } }),
      ],
    });
    const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(out.status, out.message).to.equal('completed');
    expect(out.tasks.find((t) => t.id === 'b')!.ship).to.equal('S-1');
  });

  it('a ship that is free takes a ready task queued behind another ship\'s current one (journaled)', async () => {
    const g = world();
    const sell = { kind: 'sell' as const, waypoint: 'X1-T-B' };
    const plan = makePlan({
      fleet: ['S-1', 'S-2'],
      target: { good: 'ORE', quantity: 120, deliver: sell },
      tasks: ['a', 'b', 'c'].map((id) => task({ id, good: 'ORE', quantity: 40, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: sell })),
    });
    const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(out.status, out.message).to.equal('completed');
    const byS2 = out.tasks.filter((t) => t.ship === 'S-2').map((t) => t.id);
    expect(byS2.length, JSON.stringify(out.tasks)).to.be.at.least(1);
    expect(purchases(g).reduce((a, t) => a + t.units, 0)).to.equal(120);
    const steps = await new Journal(store).steps(out.runId);
    expect(steps.filter((s) => s.ship === 'S-2' && s.kind === 'buy.result').length).to.be.at.least(1);
  });

  it('a ship lost with a call in flight: its task goes to another ship, the open intent is closed with a warning, the target is still reached', async () => {
    const g = world();
    const plan = makePlan({
      fleet: ['S-1', 'S-2'],
      target: { good: 'ORE', quantity: 40, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
      tasks: [task({ id: 'b', good: 'ORE', quantity: 40, ship: 'S-2', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } })],
    });
    g.crashAtPost = 1; // S-2's first purchase is committed, then the process "dies"
    const first = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(first.status).to.not.equal('completed');
    g.revive();
    g.ships.delete('S-2'); // and the ship is gone when we come back
    const warnings: string[] = [];
    const out = await applyPlan({ plan, client: g, store, clock: g.clock(), onEvent: (e) => e.type === 'warning' && warnings.push(e.message) });
    expect(out.status, out.message).to.equal('completed');
    expect(out.tasks[0]!.ship).to.equal('S-1');
    expect(g.ledger.filter((t) => t.type === 'SELL').reduce((a, t) => a + t.units, 0)).to.equal(40);
    expect(warnings.some((w) => /could not reconcile buy/.test(w))).to.equal(true);
    const rec = (await new Journal(store).getTask(out.runId, 'b'))!;
    expect(rec.pending).to.equal(undefined);
  });

  it('an aborted signal stops at a step boundary: interrupted (130), resumable', async () => {
    const g = world();
    const ac = new AbortController();
    let n = 0;
    const plan = plainPlan();
    const out = await applyPlan({
      plan,
      client: g,
      store,
      clock: g.clock(),
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'result' && ++n === 2) ac.abort();
      },
    });
    expect(out.status).to.equal('interrupted');
    expect(out.exitCode).to.equal(ExitCode.INTERRUPTED);
    const again = await applyPlan({ plan, client: g, store, clock: g.clock() });
    expect(again.status).to.equal('completed');
    expect(again.resumed).to.equal(true);
    expect(purchases(g, 'ORE').reduce((a, t) => a + t.units, 0)).to.equal(100);
  });

  function plainPlanOpts() {
    return {
      fleet: ['S-1'],
      target: { good: 'ORE', quantity: 100, deliver: { kind: 'sell' as const, waypoint: 'X1-T-B' } },
      tasks: [task({ id: 'buy-ORE', good: 'ORE', quantity: 100, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } })],
    };
  }
});

describe('executor/FactoryGate (production wait with hysteresis)', () => {
  const mk = (guard = 1000) =>
    new FactoryGate(
      task({
        id: 't', good: 'W', quantity: 10, ship: 'S',
        source: { kind: 'factory', waypoint: 'F', minSupply: 'MODERATE', resumeSupply: 'HIGH', pollSeconds: 30, maxPollSeconds: 100, timeoutSeconds: 400 },
        destination: { kind: 'hold' },
        guards: { maxUnitPrice: guard, minSellPrice: 0 },
      }),
    );

  it('buys at or above minSupply, stops below it, resumes only at resumeSupply', () => {
    const g = mk();
    expect(g.check('HIGH', 500)).to.equal(undefined);
    expect(g.check('MODERATE', 500)).to.equal(undefined);
    expect(g.check('LIMITED', 500)).to.not.equal(undefined);
    expect(g.check('MODERATE', 500), 'closed until HIGH').to.not.equal(undefined);
    expect(g.check('HIGH', 500)).to.equal(undefined);
  });

  it('"listed" is not "done": a SCARCE export waits; polls back off to the maximum; times out without progress', () => {
    const g = mk();
    const waits: number[] = [];
    let err: Error | undefined;
    for (let i = 0; i < 50; i++) {
      try {
        const w = g.check('SCARCE', 500);
        expect(w).to.not.equal(undefined);
        waits.push(w!.seconds);
      } catch (e) {
        err = e as Error;
        break;
      }
    }
    expect(err?.message).to.contain('production timeout');
    expect(waits[0]).to.equal(30);
    expect(waits[1]).to.equal(45);
    expect(Math.max(...waits)).to.be.at.most(100);
    expect(waits.reduce((a, b) => a + b, 0)).to.equal(400);
  });

  it('rising supply counts as progress and resets the timeout', () => {
    const g = mk();
    let waited = 0;
    for (const s of ['SCARCE', 'SCARCE', 'SCARCE', 'LIMITED', 'LIMITED', 'LIMITED', 'MODERATE', 'MODERATE'] as const) waited += g.check(s, 500)?.seconds ?? 0;
    expect(waited).to.be.greaterThan(400);
    expect(g.check('HIGH', 500)).to.equal(undefined);
  });

  it('a purchase is progress: pauses after each purchase never add up to a timeout (long work)', () => {
    const g = mk();
    for (let cycle = 0; cycle < 5; cycle++) {
      expect(g.check('HIGH', 500)).to.equal(undefined);
      g.bought();
      // Supply falls below the gate and takes 300s (under the 400s timeout) to climb back.
      let waited = 0;
      for (const s of ['LIMITED', 'LIMITED', 'LIMITED', 'MODERATE', 'MODERATE'] as const) waited += g.check(s, 500)?.seconds ?? 0;
      expect(waited).to.be.lessThan(400);
    }
    expect(g.check('HIGH', 500)).to.equal(undefined);
  });

  it('waits while the price is above the ceiling even with supply', () => {
    const g = mk(100);
    expect(g.check('ABUNDANT', 500)?.why).to.contain('above the ceiling');
  });
});
