import { expect } from 'chai';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { envelope, parsePlan, serializePlan } from '../../../src/plan/file.js';
import type { FleetShip } from '../../../src/plan/types.js';
import { NOW, market, plan, ship, view } from './helpers.js';
import { caught } from '../../helpers/user-error.js';

const FUEL = { FUEL: ['EXCHANGE', 'MODERATE', 72, 100] } as const;

/** IRON sold at A; IRON_ORE, COPPER bought at B; SHIP_PARTS-free little world. */
const world = () =>
  view([
    market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'HIGH', 100, 60], IRON_ORE: ['IMPORT', 'LIMITED', 40, 60], COPPER: ['IMPORT', 'MODERATE', 300, 60], ...FUEL }),
    market('X1-TEST-B', 10, 0, { IRON: ['IMPORT', 'MODERATE', 150, 60], IRON_ORE: ['EXPORT', 'ABUNDANT', 35, 60], COPPER: ['EXPORT', 'HIGH', 200, 60], MACHINERY: ['IMPORT', 'MODERATE', 3000, 20], ...FUEL }),
  ]);

const holding = (s: FleetShip, cargo: Array<{ good: string; units: number }>): FleetShip => ({ ...s, cargo });

describe('planner: cargo already in the holds', () => {
  it('a hold full of other cargo gets an explicit clear task, sold at the best bid in reach, before the buy', () => {
    const fleet = [holding(ship('S-1', 'X1-TEST-A', 40), [{ good: 'COPPER', units: 40 }])];
    const body = plan(world(), 'IRON', 40, { fleet });
    const clear = body.tasks.find((t) => t.clear)!;
    expect(clear, JSON.stringify(body.tasks.map((t) => t.id))).to.exist;
    expect(clear).to.include({ id: 'clear-COPPER@S-1', good: 'COPPER', quantity: 40, ship: 'S-1' });
    expect(clear.source).to.deep.equal({ kind: 'aboard', waypoint: 'X1-TEST-A' });
    // A pays 150 (bid = ask/2), B pays 100: the best bid wins.
    expect(clear.destination).to.deep.equal({ kind: 'sell', waypoint: 'X1-TEST-A' });
    const buy = body.tasks.find((t) => t.good === 'IRON')!;
    expect(buy.quantity).to.equal(40);
    expect(body.fleet[0]!.cargo).to.deep.equal([{ good: 'COPPER', units: 40 }]);
    // It is a valid plan file.
    const p = envelope(body, { now: NOW, toolVersion: 't' });
    expect(parsePlan(serializePlan(p)).planId).to.equal(p.planId);
  });

  it('policy.clearHolds false refuses instead, naming the ship and its cargo (exit 5)', () => {
    const fleet = [holding(ship('S-1', 'X1-TEST-A', 40), [{ good: 'COPPER', units: 40 }])];
    const err = caught(() => plan(world(), 'IRON', 40, { fleet, policy: { clearHolds: false } }));
    expect(err.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(err.message).to.match(/S-1 holds 40 COPPER \(0 of 40 free\)/).and.to.match(/clearHolds/);
  });

  it('other cargo that leaves room shrinks the free hold: no clear, trips planned on what is free', () => {
    const fleet = [holding(ship('S-1', 'X1-TEST-A', 40), [{ good: 'COPPER', units: 10 }])];
    const body = plan(world(), 'IRON_ORE', 60, { fleet, deliver: { kind: 'sell', waypoint: 'X1-TEST-A' } });
    expect(body.tasks.some((t) => t.clear)).to.equal(false);
    const buy = body.tasks.filter((t) => t.good === 'IRON_ORE');
    expect(buy.flatMap((t) => t.trips)).to.deep.equal([30, 30]);
  });

  it('the target aboard counts toward it: kept in the hold, carried to a sale (recorded as "already aboard")', () => {
    const fleet = [holding(ship('S-1', 'X1-TEST-A', 40), [{ good: 'IRON', units: 25 }]), ship('S-2', 'X1-TEST-A', 40)];
    const kept = plan(world(), 'IRON', 40, { fleet });
    expect(kept.tasks.reduce((a, t) => a + t.quantity, 0)).to.equal(15);
    expect(kept.decisions.reason).to.match(/25 more already aboard \(25 on S-1\)/);
    const sold = plan(world(), 'IRON', 40, { fleet, deliver: { kind: 'sell', waypoint: 'X1-TEST-B' } });
    const carry = sold.tasks.find((t) => t.source.kind === 'aboard')!;
    expect(carry).to.include({ id: 'aboard-IRON@S-1>target', quantity: 25, ship: 'S-1' });
    expect(carry.destination).to.deep.equal({ kind: 'sell', waypoint: 'X1-TEST-B' });
    expect(sold.tasks.filter((t) => t.source.kind === 'market').reduce((a, t) => a + t.quantity, 0)).to.equal(15);
    expect(sold.decisions.reason).to.match(/25 already aboard/);
  });

  it('a bought input already aboard is carried to the factory instead of being bought (and not cleared)', () => {
    // MACHINERY ← IRON; the ship holds 40 IRON; policy.make forces the factory path.
    const v = view([
      market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'HIGH', 100, 60], ...FUEL }),
      market('X1-TEST-F', 10, 0, { MACHINERY: ['EXPORT', 'MODERATE', 1800, 20], IRON: ['IMPORT', 'LIMITED', 150, 60], ...FUEL }),
    ]);
    const fleet = [holding(ship('S-1', 'X1-TEST-A', 40), [{ good: 'IRON', units: 40 }])];
    const body = plan(v, 'MACHINERY', 20, { fleet, map: { MACHINERY: ['IRON'], IRON: ['IRON_ORE'] }, policy: { make: ['MACHINERY'] } });
    expect(body.tasks.some((t) => t.clear)).to.equal(false);
    const carry = body.tasks.find((t) => t.source.kind === 'aboard')!;
    expect(carry).to.include({ good: 'IRON', ship: 'S-1' });
    expect(carry.destination).to.include({ kind: 'feed', waypoint: 'X1-TEST-F' });
    const collect = body.tasks.find((t) => t.source.kind === 'factory')!;
    expect(collect.dependsOn).to.include(carry.id);
  });
});

