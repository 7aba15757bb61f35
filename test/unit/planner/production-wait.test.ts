import { expect } from 'chai';
import type { PlanBody, SupplyLevel, Task } from '../../../src/plan/types.js';
import { REQUEST_LATENCY_SECONDS, SUPPLY_STEP_SECONDS, TRANCHES_PER_SUPPLY_LEVEL } from '../../../src/planner/constants.js';
import { secondsPerRequest } from '../../../src/planner/schedule.js';
import { productionWait } from '../../../src/planner/production.js';
import { market, plan, view } from './helpers.js';

const FUEL = { FUEL: ['EXCHANGE', 'MODERATE', 72, 180] } as const;

/** ADVANCED_CIRCUITRY made at A (its export at `supply`, tradeVolume `tv`); its inputs sold at B. */
function made(supply: SupplyLevel, quantity: number, tv = 10): PlanBody {
  const v = view([
    market('X1-TEST-A', 0, 0, { ADVANCED_CIRCUITRY: ['EXPORT', supply, 4000, tv], ELECTRONICS: ['IMPORT', 'LIMITED', 2600], MICROPROCESSORS: ['IMPORT', 'LIMITED', 2800], ...FUEL }),
    market('X1-TEST-B', 30, 40, { ELECTRONICS: ['EXPORT', 'HIGH', 1200], MICROPROCESSORS: ['EXPORT', 'HIGH', 1300], COPPER: ['IMPORT', 'LIMITED', 300], SILICON_CRYSTALS: ['IMPORT', 'LIMITED', 200], ...FUEL }),
  ]);
  // minSupplyToBuy MODERATE: apply's gate buys while supply ≥ LIMITED and resumes at MODERATE.
  return plan(v, 'ADVANCED_CIRCUITRY', quantity, { policy: { make: ['ADVANCED_CIRCUITRY'], minSupplyToBuy: 'MODERATE' }, credits: 5_000_000 });
}

const collectOf = (body: PlanBody): Task => body.tasks.find((t) => t.source.kind === 'factory')!;

/** The longest chain of task estimates along dependsOn, recomputed from the plan file alone. */
/** A task's time with its requests at their latency alone (the bound's price), not the paced 0.5 s. */
const unpaced = (t: Task): number => t.estimate.gameSeconds - t.estimate.requests * (secondsPerRequest() - REQUEST_LATENCY_SECONDS);

function longestChain(tasks: Task[]): number {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const end = (t: Task): number => unpaced(t) + Math.max(0, ...t.dependsOn.map((d) => end(byId.get(d)!)));
  return Math.max(0, ...tasks.map(end));
}

