import { expect } from 'chai';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { planTargets } from '../../../src/plan/targets.js';
import { buildPlanBody } from '../../../src/planner/build.js';
import { gatedWalk, buyWalk } from '../../../src/planner/pricing.js';
import { caught } from '../../helpers/user-error.js';
import { REAL_MAP, inputsOf, market, POLICY, ship, view } from '../planner/helpers.js';

const FUEL = { FUEL: ['EXCHANGE', 'MODERATE', 72, 180] } as const;
const GATE = 'X1-TEST-G';
const world = (withCircuitry = true) =>
  view([
    market('X1-TEST-F', 0, 0, { FAB_MATS: ['EXPORT', 'ABUNDANT', 1100, 20], IRON: ['IMPORT', 'LIMITED', 300], QUARTZ_SAND: ['IMPORT', 'LIMITED', 50], ...FUEL }),
    ...(withCircuitry ? [market('X1-TEST-D', 30, 40, { ADVANCED_CIRCUITRY: ['EXPORT', 'ABUNDANT', 4000, 20], ...FUEL })] : []),
    market(GATE, 10, 10, { ...FUEL }),
  ]);

function gatePlan(v = world(), ships = 3) {
  return buildPlanBody({
    spec: { name: 'gate', system: v.system, target: { good: 'FAB_MATS', quantity: 800, deliver: { kind: 'construction', waypoint: GATE } }, policy: { ...POLICY, maxCredits: 10_000_000 } },
    lineage: { agentSymbol: 'TESTER', resetDate: '2026-01-01' },
    specHash: 'sha256:spec',
    supplyChainHash: 'sha256:chain',
    fleet: Array.from({ length: ships }, (_, i) => ship(`TESTER-${i + 1}`, GATE, 80)),
    view: v,
    inputsOf: inputsOf(REAL_MAP),
    agentCredits: 50_000_000,
    construction: { waypoint: GATE, site: 'home-gate', isComplete: false, materials: [{ good: 'FAB_MATS', required: 800, fulfilled: 0 }, { good: 'ADVANCED_CIRCUITRY', required: 200, fulfilled: 0 }] },
    otherTargets: [{ good: 'ADVANCED_CIRCUITRY', quantity: 200 }],
  });
}

describe('planner: a whole construction bill (long work)', () => {
  it('one target per material, each decided as usual, delivered to the site', () => {
    const body = gatePlan();
    expect(planTargets(body).map((t) => [t.good, t.quantity, t.decisions.action, t.decisions.waypoint])).to.deep.equal([
      ['FAB_MATS', 800, 'BUY', 'X1-TEST-F'],
      ['ADVANCED_CIRCUITRY', 200, 'BUY', 'X1-TEST-D'],
    ]);
    expect(body.construction?.waypoint).to.equal(GATE);
    expect(body.tasks.every((t) => t.destination.kind === 'construction' && t.destination.waypoint === GATE)).to.equal(true);
    expect(new Set(body.tasks.map((t) => t.id)).size).to.equal(body.tasks.length);
  });

  it('buys each material behind the supply gate (the scheduler gives its hold-loads out), priced with a walk that restarts', () => {
    const body = gatePlan();
    const fab = body.tasks.filter((t) => t.good === 'FAB_MATS');
    expect(fab.length).to.be.at.least(1);
    expect(fab.reduce((a, t) => a + t.quantity, 0)).to.equal(800);
    expect(fab.every((t) => t.source.kind === 'factory' && t.source.minSupply === 'LIMITED' && t.source.resumeSupply === 'MODERATE')).to.equal(true);
    // One walk over 800 units would end at 1100 × 1.05^39 ≈ 7,400/u, beyond any ceiling: a plain BUY would refuse.
    expect(buyWalk(1100, 20, 800).lastPrice).to.be.greaterThan(7000);
    // Behind the gate: cycles of 8 tranches, the first from the ask seen (ABUNDANT), the next from
    // where buying resumes (MODERATE: two levels of 4 tranches of +5% up), never above the ceiling.
    const walk = gatedWalk(1100, 20, 800, { cycleUnits: 160, resumeAsk: 1100 * 1.05 ** 8, ceiling: 2200 });
    expect(walk.prices.slice(0, 9)).to.deep.equal([1100, 1155, 1213, 1273, 1337, 1404, 1474, 1548, 1625]);
    expect(walk.lastPrice).to.equal(2200);
    expect(body.decisions.estimatedCost).to.equal(walk.total);
    // The ceiling: the ask × 2 (the gate bounds the price), not × 1.5.
    expect(fab[0]!.guards.maxUnitPrice).to.equal(2200);
  });

  it('refuses a material no market of the system sells or makes, naming it and multi-system planning', () => {
    const e = caught(() => gatePlan(world(false)));
    expect(e.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(e.message).to.match(/Cannot produce ADVANCED_CIRCUITRY in X1-TEST/);
    expect(e.paragraph).to.match(/another system needs multi-system planning/);
  });
});
