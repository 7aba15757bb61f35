import { expect } from 'chai';
import { realizedPnl } from '../../../src/pnl/realized.js';
import type { DecisionNode, PlanFile } from '../../../src/plan/types.js';
import type { StepRecord, TaskRecord } from '../../../src/state/journal.js';
import { makePlan, task } from '../executor/plan-fixture.js';

const factory = { kind: 'factory' as const, waypoint: 'X1-T-F', minSupply: 'MODERATE' as const, resumeSupply: 'HIGH' as const, pollSeconds: 30, maxPollSeconds: 120, timeoutSeconds: 3600 };

/** WIDGET made at F from ORE and GEL bought at A; the target sold at B. */
function makeTree(deliver: 'sell' | 'hold' = 'sell'): PlanFile {
  const dest = deliver === 'sell' ? { kind: 'sell' as const, waypoint: 'X1-T-B' } : { kind: 'hold' as const };
  const plan = makePlan({
    fleet: ['S-1', 'S-2'],
    target: { good: 'WIDGET', quantity: 10, deliver: dest },
    tasks: [
      task({ id: 'buy-ORE', good: 'ORE', quantity: 20, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
      task({ id: 'buy-GEL', good: 'GEL', quantity: 10, ship: 'S-2', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
      task({ id: 'make-WIDGET', good: 'WIDGET', quantity: 10, ship: 'S-1', dependsOn: ['buy-ORE', 'buy-GEL'], source: factory, destination: dest }),
      task({ id: 'clear-JUNK@S-2', good: 'JUNK', quantity: 5, ship: 'S-2', source: { kind: 'aboard', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-A' }, clear: true }),
    ],
  });
  const leaf = (good: string, quantity: number, id: string): DecisionNode => ({ good, quantity, action: 'BUY', waypoint: 'X1-T-A', reason: '', declined: [], estimatedCost: 0, taskIds: [id], inputs: [] });
  plan.decisions = { good: 'WIDGET', quantity: 10, action: 'MAKE', waypoint: 'X1-T-F', reason: '', declined: [], estimatedCost: 0, taskIds: ['make-WIDGET'], inputs: [leaf('ORE', 20, 'buy-ORE'), leaf('GEL', 10, 'buy-GEL')] };
  plan.observations = [
    { waypoint: 'X1-T-F', good: 'WIDGET', type: 'EXPORT', supply: 'MODERATE', purchasePrice: 900, sellPrice: 850, tradeVolume: 10, observedAt: '2026-01-01T00:00:00Z' },
    { waypoint: 'X1-T-B', good: 'WIDGET', type: 'IMPORT', supply: 'LOW' as never, purchasePrice: 1300, sellPrice: 1200, tradeVolume: 10, observedAt: '2026-01-01T00:00:00Z' },
  ];
  return plan;
}

let seq = 0;
function trade(kind: string, taskId: string | undefined, units: number, totalPrice: number, credits?: number, happened = true): StepRecord {
  return { seq: ++seq, runId: 'r', taskId, ship: 'S-1', kind, result: { units, totalPrice, pricePerUnit: units ? Math.round(totalPrice / units) : 0, happened }, ...(credits !== undefined ? { credits } : {}), at: '2026-01-01T00:00:00Z' };
}

function rec(taskId: string, acquired: number, delivered: number): TaskRecord {
  return { taskId, status: 'completed', ship: 'S-1', acquired, delivered, spent: 0, earned: 0, trips: 1, updatedAt: '' };
}

describe('pnl/realized', () => {
  it('sums every transaction of the journal by kind, per node, and to the credit', () => {
    const plan = makeTree('sell');
    const steps = [
      trade('buy.result', 'buy-ORE', 20, 1000, 99_000),
      trade('buy.reconciled', 'buy-GEL', 10, 800, 98_200),
      trade('buy.reconciled', 'buy-GEL', 0, 0, undefined, false), // a call that had not happened
      trade('refuel.result', undefined, 1, 72, 98_128),
      trade('sell.result', 'buy-ORE', 20, 2200, 100_328),
      trade('sell.result', 'buy-GEL', 10, 1500, 101_828),
      trade('buy.result', 'make-WIDGET', 10, 9000, 92_828),
      trade('sell.result', 'make-WIDGET', 10, 12_000, 104_828),
      trade('sell.result', 'clear-JUNK@S-2', 5, 50, 104_878),
      trade('buy.error', 'buy-ORE', 20, 1000),
    ];
    const tasks = new Map([rec('buy-ORE', 20, 20), rec('buy-GEL', 10, 10), rec('make-WIDGET', 10, 10), rec('clear-JUNK@S-2', 5, 5)].map((r) => [r.taskId, r]));
    const p = realizedPnl({ plan, tasks, steps, creditsAtStart: 100_000 });
    expect(p.spent).to.deep.equal({ purchases: 10_800, fuel: 72, antimatter: 0, total: 10_872 });
    expect(p.earned).to.deep.equal({ feed: 3700, target: 12_000, contract: 0, surplus: 50, total: 15_750 });
    expect(p.realized).to.equal(4878);
    // The agent's credit change is the journal's sum.
    expect(p.agentCredits).to.deep.equal({ start: 100_000, end: 104_878, change: 4878 });
    // Feeding earned more than the inputs cost: the factory's inputs cost −1900 net.
    expect(p.nodes.inputsCost).to.equal(1000 + 800 - 2200 - 1500);
    expect(p.nodes.costBasis).to.equal(9000 - 1900);
    expect(p.nodes.unitCost).to.equal(710);
    expect(p.nodes.net).to.equal(12_000 - 7100);
    expect(p.held).to.deep.equal({ units: 0, value: 0 });
    // Buying 10 WIDGET at the best ask seen (900 at the factory) would have cost 9000.
    expect(p.counterfactual).to.deep.equal({ units: 10, unitPrice: 900, waypoint: 'X1-T-F', cost: 9000, saved: 9000 - 7100 });
  });

  it('values output still in holds at its cost basis, never at a bid', () => {
    const plan = makeTree('hold');
    const steps = [trade('buy.result', 'buy-ORE', 20, 1000), trade('sell.result', 'buy-ORE', 20, 400), trade('buy.result', 'make-WIDGET', 4, 4000)];
    const tasks = new Map([rec('buy-ORE', 20, 20), rec('make-WIDGET', 4, 4)].map((r) => [r.taskId, r]));
    const p = realizedPnl({ plan, tasks, steps });
    expect(p.realized).to.equal(-4600);
    expect(p.nodes.unitCost).to.equal(1150);
    expect(p.held).to.deep.equal({ units: 4, value: 4600 });
    expect(p.net).to.equal(0);
    expect(p.agentCredits).to.equal(undefined);
  });

  it('counts contract payments as the root\'s earnings and jumps as antimatter', () => {
    const plan = makeTree('sell');
    plan.spec.target.deliver = { kind: 'contract', contractId: 'C1', waypoint: 'X1-T-B' };
    const steps = [
      { seq: 1, runId: 'r', ship: '', kind: 'contract.accepted', contractId: 'C1', result: { units: 0, totalPrice: 5000, pricePerUnit: 0, happened: true }, at: '' },
      trade('jump.result', undefined, 1, 1800),
      trade('buy.result', 'make-WIDGET', 10, 9000),
      { seq: 9, runId: 'r', ship: '', kind: 'contract.fulfilled', contractId: 'C1', result: { units: 0, totalPrice: 20_000, pricePerUnit: 0, happened: true }, at: '' },
    ];
    const p = realizedPnl({ plan, tasks: new Map([rec('make-WIDGET', 10, 10)].map((r) => [r.taskId, r])), steps });
    expect(p.earned.contract).to.equal(25_000);
    expect(p.spent.antimatter).to.equal(1800);
    expect(p.nodes.earned).to.equal(25_000);
    expect(p.realized).to.equal(25_000 - 9000 - 1800);
  });

  it('gives no unit cost or counterfactual before anything was bought', () => {
    const p = realizedPnl({ plan: makeTree('sell'), tasks: new Map(), steps: [] });
    expect(p.nodes.unitCost).to.equal(undefined);
    expect(p.counterfactual).to.equal(undefined);
    expect(p.net).to.equal(0);
  });
});