describe('planner: production wait of a factory collect', () => {
  describe('productionWait (the model)', () => {
    const base = { good: 'X', estimated: false, minSupply: 'LIMITED', resumeSupply: 'MODERATE', tradeVolume: 10 } as const;

    it('no wait when the export is at or above the gate and the quantity does not drain it', () => {
      for (const supply of ['LIMITED', 'MODERATE', 'HIGH', 'ABUNDANT'] as const) {
        const w = productionWait({ ...base, supply, quantity: 20 });
        expect(w.seconds, supply).to.equal(0);
        expect(w.why).to.match(/no wait before the first purchase/);
      }
    });

    it('below the gate, it waits one step per level to climb to the resume level', () => {
      const w = productionWait({ ...base, supply: 'SCARCE', quantity: 20 });
      expect(w.levelsToClimb).to.equal(2);
      expect(w.firstPurchaseSeconds).to.equal(2 * SUPPLY_STEP_SECONDS);
      expect(w.refillSeconds).to.equal(0);
      expect(w.why).to.match(/SCARCE \(observed\) is below the collect's gate LIMITED: ~48 min to climb 2 levels to MODERATE/);
    });

    it('the step time and tranches per level are configuration', () => {
      expect(productionWait({ ...base, supply: 'SCARCE', quantity: 20, stepSeconds: 100 }).seconds).to.equal(200);
      expect(productionWait({ ...base, supply: 'SCARCE', quantity: 20, stepSeconds: 100, tranchesPerLevel: 1 }).seconds).to.equal(200 + 100);
    });

    it('a quantity that drains the factory below the gate adds production for the units beyond it', () => {
      // MODERATE → LIMITED: 2 levels of TRANCHES_PER_SUPPLY_LEVEL tranches of 10 units before the gate closes.
      const room = 2 * TRANCHES_PER_SUPPLY_LEVEL * 10;
      expect(productionWait({ ...base, supply: 'MODERATE', quantity: room }).seconds).to.equal(0);
      const w = productionWait({ ...base, supply: 'MODERATE', quantity: room + TRANCHES_PER_SUPPLY_LEVEL * 10 });
      expect(w.firstPurchaseSeconds).to.equal(0);
      expect(w.refillSeconds).to.equal(SUPPLY_STEP_SECONDS);
      expect(w.why).to.match(/then ~24 min of production for the 40 units beyond/);
    });

    it('says when the supply is an estimate', () => {
      expect(productionWait({ ...base, supply: 'MODERATE', estimated: true, quantity: 5 }).why).to.match(/MODERATE \(estimated, not observed\)/);
    });
  });

  describe('in the plan', () => {
    it('stocked factory: the collect task counts no production wait, and the reason says so', () => {
      for (const supply of ['LIMITED', 'HIGH'] as const) {
        const body = made(supply, 20);
        expect(collectOf(body).estimate.gameSeconds, supply).to.be.below(SUPPLY_STEP_SECONDS / 2);
        expect(body.decisions.reason).to.match(new RegExp(`ADVANCED_CIRCUITRY supply ${supply} \\(observed\\) is at or above the collect's gate LIMITED: no wait`));
        expect(body.estimates.criticalPathSeconds).to.be.below(SUPPLY_STEP_SECONDS);
      }
    });

    it('drained factory: the collect waits a step per level to climb, and the critical path carries it', () => {
      const stocked = made('LIMITED', 20);
      const drained = made('SCARCE', 20);
      const extra = collectOf(drained).estimate.gameSeconds - collectOf(stocked).estimate.gameSeconds;
      // Two levels (SCARCE → MODERATE) plus the polls made while waiting (0.5 s each).
      expect(extra).to.be.at.least(2 * SUPPLY_STEP_SECONDS).and.below(2 * SUPPLY_STEP_SECONDS + 60);
      expect(collectOf(drained).estimate.requests).to.be.above(collectOf(stocked).estimate.requests);
      // The bound prices the polls at their latency, the task's estimate at the paced 0.5 s.
      const polls = collectOf(drained).estimate.requests - collectOf(stocked).estimate.requests;
      expect(drained.estimates.criticalPathSeconds - stocked.estimates.criticalPathSeconds).to.be.closeTo(extra - polls * (secondsPerRequest() - REQUEST_LATENCY_SECONDS), 2);
      expect(drained.decisions.reason).to.match(/~48 min to climb 2 levels to MODERATE/);
    });

    it('a quantity beyond what the supply allows adds refill waits', () => {
      const small = made('MODERATE', 60, 5); // 2 levels × 4 tranches × 5 units = 40 units before the gate closes
      const w = collectOf(small).estimate.gameSeconds;
      expect(w).to.be.at.least(SUPPLY_STEP_SECONDS); // 20 units beyond = one level of production
      expect(small.decisions.reason).to.match(/then ~24 min of production for the 20 units beyond the ~40/);
    });

    it('critical path = the longest dependency chain, not the sum of the work', () => {
      for (const supply of ['HIGH', 'SCARCE'] as const) {
        const body = made(supply, 20);
        const collect = collectOf(body);
        const feeds = body.tasks.filter((t) => collect.dependsOn.includes(t.id));
        expect(feeds.length, supply).to.equal(2);
        expect(new Set(feeds.map((t) => t.ship)).size, 'feeds run on two ships').to.equal(2);
        expect(body.estimates.criticalPathSeconds).to.be.closeTo(longestChain(body.tasks), 2);
        expect(body.estimates.criticalPathSeconds).to.be.closeTo(unpaced(collect) + Math.max(...feeds.map(unpaced)), 2);
        expect(body.estimates.criticalPathSeconds).to.be.below(body.estimates.gameSeconds);
      }
    });

    it('is deterministic: same inputs, byte-identical body', () => {
      expect(JSON.stringify(made('SCARCE', 60, 5))).to.equal(JSON.stringify(made('SCARCE', 60, 5)));
    });
  });
});