describe('planner: guards resting on estimates', () => {
  it('marks a ceiling derived from estimated asks (and not one a policy cap sets), and the text says so', async () => {
    const { renderText } = await import('../../../src/plan/render.js');
    const unseen = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'HIGH', 100, 60], ...FUEL })], undefined, { observed: false });
    const body = plan(unseen, 'IRON', 20, { fleet: [ship('S-1', 'X1-TEST-A')] });
    expect(body.tasks[0]!.guards.estimated).to.equal(true);
    expect(renderText(envelope(body, { now: NOW, toolVersion: 't' }))).to.match(/from estimates: apply re-derives it from the first real ask/);
    const capped = plan(unseen, 'IRON', 20, { fleet: [ship('S-1', 'X1-TEST-A')], policy: { maxUnitPrice: { IRON: 100 } } });
    expect(capped.tasks[0]!.guards).to.deep.equal({ maxUnitPrice: 100, minSellPrice: 0 });
    const seen = plan(world(), 'IRON', 20, { fleet: [ship('S-1', 'X1-TEST-A')] });
    expect(seen.tasks[0]!.guards.estimated).to.equal(undefined);
  });
});

describe('planner: the plan\'s time', () => {
  const tree = () =>
    view([
      market('X1-TEST-F', 0, 0, { SHIP_PLATING: ['EXPORT', 'SCARCE', 2768, 6], ALUMINUM: ['IMPORT', 'LIMITED', 488, 60], MACHINERY: ['IMPORT', 'LIMITED', 6200], ...FUEL }),
      market('X1-TEST-G', 100, 0, { ALUMINUM: ['EXPORT', 'HIGH', 147, 60], ...FUEL }),
      market('X1-TEST-H', -100, 0, { MACHINERY: ['EXPORT', 'HIGH', 1826], ...FUEL }),
    ]);

  it('the makespan comes from the schedule: one ship runs its tasks one after another, so it exceeds the critical path; the text says which is the bound', async () => {
    const { renderText } = await import('../../../src/plan/render.js');
    const one = plan(tree(), 'SHIP_PLATING', 30, { fleet: [ship('S-1', 'X1-TEST-F')] });
    const e = one.estimates;
    // One ship: all of the work in a row, its requests paced by the limit (about the 0.5 s a request the tasks are priced at).
    expect(e.makespanSeconds!).to.be.closeTo(e.gameSeconds, 0.02 * e.gameSeconds);
    expect(e.makespanSeconds).to.be.above(e.criticalPathSeconds);
    const text = renderText(envelope(one, { now: NOW, toolVersion: 't' }));
    expect(text).to.match(/game time {4}~\S+ by the schedule \(each ship one task at a time\), at least \S+ \(critical path\); \S+ of ship work on 1 ship\(s\)/);
    // Two ships run the branches at once: the schedule ends sooner, never before the critical path.
    const two = plan(tree(), 'SHIP_PLATING', 30, { fleet: [ship('S-1', 'X1-TEST-F'), ship('S-2', 'X1-TEST-F')] });
    expect(two.estimates.makespanSeconds).to.be.below(e.makespanSeconds!);
    expect(two.estimates.makespanSeconds).to.be.at.least(two.estimates.criticalPathSeconds);
  });
});
