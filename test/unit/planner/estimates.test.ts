import { expect } from 'chai';
import { BURST_REQUESTS, REQUEST_LATENCY_SECONDS, SUSTAINED_REQUESTS_PER_SECOND } from '../../../src/planner/constants.js';
import { pacedFloorSeconds, secondsPerRequest } from '../../../src/planner/schedule.js';
import { market, plan, ship, view } from './helpers.js';

const FUEL = { FUEL: ['EXCHANGE', 'MODERATE', 72, 180] } as const;
const fleetOf = (n: number, at: string, hold = 80) => Array.from({ length: n }, (_, i) => ship(`S-${String(i + 1).padStart(2, '0')}`, at, hold));
const deep = () =>
  view([
    market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'ABUNDANT', 85, 200], ...FUEL }),
    market('X1-TEST-B', 40, 0, { IRON: ['IMPORT', 'LIMITED', 300, 200], ...FUEL }),
  ]);

describe('planner: estimates that hold (requests paced in the server\'s game time)', () => {
  it('a paced request costs the sustained rate\'s spacing scaled to game time; without a limit, its latency', () => {
    expect(secondsPerRequest({ timeScale: 300, rateLimited: true })).to.equal(300 / SUSTAINED_REQUESTS_PER_SECOND);
    expect(secondsPerRequest({ timeScale: 1, rateLimited: true })).to.equal(0.5);
    expect(secondsPerRequest({ timeScale: 300, rateLimited: false })).to.equal(REQUEST_LATENCY_SECONDS * 300);
    expect(pacedFloorSeconds(BURST_REQUESTS, { timeScale: 300, rateLimited: true })).to.equal(0);
    expect(pacedFloorSeconds(BURST_REQUESTS + 25, { timeScale: 300, rateLimited: true })).to.equal(3000);
    expect(pacedFloorSeconds(500, { timeScale: 300, rateLimited: false })).to.equal(0);
  });

  it('at time scale 300 the makespan counts the requests (and is at least the shared limit\'s floor); the critical path stays below it', () => {
    const fast = plan(deep(), 'IRON', 960, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: fleetOf(8, 'X1-TEST-A') });
    const paced = plan(deep(), 'IRON', 960, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: fleetOf(8, 'X1-TEST-A'), server: { timeScale: 300, rateLimited: true } });
    const p = paced.estimates.pacing!;
    expect(p).to.include({ timeScale: 300, rateLimited: true, secondsPerRequest: 120 });
    expect(p.requestFloorSeconds).to.equal(pacedFloorSeconds(paced.estimates.apiRequests, { timeScale: 300, rateLimited: true }));
    expect(paced.estimates.makespanSeconds!).to.be.at.least(p.requestFloorSeconds);
    // Eight ships share the limit: the others' requests interleave with each ship's own, which the
    // replay of the schedule against the limit counts (pacing-replay.ts).
    expect(p.contentionSeconds).to.be.greaterThan(0);
    const one = plan(deep(), 'IRON', 960, { deliver: { kind: 'sell', waypoint: 'X1-TEST-B' }, fleet: fleetOf(1, 'X1-TEST-A'), server: { timeScale: 300, rateLimited: true } });
    // Under the limit, more ships save little: the requests, not the flights, take the time.
    expect(paced.estimates.makespanSeconds!).to.be.greaterThan(0.5 * one.estimates.makespanSeconds!);
    expect(paced.estimates.makespanSeconds!).to.be.greaterThan(10 * fast.estimates.makespanSeconds!);
    expect(paced.estimates.criticalPathSeconds).to.be.at.most(paced.estimates.makespanSeconds!);
    expect(fast.estimates.pacing).to.equal(undefined);
  });

  it('under the limit a small extra hold that adds trips is left idle when the replay says the run ends sooner without it', () => {
    // Two feeds of 80 (ALUMINUM, MACHINERY) then the collect: the frigate (40) would carry one feed
    // in two trips, two more stays whose requests every ship waits for under the limit; the hauler
    // (80) carries both in one trip each, one after the other.
    const v = view([
      market('X1-TEST-F', 0, 0, { SHIP_PLATING: ['EXPORT', 'MODERATE', 2768, 20], ALUMINUM: ['IMPORT', 'LIMITED', 488, 80], MACHINERY: ['IMPORT', 'LIMITED', 6200, 80], ...FUEL }),
      market('X1-TEST-G', 20, 0, { ALUMINUM: ['EXPORT', 'HIGH', 147, 80], MACHINERY: ['EXPORT', 'HIGH', 1826, 80], ...FUEL }),
    ]);
    const fleet = [ship('S-1', 'X1-TEST-F', 80, 15), ship('S-2', 'X1-TEST-F', 40, 15)];
    const opts = { fleet, credits: 50_000_000, policy: { make: ['SHIP_PLATING'], maxCredits: 50_000_000 } };
    const limited = plan(v, 'SHIP_PLATING', 80, { ...opts, server: { timeScale: 300, rateLimited: true } });
    const free = plan(v, 'SHIP_PLATING', 80, { ...opts, server: { timeScale: 300, rateLimited: false } });
    expect(new Set(limited.tasks.map((t) => t.ship))).to.deep.equal(new Set(['S-1']));
    // Without a limit the frigate's extra trips cost only flights: both ships carry.
    expect(new Set(free.tasks.map((t) => t.ship))).to.deep.equal(new Set(['S-1', 'S-2']));
    expect(free.estimates.apiRequests).to.be.above(limited.estimates.apiRequests);
  });

  it('production waits use the server\'s production step when it says (the simulator)', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { ADVANCED_CIRCUITRY: ['EXPORT', 'SCARCE', 4000, 10], ELECTRONICS: ['IMPORT', 'LIMITED', 2600], MICROPROCESSORS: ['IMPORT', 'LIMITED', 2800], ...FUEL }),
      market('X1-TEST-B', 30, 40, { ELECTRONICS: ['EXPORT', 'HIGH', 1200, 60], MICROPROCESSORS: ['EXPORT', 'HIGH', 1300, 60], ...FUEL }),
    ]);
    const opts = { fleet: fleetOf(2, 'X1-TEST-A', 40), credits: 50_000_000, policy: { make: ['ADVANCED_CIRCUITRY'], maxCredits: 50_000_000 } };
    const base = plan(v, 'ADVANCED_CIRCUITRY', 20, { ...opts, server: { timeScale: 1, rateLimited: false } });
    const slow = plan(v, 'ADVANCED_CIRCUITRY', 20, { ...opts, server: { timeScale: 1, rateLimited: false, productionStepMinutes: { default: 24, byGood: { ADVANCED_CIRCUITRY: 48 } } } });
    const wait = (b: typeof base) => b.tasks.find((t) => t.source.kind === 'factory')!.estimate.gameSeconds;
    expect(wait(slow) - wait(base)).to.be.greaterThan(20 * 60);
    expect(slow.estimates.pacing!.productionStepMinutes).to.equal(24);
  });
});
