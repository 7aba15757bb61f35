import { expect } from 'chai';
import { belowMinProfit, expectedPnl } from '../../../src/pnl/expected.js';
import { LossGuard } from '../../../src/pnl/loss-guard.js';
import { refuseBelowMinProfit } from '../../../src/pnl/min-profit.js';
import type { PlanFile } from '../../../src/plan/types.js';
import type { TaskRecord } from '../../../src/state/journal.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { makePlan, task } from '../executor/plan-fixture.js';

const factory = { kind: 'factory' as const, waypoint: 'X1-T-F', minSupply: 'MODERATE' as const, resumeSupply: 'HIGH' as const, pollSeconds: 30, maxPollSeconds: 120, timeoutSeconds: 3600 };
const obs = (waypoint: string, good: string, purchasePrice: number, sellPrice: number, tradeVolume = 100) => ({ waypoint, good, type: 'EXCHANGE' as const, supply: 'MODERATE' as const, purchasePrice, sellPrice, tradeVolume, observedAt: '2026-01-01T00:00:00Z' });

/** 10 WIDGET made at F from 20 ORE (bought at A for ~1000, fed at F for ~50/u); the WIDGET sold at B at `bid`. */
function chain(bid: number, oreCost = 1000, widgetCost = 3000): PlanFile {
  const plan = makePlan({
    fleet: ['S-1'],
    target: { good: 'WIDGET', quantity: 10, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
    tasks: [
      task({ id: 'buy-ORE', good: 'ORE', quantity: 20, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' }, estimate: { credits: oreCost, fuel: 0, gameSeconds: 0, requests: 0 } }),
      task({ id: 'make-WIDGET', good: 'WIDGET', quantity: 10, ship: 'S-1', dependsOn: ['buy-ORE'], source: factory, destination: { kind: 'sell', waypoint: 'X1-T-B' }, estimate: { credits: widgetCost, fuel: 0, gameSeconds: 0, requests: 0 } }),
    ],
  });
  plan.decisions = {
    good: 'WIDGET', quantity: 10, action: 'MAKE', waypoint: 'X1-T-F', reason: '', declined: [], estimatedCost: 0, taskIds: ['make-WIDGET'],
    inputs: [{ good: 'ORE', quantity: 20, action: 'BUY', waypoint: 'X1-T-A', reason: '', declined: [], estimatedCost: 0, taskIds: ['buy-ORE'], inputs: [] }],
  };
  plan.observations = [obs('X1-T-F', 'ORE', 60, 50), obs('X1-T-B', 'WIDGET', bid + 50, bid)];
  return plan;
}

const rec = (taskId: string, r: Partial<TaskRecord>): [string, TaskRecord] => [taskId, { taskId, status: 'running', ship: 'S-1', acquired: 0, delivered: 0, spent: 0, earned: 0, trips: 0, updatedAt: '', ...r }];

describe('pnl/expected', () => {
  it('values the target at its bid with the walk, an input at its feed bid, and the chain at its tasks\' estimates', () => {
    const p = expectedPnl(chain(500))!;
    expect(p.revenue).to.equal(5000); // one tranche of 10 at 500 (tradeVolume 100)
    expect(p.nodes.inputs[0]!.value).to.equal(1000); // 20 ORE fed at 50
    expect(p.nodes.cost).to.equal(3000 + (1000 - 1000));
    expect(p.cost).to.equal(4000);
    expect(p.net).to.equal(1000);
    expect(p.margin).to.equal(0.25);
    expect(p.losing).to.deep.equal([]);
  });

  it('names the MAKE that costs more than its output earns; a bought input is never "losing" by its spread', () => {
    const p = expectedPnl(chain(200, 9000))!;
    expect(p.losing.map((n) => n.good)).to.deep.equal(['WIDGET']);
    expect(p.losing[0]).to.include({ unitCost: 1100, unitValue: 200 });
    expect(p.nodes.inputs[0]!.loses).to.equal(false);
  });

  it('a contract is worth its pay per unit; a kept target has no expected profit', () => {
    const plan = chain(500);
    plan.spec.target.deliver = { kind: 'contract', contractId: 'C', waypoint: 'X1-T-B' };
    plan.contract = { id: 'C', accepted: false, onAccepted: 2000, onFulfilled: 18_000, deadline: '', unitsRequired: 40, unitsFulfilled: 0, fulfils: false };
    expect(expectedPnl(plan)!.revenue).to.equal(5000);
    plan.spec.target.deliver = { kind: 'hold' };
    expect(expectedPnl(plan)).to.equal(undefined);
  });

  it('policy.minProfit: credits or a margin; the refusal is exit 5 and names the losing nodes', () => {
    const good = expectedPnl(chain(500))!;
    expect(belowMinProfit(good, { credits: 1000 })).to.equal(undefined);
    expect(belowMinProfit(good, { credits: 1001 })).to.match(/expects 1,000 credits of profit .*below policy.minProfit \(1,001 credits\)\. No single node loses/);
    expect(belowMinProfit(good, { margin: 0.25 })).to.equal(undefined);
    expect(belowMinProfit(good, { margin: 0.3 })).to.match(/a margin of 30%/);
    const losing = chain(200, 9000);
    losing.spec.policy.minProfit = { credits: 0 };
    try {
      refuseBelowMinProfit(losing);
      expect.fail('refused');
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).to.equal(ExitCode.INFEASIBLE);
      expect((e as Error).message).to.match(/Losing: WIDGET \[MAKE\] at X1-T-F: costs ~1,100\/u, earns ~200\/u/);
    }
  });
});

describe('pnl/loss-guard', () => {
  it('stops a purchase that takes the node\'s unit cost past what its output earns, counting inputs still held at their feed value', () => {
    const g = new LossGuard(chain(500)); // WIDGET earns 500/u; the plan expects 300/u of buy-back
    // ORE bought (1000) and not fed yet: worth 20 × 50 at the factory, so nothing lost on inputs so far.
    const held = new Map([rec('buy-ORE', { acquired: 20, spent: 1000 })]);
    expect(g.check('make-WIDGET', 10, 500, held)).to.equal(undefined);
    expect(g.check('make-WIDGET', 10, 501, held)).to.match(/^loss guard: WIDGET \[MAKE\] at X1-T-F would cost ~501\/u with 10 at 501 \(inputs ~0\/u, purchases ~501\/u\), more than its output can earn: ~500\/u \(5,000 for 10/);
    // Fed for only 200 (the bid collapsed): inputs cost 80/u of output; 10 more at 450 makes 530/u.
    const cheap = new Map([rec('buy-ORE', { acquired: 20, delivered: 20, spent: 1000, earned: 200 })]);
    expect(g.check('make-WIDGET', 10, 420, cheap)).to.equal(undefined);
    expect(g.check('make-WIDGET', 10, 450, cheap)).to.match(/would cost ~530\/u .*\(inputs ~80\/u, purchases ~450\/u\)/);
    // An input bought far above its feed bid: 20 × (150 − 50) over 10 units is 200/u, plus the planned 300/u buy-back.
    expect(g.check('buy-ORE', 20, 150, new Map())).to.equal(undefined);
    expect(g.check('buy-ORE', 20, 151, new Map())).to.match(/would cost ~502\/u with 20 more input at 151/);
  });

  it('a node the plan showed as losing (and was approved so) stops only when the loss grows past the expected cost + 10%', () => {
    const g = new LossGuard(chain(200)); // WIDGET earns 200/u; the plan expects 300/u: a loss the reviewer saw
    const held = new Map([rec('buy-ORE', { acquired: 20, spent: 1000 })]);
    expect(g.check('make-WIDGET', 10, 300, held)).to.equal(undefined);
    expect(g.check('make-WIDGET', 10, 330, held)).to.equal(undefined);
    expect(g.check('make-WIDGET', 10, 331, held)).to.match(/would cost ~331\/u .*more than the loss the plan was approved with allows: its output earns ~200\/u .*expected a cost of ~300\/u \(stopped past \+10%\)/);
  });

  it('judges nothing when the target is kept in holds', () => {
    const plan = chain(500);
    plan.spec.target.deliver = { kind: 'hold' };
    expect(new LossGuard(plan).check('make-WIDGET', 10, 1_000_000, new Map())).to.equal(undefined);
  });
});

describe('pnl/loss-guard in apply (in-memory game)', function () {
  this.timeout(30_000);

  it('a target that sells for less than it costs stops buying once its cost passes what it earns; the run ends partial with the numbers', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { Store } = await import('../../../src/state/store.js');
    const { applyPlan } = await import('../../../src/executor/apply.js');
    const { FakeGame } = await import('../executor/fake-game.js');
    const g = new FakeGame('AGENT', 1_000_000);
    g.addWaypoint('X1-T-A', 0, 0);
    g.addWaypoint('X1-T-B', 30, 0);
    g.addGood('X1-T-A', 'ORE', 'EXPORT', 50, 20);
    g.addGood('X1-T-A', 'FUEL', 'EXCHANGE', 72, 60);
    g.addGood('X1-T-B', 'ORE', 'IMPORT', 106, 20); // bids 53: 100 sold walk it down to ~51.4/u, while buying 100 walks the ask up from 50
    g.addShip('S-1', 'X1-T-A');
    const plan = makePlan({
      fleet: ['S-1'],
      target: { good: 'ORE', quantity: 100, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
      tasks: [task({ id: 'buy-ORE', good: 'ORE', quantity: 100, ship: 'S-1', trips: [40, 40, 20], source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } })],
    });
    plan.observations = [obs('X1-T-B', 'ORE', 106, 53, 20)];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-loss-'));
    const store = await Store.open(path.join(dir, 's.sqlite'));
    try {
      const out = await applyPlan({ plan, client: g, store, clock: g.clock() });
      expect(out.status).to.equal('partial');
      const t = out.tasks.find((x) => x.id === 'buy-ORE')!;
      expect(t.status).to.equal('failed');
      expect(t.reason).to.match(/^loss guard: ORE \[BUY\] at X1-T-A would cost ~52\/u with 20 at 53 \(its purchases' average\), more than its output can earn: ~51\/u \(5,140 for 100;/);
      // The first tranche (50/u) pays; the second (52/u) would take the average past ~51/u: stopped there.
      expect(t.acquired).to.equal(20);
      expect(out.message).to.match(/make a new plan/);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
