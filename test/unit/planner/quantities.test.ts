import { expect } from 'chai';
import { UserError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { CEILING_MARGIN, PRICE_STEP_PER_TRANCHE, REQUEST_LATENCY_SECONDS } from '../../../src/planner/constants.js';
import { buyWalk, median, sellWalk, splitTranches, splitTrips } from '../../../src/planner/pricing.js';
import { pollCount, secondsPerRequest } from '../../../src/planner/schedule.js';
import { market, plan, ship, view } from './helpers.js';

const FUEL = { FUEL: ['EXCHANGE', 'MODERATE', 72, 180] } as const;

describe('planner: tranches, trips, guards and budget', () => {
  it('splits purchases into tradeVolume tranches and trips into hold-sized loads', () => {
    expect(splitTranches(130, 60)).to.deep.equal([60, 60, 10]);
    expect(splitTranches(6, 6)).to.deep.equal([6]);
    expect(splitTrips(130, 40)).to.deep.equal([40, 40, 40, 10]);
    expect(splitTrips(0, 40)).to.deep.equal([]);
    expect(() => splitTrips(10, 0)).to.throw(/cargo/);
  });

  it('counts the polls of a factory wait with apply\'s backoff', () => {
    // Looks at t = 0, 30, 75, 142.5, 243.8, 395.6, 623.4, 965.1, 1477.7, 2077.7, 2677.7 (the
    // interval 30, 45, 67.5, … grows ×1.5 to 512.6, then stays at 600): 11 looks in 2880 s.
    expect(pollCount(2880, 30, 600)).to.equal(11);
    expect(pollCount(60, 60, 60)).to.equal(1);
    expect(pollCount(0, 30, 600)).to.equal(0);
  });

  it('walks the ask up by a documented step per tranche, one price per call', () => {
    const walk = buyWalk(100, 20, 50);
    expect(walk.tranches).to.deep.equal([20, 20, 10]);
    expect(walk.prices).to.deep.equal([100, Math.round(100 * (1 + PRICE_STEP_PER_TRANCHE)), Math.round(100 * (1 + PRICE_STEP_PER_TRANCHE) ** 2)]);
    expect(walk.total).to.equal(20 * 100 + 20 * 105 + 10 * 110);
    const sell = sellWalk(100, 20, 40);
    expect(sell.prices[1]).to.be.below(sell.prices[0]!);
  });

  it('a task moves its quantity in trips no larger than its ship hold, with tradeVolume from the source', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'ABUNDANT', 85, 60], ...FUEL }), market('X1-TEST-B', 50, 0, { IRON: ['IMPORT', 'LIMITED', 300, 60], ...FUEL })]);
    const body = plan(v, 'IRON', 130, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: [ship('S-1', 'X1-TEST-A', 40)] });
    expect(body.tasks).to.have.length(1);
    const t = body.tasks[0]!;
    expect(t.trips).to.deep.equal([40, 40, 40, 10]);
    expect(t.tradeVolume).to.equal(60);
    expect(t.destination).to.deep.equal({ kind: 'sell', waypoint: 'X1-TEST-B' });
    expect(t.estimate.fuel).to.be.greaterThan(0);
  });

  it('a purchase needing several hold-loads is split into parts that run on several ships in parallel', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'ABUNDANT', 85, 60], ...FUEL }), market('X1-TEST-B', 50, 0, { IRON: ['IMPORT', 'LIMITED', 300, 60], ...FUEL })]);
    const body = plan(v, 'IRON', 161, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: [ship('S-1', 'X1-TEST-A', 40), ship('S-2', 'X1-TEST-A', 40)] });
    expect(body.tasks.map((t) => t.quantity)).to.deep.equal([81, 80]);
    expect(body.tasks.map((t) => t.ship).sort()).to.deep.equal(['S-1', 'S-2']);
    expect(body.tasks.reduce((a, t) => a + t.quantity, 0)).to.equal(161);
    expect(body.estimates.criticalPathSeconds).to.be.below(body.estimates.gameSeconds);
    expect(body.decisions.taskIds).to.deep.equal(body.tasks.map((t) => t.id));
  });

  it('a leg longer than the tank allows is estimated in DRIFT, so a ship that can cruise it is preferred', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'ABUNDANT', 85, 60], ...FUEL }), market('X1-TEST-B', 700, 0, { IRON: ['IMPORT', 'LIMITED', 300, 60], ...FUEL })]);
    const small = { ...ship('S-1', 'X1-TEST-A', 40), fuelCapacity: 400 };
    const big = { ...ship('S-2', 'X1-TEST-A', 40), fuelCapacity: 800 };
    const only = plan(v, 'IRON', 40, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: [small] });
    expect(only.tasks[0]!.estimate.fuel).to.equal(1); // drifted, 1 fuel
    expect(only.tasks[0]!.estimate.gameSeconds).to.be.greaterThan(4000);
    const both = plan(v, 'IRON', 40, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: [small, big] });
    expect(both.tasks[0]!.ship).to.equal('S-2');
    expect(both.tasks[0]!.estimate.fuel).to.equal(700);
  });

  it('refuses to sell the target where it is not traded, naming the markets that do', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'ABUNDANT', 85, 60], ...FUEL }), market('X1-TEST-B', 50, 0, { IRON: ['IMPORT', 'LIMITED', 300, 60], ...FUEL })]);
    const err = (() => {
      try {
        plan(v, 'IRON', 10, { deliver: { kind: 'sell', waypoint: 'X1-TEST-C' } });
      } catch (e) {
        return e as UserError;
      }
    })();
    expect(err?.exitCode).to.equal(ExitCode.INVALID_INPUT);
    expect(err?.message).to.match(/not a market of X1-TEST/);
    expect(err?.paragraph).to.match(/X1-TEST-A, X1-TEST-B/);
  });

  it('a target kept in holds is split over ships, each part fitting one hold', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'ABUNDANT', 85, 60], ...FUEL })]);
    const body = plan(v, 'IRON', 100, { fleet: [ship('S-1', 'X1-TEST-A', 40), ship('S-2', 'X1-TEST-A', 80)] });
    const parts = body.tasks.map((t) => [t.ship, t.quantity, t.trips.length]);
    // The largest hold takes the first part; each part is one trip, its ship pinned.
    expect(parts).to.deep.equal([
      ['S-2', 80, 1],
      ['S-1', 20, 1],
    ]);
  });

  it('assigns independent branches to different ships and the collect after its feeds', () => {
    const v = view([
      market('X1-TEST-F', 0, 0, { SHIP_PLATING: ['EXPORT', 'SCARCE', 2768, 6], ALUMINUM: ['IMPORT', 'LIMITED', 488, 60], MACHINERY: ['IMPORT', 'LIMITED', 6200], ...FUEL }),
      market('X1-TEST-G', 100, 0, { ALUMINUM: ['EXPORT', 'HIGH', 147, 60], ...FUEL }),
      market('X1-TEST-H', -100, 0, { MACHINERY: ['EXPORT', 'HIGH', 1826], ...FUEL }),
    ]);
    const body = plan(v, 'SHIP_PLATING', 30, { fleet: [ship('S-1', 'X1-TEST-F'), ship('S-2', 'X1-TEST-F')] });
    const al = body.tasks.find((t) => t.good === 'ALUMINUM')!;
    const ma = body.tasks.find((t) => t.good === 'MACHINERY')!;
    const collect = body.tasks.find((t) => t.good === 'SHIP_PLATING')!;
    expect(al.ship).to.not.equal(ma.ship);
    expect(collect.dependsOn).to.have.members([al.id, ma.id]);
    // Parallel branches: the critical path is shorter than the sum of all task times.
    expect(body.estimates.criticalPathSeconds).to.be.below(body.estimates.gameSeconds);
    // Each task's requests at their latency alone (the bound), not at the paced 0.5 s of its estimate.
    const unpaced = (t: typeof al): number => t.estimate.gameSeconds - t.estimate.requests * (secondsPerRequest() - REQUEST_LATENCY_SECONDS);
    expect(body.estimates.criticalPathSeconds).to.be.closeTo(Math.max(unpaced(al), unpaced(ma)) + unpaced(collect), 2);
  });

  it('price ceilings come from the median of eligible markets, capped by the policy, not from any purchase history', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'HIGH', 100, 60], ...FUEL }),
      market('X1-TEST-B', 1, 0, { IRON: ['EXPORT', 'HIGH', 120, 60], ...FUEL }),
      market('X1-TEST-C', 2, 0, { IRON: ['EXCHANGE', 'HIGH', 200, 60], ...FUEL }),
      market('X1-TEST-D', 3, 0, { IRON: ['EXPORT', 'SCARCE', 20, 60], ...FUEL }), // ineligible: not in the median
    ]);
    const body = plan(v, 'IRON', 20);
    expect(median([100, 120, 200])).to.equal(120);
    expect(body.tasks[0]!.guards.maxUnitPrice).to.equal(Math.round(120 * CEILING_MARGIN));
    const capped = plan(v, 'IRON', 20, { policy: { maxUnitPrice: { IRON: 150 } } });
    expect(capped.tasks[0]!.guards.maxUnitPrice).to.equal(150);
    expect(capped.decisions.declined.find((d) => d.waypoint === 'X1-TEST-C')?.why).to.match(/above policy maxUnitPrice 150/);
  });

  it('declines a market whose price walk would pass the ceiling', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { SHIP_PARTS: ['EXPORT', 'HIGH', 2870, 6], ...FUEL }),
      market('X1-TEST-B', 10, 0, { SHIP_PARTS: ['IMPORT', 'LIMITED', 15000, 6], ...FUEL }),
    ]);
    const err = (() => {
      try {
        plan(v, 'SHIP_PARTS', 120, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, credits: 10_000_000, policy: { maxCredits: 10_000_000 } });
      } catch (e) {
        return e as UserError;
      }
      return undefined;
    })();
    expect(err?.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(err?.message).to.match(/walks the ask from 2,870/);
  });

  it('feeding tasks carry a sell floor from the factory bid', () => {
    const v = view([
      market('X1-TEST-F', 0, 0, { IRON: ['EXPORT', 'SCARCE', 85, 60], IRON_ORE: ['IMPORT', 'LIMITED', 120, 60], ...FUEL }),
      market('X1-TEST-G', 10, 0, { IRON_ORE: ['EXPORT', 'HIGH', 35, 60], ...FUEL }),
    ]);
    const body = plan(v, 'IRON', 40);
    const feed = body.tasks.find((t) => t.destination.kind === 'feed')!;
    expect(feed.guards.minSellPrice).to.equal(Math.round(60 * 0.6));
  });

  it('refuses a plan the budget cannot cover, naming the numbers (maxCredits, credits − reserve)', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'HIGH', 100, 60], ...FUEL })]);
    const byMax = (() => {
      try {
        plan(v, 'IRON', 60, { policy: { maxCredits: 1000 } });
      } catch (e) {
        return e as UserError;
      }
    })();
    expect(byMax?.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(byMax?.message).to.match(/needs about 6,\d{3} credits/).and.to.match(/maxCredits 1,000/);
    const byReserve = (() => {
      try {
        plan(v, 'IRON', 60, { credits: 12_000, policy: { reserveCredits: 10_000 } });
      } catch (e) {
        return e as UserError;
      }
    })();
    expect(byReserve?.message).to.match(/allows 2,000/).and.to.match(/reserveCredits 10,000/);
    expect(() => plan(v, 'IRON', 60, { credits: 20_000, policy: { reserveCredits: 10_000 } })).to.not.throw();
  });
});
