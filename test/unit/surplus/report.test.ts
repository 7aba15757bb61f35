import { expect } from 'chai';
import { surplusReport } from '../../../src/surplus/report.js';
import type { StepRecord } from '../../../src/state/journal.js';
import { makePlan } from '../executor/plan-fixture.js';

let seq = 0;
const sale = (taskId: string, kind: string, ship: string, waypoint: string, units: number, price: number, happened = true): StepRecord => ({
  seq: ++seq,
  runId: 'r',
  taskId,
  ship,
  kind,
  intent: { id: `i${seq}`, kind: 'sell', ship, waypoint, good: taskId.startsWith('surplus-') ? taskId.slice(8, taskId.indexOf('@')) : 'ORE', units, cargoBefore: units } as StepRecord['intent'],
  result: { units: happened ? units : 0, totalPrice: happened ? units * price : 0, pricePerUnit: price, happened },
  at: '',
} as StepRecord);

describe('surplus: what status reports of a run\'s surplus', () => {
  const plan = makePlan({ fleet: ['S-1'], target: { good: 'ORE', quantity: 10 }, tasks: [] });

  it('sums every surplus sale of the journal (all attempts, reconciled ones included) per ship, good and market; left and kept come from the run record', () => {
    const steps = [
      sale('feed-ORE', 'sell.result', 'S-1', 'X1-T-F', 20, 60),
      sale('surplus-ORE@S-1', 'sell.intent', 'S-1', 'X1-T-B', 20, 70),
      sale('surplus-ORE@S-1', 'sell.result', 'S-1', 'X1-T-B', 20, 70),
      sale('surplus-ORE@S-1', 'sell.reconciled', 'S-1', 'X1-T-B', 5, 68),
      sale('surplus-ORE@S-1', 'sell.result', 'S-1', 'X1-T-B', 3, 68, false),
      sale('surplus-GEL@S-2', 'sell.result', 'S-2', 'X1-T-A', 4, 10),
    ];
    const left = [{ ship: 'S-3', good: 'ORE', units: 2, why: 'no market known within reach buys it' }];
    expect(surplusReport({ plan, surplus: { left } }, steps)).to.deep.equal({
      policy: 'sell',
      sold: [
        { ship: 'S-1', good: 'ORE', waypoint: 'X1-T-B', units: 25, credits: 20 * 70 + 5 * 68 },
        { ship: 'S-2', good: 'GEL', waypoint: 'X1-T-A', units: 4, credits: 40 },
      ],
      left,
      kept: [],
    });
  });

  it('keep: what was kept; none at all: no report', () => {
    const keep = { ...plan, spec: { ...plan.spec, policy: { ...plan.spec.policy, surplus: 'keep' as const } } };
    expect(surplusReport({ plan: keep, surplus: { left: [], kept: [{ ship: 'S-1', good: 'ORE', units: 7 }] } }, [])).to.deep.equal({ policy: 'keep', sold: [], left: [], kept: [{ ship: 'S-1', good: 'ORE', units: 7 }] });
    expect(surplusReport({ plan }, [sale('feed-ORE', 'sell.result', 'S-1', 'X1-T-F', 20, 60)])).to.equal(undefined);
  });
});
