import { expect } from 'chai';
import { chooseSales, surplusOf } from '../../../src/surplus/choose.js';
import type { TaskRecord } from '../../../src/state/journal.js';
import { makePlan, task } from '../executor/plan-fixture.js';

const obs = (waypoint: string, good: string, sellPrice: number, observedAt = '2026-01-01T00:00:00Z') => ({ waypoint, good, type: 'IMPORT' as const, supply: 'MODERATE' as const, purchasePrice: sellPrice * 2, sellPrice, tradeVolume: 20, observedAt });
const rec = (taskId: string, ship: string, acquired: number): [string, TaskRecord] => [taskId, { taskId, status: 'completed', ship, acquired, delivered: acquired, spent: 0, earned: 0, trips: 1, updatedAt: '' }];

describe('surplus: what a finished run leaves, and where to sell it', () => {
  const plan = makePlan({
    fleet: ['S-1', 'S-2'],
    target: { good: 'WIDGET', quantity: 30 },
    tasks: [
      task({ id: 'feed-ORE', good: 'ORE', quantity: 40, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
      task({ id: 'aboard-ORE@S-2', good: 'ORE', quantity: 5, ship: 'S-2', source: { kind: 'aboard', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
      task({ id: 'make-WIDGET', good: 'WIDGET', quantity: 30, ship: 'S-2', source: { kind: 'market', waypoint: 'X1-T-F' }, destination: { kind: 'hold' } }),
    ],
  });
  const records = new Map([rec('feed-ORE', 'S-1', 40), rec('make-WIDGET', 'S-2', 30)]);

  it('keeps the target bought, cargo held at the start (less what aboard tasks carried away) and other goods; the rest of the plan\'s goods is surplus', () => {
    const ships = [
      { symbol: 'S-1', waypoint: 'X1-T-F', fuelCapacity: 400, cargo: [{ good: 'ORE', units: 6 }, { good: 'JUNK', units: 9 }] },
      { symbol: 'S-2', waypoint: 'X1-T-F', fuelCapacity: 400, cargo: [{ good: 'WIDGET', units: 33 }, { good: 'ORE', units: 8 }] },
    ];
    const atStart = [{ ship: 'S-2', good: 'ORE', units: 10 }, { ship: 'S-2', good: 'WIDGET', units: 1 }];
    // S-1: 6 ORE (none at start); S-2: 8 ORE of which 10 − 5 carried away are its own, 33 WIDGET of which 30 bought and 1 held at start.
    expect(surplusOf(plan, records, ships, atStart)).to.deep.equal([
      { ship: 'S-1', good: 'ORE', units: 6 },
      { ship: 'S-2', good: 'WIDGET', units: 2 },
      { ship: 'S-2', good: 'ORE', units: 3 },
    ]);
  });

  it('sells each at the best bid net of fuel within a tank\'s reach, the newest observation of a market counting; what no market in reach buys is left', () => {
    const points = new Map([
      ['X1-T-F', { x: 0, y: 0 }],
      ['X1-T-N', { x: 10, y: 0 }],
      ['X1-T-R', { x: 300, y: 0 }],
      ['X1-T-FAR', { x: 1000, y: 0 }],
    ]);
    const ships = [{ symbol: 'S-1', waypoint: 'X1-T-F', fuelCapacity: 400, cargo: [] }];
    const bids = [obs('X1-T-N', 'ORE', 10, '2026-01-01T00:00:00Z'), obs('X1-T-N', 'ORE', 60, '2026-01-01T01:00:00Z'), obs('X1-T-R', 'ORE', 65), obs('X1-T-FAR', 'ORE', 500)];
    const { sales, unsold } = chooseSales([{ ship: 'S-1', good: 'ORE', units: 6 }, { ship: 'S-1', good: 'GEL', units: 2 }], ships, bids, points, { mode: 'CRUISE', fuelPrice: 100 });
    // R pays 5 more per unit (30) but its 300 fuel cost 300: N wins; FAR is out of the tank's reach.
    expect(sales).to.deep.equal([{ ship: 'S-1', good: 'ORE', units: 6, waypoint: 'X1-T-N', bid: 60, tradeVolume: 20 }]);
    expect(unsold).to.deep.equal([{ ship: 'S-1', good: 'GEL', units: 2 }]);
  });
});
