import { expect } from 'chai';
import { constructionStatus } from '../../../src/construction/status.js';
import type { PlanFile, Task } from '../../../src/plan/types.js';
import type { StepRecord, TaskRecord } from '../../../src/state/journal.js';

const site = (at: string, fab: number, adv: number, isComplete = false): StepRecord => ({
  seq: 0,
  runId: 'r',
  ship: '',
  kind: 'construction',
  at,
  construction: { waypoint: 'X1-AD75-I55', isComplete, materials: [{ good: 'FAB_MATS', required: 80, fulfilled: fab }, { good: 'ADVANCED_CIRCUITRY', required: 20, fulfilled: adv }] },
});
const plan = {
  construction: { waypoint: 'X1-AD75-I55', site: 'home-gate', isComplete: false, materials: [{ good: 'FAB_MATS', required: 80, fulfilled: 0 }, { good: 'ADVANCED_CIRCUITRY', required: 20, fulfilled: 0 }] },
  tasks: [
    { id: 'a', good: 'FAB_MATS', destination: { kind: 'construction', waypoint: 'X1-AD75-I55' } },
    { id: 'b', good: 'FAB_MATS', destination: { kind: 'construction', waypoint: 'X1-AD75-I55' } },
    { id: 'c', good: 'IRON', destination: { kind: 'feed', waypoint: 'X1-AD75-F49', forGood: 'FAB_MATS' } },
  ],
} as unknown as PlanFile;
const recOf = (t: Task): TaskRecord => ({ taskId: t.id, status: 'running', ship: 'S', acquired: 0, delivered: t.id === 'a' ? 20 : t.id === 'b' ? 10 : 99, spent: 0, earned: 0, trips: 0, updatedAt: '' });

describe('construction status: the bill, the rate in game hours, the ETA', () => {
  it('measures progress between the first and the last read, in game time', () => {
    // 60 real seconds at time scale 60 = one game hour; 50 of 100 units supplied in it.
    const s = constructionStatus(plan, [site('2026-12-01T00:00:00.000Z', 0, 0), site('2026-12-01T00:01:00.000Z', 40, 10)], recOf, 60)!;
    expect(s.percent).to.equal(50);
    expect(s.unitsPerHour).to.equal(50);
    expect(s.percentPerHour).to.equal(50);
    expect(s.etaSeconds).to.equal(3600);
    expect(s.materials.map((m) => [m.good, m.fulfilled, m.percent, m.byRun])).to.deep.equal([['FAB_MATS', 40, 50, 30], ['ADVANCED_CIRCUITRY', 10, 50, 0]]);
  });

  it('has no ETA once complete, and no rate from a single read (the plan\'s bill before any)', () => {
    const done = constructionStatus(plan, [site('2026-12-01T00:00:00.000Z', 0, 0), site('2026-12-01T00:02:00.000Z', 80, 20, true)], recOf, 1)!;
    expect(done).to.include({ isComplete: true, percent: 100 });
    expect(done.etaSeconds).to.equal(undefined);
    const one = constructionStatus(plan, [site('2026-12-01T00:00:00.000Z', 8, 0)], recOf, 1)!;
    expect(one.unitsPerHour).to.equal(undefined);
    expect(one.percent).to.equal(8);
    expect(constructionStatus(plan, [], recOf, 1)).to.include({ percent: 0, observedAt: '' });
  });
});
