import { expect } from 'chai';
import { feedQuantity } from '../../../src/planner/decide.js';
import { market, plan, ship, view } from './helpers.js';

const FUEL = { FUEL: ['EXCHANGE', 'MODERATE', 72, 180] } as const;
const trips = (body: ReturnType<typeof plan>): number => body.tasks.reduce((a, t) => a + t.trips.length, 0);
const fleetOf = (n: number, at: string, hold = 80) => Array.from({ length: n }, (_, i) => ship(`S-${String(i + 1).padStart(2, '0')}`, at, hold));

/** A cheap, deep FUEL-like good at A, sold into B nearby. */
const deep = () =>
  view([
    market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'ABUNDANT', 85, 200], ...FUEL }),
    market('X1-TEST-B', 40, 0, { IRON: ['IMPORT', 'LIMITED', 300, 200], ...FUEL }),
    market('X1-TEST-C', 400, 0, { ...FUEL }),
  ]);

describe('planner: plans that use the fleet', () => {
  it('splits a purchase into hold-loads: 960 units on 8 holds of 80 is 12 trips, on every ship', () => {
    const body = plan(deep(), 'IRON', 960, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: fleetOf(8, 'X1-TEST-A') });
    expect(trips(body)).to.equal(12);
    expect(body.tasks.reduce((a, t) => a + t.quantity, 0)).to.equal(960);
    expect(new Set(body.tasks.map((t) => t.ship)).size).to.equal(8);
    for (const t of body.tasks) {
      expect(t.trips.every((u) => u === 80), `${t.id} ${t.trips}`).to.equal(true);
      expect(t.trips.reduce((a, u) => a + u, 0)).to.equal(t.quantity);
    }
    expect(body.decisions.taskIds).to.have.members(body.tasks.map((t) => t.id));
    // Two rounds of loads, not the one-ship sum.
    const one = plan(deep(), 'IRON', 960, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: fleetOf(1, 'X1-TEST-A') });
    expect(one.tasks).to.have.length(1);
    expect(one.tasks[0]!.trips).to.have.length(12);
    expect(body.estimates.makespanSeconds!).to.be.below(one.estimates.makespanSeconds! / 4);
  });

  it('gives loads by capacity: a big hold takes a full load, a small one the rest, no extra trips', () => {
    const body = plan(deep(), 'IRON', 120, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: [ship('BIG', 'X1-TEST-A', 80), ship('SMALL', 'X1-TEST-A', 40)] });
    expect(trips(body)).to.equal(2);
    expect(Object.fromEntries(body.tasks.map((t) => [t.ship, t.quantity]))).to.deep.equal({ BIG: 80, SMALL: 40 });
  });

  it('gives loads by position: a one-load buy goes to the ship near the market, not the one far away', () => {
    const body = plan(deep(), 'IRON', 60, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: [ship('AFAR', 'X1-TEST-C', 80), ship('NEAR', 'X1-TEST-A', 80)] });
    expect(body.tasks.map((t) => t.ship)).to.deep.equal(['NEAR']);
  });

  it('splits a factory collect over ships when carrying is the bottleneck; what depends on it depends on every part', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { ADVANCED_CIRCUITRY: ['EXPORT', 'HIGH', 4000, 10], ELECTRONICS: ['IMPORT', 'LIMITED', 2600], MICROPROCESSORS: ['IMPORT', 'LIMITED', 2800], ...FUEL }),
      market('X1-TEST-B', 300, 400, { ELECTRONICS: ['EXPORT', 'HIGH', 1200, 60], MICROPROCESSORS: ['EXPORT', 'HIGH', 1300, 60], ADVANCED_CIRCUITRY: ['IMPORT', 'LIMITED', 9000, 10], ...FUEL }),
    ]);
    const body = plan(v, 'ADVANCED_CIRCUITRY', 160, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: fleetOf(4, 'X1-TEST-A', 40), credits: 50_000_000, policy: { make: ['ADVANCED_CIRCUITRY'], maxCredits: 50_000_000 } });
    const collects = body.tasks.filter((t) => t.source.kind === 'factory');
    expect(collects.length).to.be.greaterThan(1);
    expect(new Set(collects.map((t) => t.ship)).size).to.equal(collects.length);
    expect(collects.reduce((a, t) => a + t.quantity, 0)).to.equal(160);
    const feeds = body.tasks.filter((t) => t.destination.kind === 'feed');
    for (const c of collects) expect(c.dependsOn).to.have.members(feeds.map((f) => f.id));
    expect(body.decisions.taskIds).to.have.members(collects.map((t) => t.id));
  });

  it('feeds are sized to the quantity wanted, with no fixed cap', () => {
    expect(feedQuantity(10)).to.equal(25);
    expect(feedQuantity(80)).to.equal(80);
    expect(feedQuantity(400)).to.equal(400);
  });
});

describe('planner: a purchase split over markets', () => {
  const machinery = () =>
    view([
      market('X1-TEST-A', 0, 0, { MACHINERY: ['EXPORT', 'HIGH', 1000, 10], ...FUEL }),
      market('X1-TEST-B', 10, 0, { MACHINERY: ['EXPORT', 'HIGH', 1010, 10], ...FUEL }),
      market('X1-TEST-C', 20, 0, { MACHINERY: ['EXPORT', 'HIGH', 1020, 10], ...FUEL }),
      market('X1-TEST-D', 30, 0, { MACHINERY: ['EXPORT', 'HIGH', 1030, 10], ...FUEL }),
      market('X1-TEST-E', 40, 0, { MACHINERY: ['IMPORT', 'LIMITED', 3000, 10], ...FUEL }),
    ]);

  it('one market would walk past the ceiling: the quantity is split over several, each under it', () => {
    const body = plan(machinery(), 'MACHINERY', 200, { deliver: { kind: 'sell', waypoint: 'X1-TEST-E' }, fleet: fleetOf(4, 'X1-TEST-A'), credits: 5_000_000 });
    const sources = new Map<string, number>();
    for (const t of body.tasks) if (t.source.kind === 'market') sources.set(t.source.waypoint, (sources.get(t.source.waypoint) ?? 0) + t.quantity);
    expect(sources.size).to.be.greaterThan(1);
    expect([...sources.values()].reduce((a, u) => a + u, 0)).to.equal(200);
    expect(body.decisions.action).to.equal('BUY');
    expect(body.decisions.reason).to.match(/split over \d markets/);
    expect(body.decisions.taskIds).to.have.members(body.tasks.map((t) => t.id));
    // Each share stays under the ceiling at its market (the guard apply re-checks).
    const ceiling = body.tasks[0]!.guards.maxUnitPrice;
    for (const [wp, units] of sources) {
      const ask = { 'X1-TEST-A': 1000, 'X1-TEST-B': 1010, 'X1-TEST-C': 1020, 'X1-TEST-D': 1030 }[wp]!;
      expect(ask * (1 + 0.05) ** Math.ceil(units / 10 - 1)).to.be.at.most(ceiling + 1);
    }
  });

  it('still refuses when even all markets together cannot sell it under the ceiling', () => {
    expect(() => plan(machinery(), 'MACHINERY', 2000, { deliver: { kind: 'sell', waypoint: 'X1-TEST-E' }, fleet: fleetOf(4, 'X1-TEST-A'), credits: 50_000_000 })).to.throw(/above the ceiling/);
  });
});
