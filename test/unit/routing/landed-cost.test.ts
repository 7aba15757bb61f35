import { expect } from 'chai';
import { MarketView } from '../../../src/market/view.js';
import type { MarketObservation } from '../../../src/plan/types.js';
import { evaluateBuy, type DecideContext } from '../../../src/planner/decide.js';
import { schedule } from '../../../src/planner/schedule.js';
import { GateGraph } from '../../../src/routing/graph.js';
import { Sector } from '../../../src/routing/sector.js';

const at = '2026-12-01T00:00:00.000Z';
const listing = (waypoint: string, x: number, y: number, goods: { exports?: string[]; exchange?: string[] }) => ({ waypoint, x, y, exports: goods.exports ?? [], imports: [], exchange: goods.exchange ?? [] });
const obs = (waypoint: string, good: string, type: MarketObservation['type'], ask: number): MarketObservation => ({ waypoint, good, type, supply: 'HIGH', purchasePrice: ask, sellPrice: Math.round(ask * 0.9), tradeVolume: 100, observedAt: at });

/** Home X1-H (market H1, gate HG) and X1-R one jump away (market R1, gate RG, 1,000 apart: cooldown 315 s). */
function world(remoteAsk: number) {
  const view = new MarketView({
    system: 'X1-H',
    listings: [listing('X1-H-H1', 0, 0, { exports: ['IRON'] }), listing('X1-H-HG', 10, 0, { exchange: ['ANTIMATTER', 'FUEL'] }), listing('X1-R-R1', 0, 0, { exports: ['IRON'] }), listing('X1-R-RG', 10, 0, { exchange: ['ANTIMATTER', 'FUEL'] })],
    observations: [obs('X1-H-H1', 'IRON', 'EXPORT', 100), obs('X1-R-R1', 'IRON', 'EXPORT', remoteAsk), obs('X1-H-HG', 'ANTIMATTER', 'EXCHANGE', 5000), obs('X1-R-RG', 'ANTIMATTER', 'EXCHANGE', 6000)],
    now: new Date(at),
  });
  const graph = new GateGraph('X1-H', [
    { system: 'X1-H', gate: 'X1-H-HG', x: 0, y: 0, position: { x: 10, y: 0 }, built: true, charted: true, connections: ['X1-R-RG'], readAt: at },
    { system: 'X1-R', gate: 'X1-R-RG', x: 1000, y: 0, position: { x: 10, y: 0 }, built: true, charted: true, connections: ['X1-H-HG'], readAt: at },
  ]);
  const sector = new Sector(graph);
  sector.attach(view);
  const ctx: DecideContext = { view, inputsOf: () => [], policy: { mode: 'prefer-buy', minSupplyToBuy: 'MODERATE', maxCredits: 1e9, maxUnitPrice: {}, reserveCredits: 0, productionTimeoutSeconds: 3600, pollSeconds: 30, flightMode: 'CRUISE' }, fuelPrice: 72, refCargo: 100, used: new Set(), sector, refSpeed: 30 };
  return { view, sector, ctx };
}

describe('routing: remote markets compete on landed cost', () => {
  it('a crossing is priced: legs to and from the gates, the jump at the origin gate\'s ask (observed), the cooldown', () => {
    const { sector } = world(50);
    const there = sector.crossing('X1-H-H1', 'X1-R-R1')!;
    expect(there.legs).to.deep.equal([{ from: 'X1-H-H1', to: 'X1-H-HG' }, { from: 'X1-R-RG', to: 'X1-R-R1' }]);
    expect(there.jumps).to.deep.equal([{ from: 'X1-H-HG', to: 'X1-R-RG', cooldownSeconds: 315, antimatter: 5000 }]);
    // The way back pays the other gate's ask: the fee is the origin's.
    expect(sector.crossing('X1-R-R1', 'X1-H-H1')!.antimatterCredits).to.equal(6000);
    expect(sector.crossing('X1-H-H1', 'X1-H-HG')).to.equal(undefined);
  });

  it('a remote ask a little lower loses to home once antimatter and time are counted; a much lower one wins', () => {
    const near = world(60);
    const cheap = evaluateBuy(near.ctx, 'IRON', 100, 'X1-H-H1');
    expect(cheap.best!.quote.waypoint).to.equal('X1-H-H1');
    expect(cheap.declined.find((d) => d.waypoint === 'X1-R-R1')!.why).to.match(/landed cost/);
    const far = world(1);
    const remote = evaluateBuy(far.ctx, 'IRON', 1000, 'X1-H-H1');
    expect(remote.best!.quote.waypoint).to.equal('X1-R-R1');
    // 10 trips there and back: 10 × (5,000 + 6,000) of antimatter at least.
    expect(remote.best!.travelCredits).to.be.at.least(110_000);
  });

  it('the schedule flies a crossing leg by leg, pays each jump and waits the reactor only between chained jumps', () => {
    const { view, sector } = world(1);
    const ship = { symbol: 'S-1', role: 'HAULER', frame: 'F', cargoCapacity: 100, fuelCapacity: 400, speed: 30, waypoint: 'X1-H-H1' };
    const [s] = schedule(view, 'CRUISE', [ship], [{ id: 't', good: 'IRON', quantity: 200, source: { kind: 'market', waypoint: 'X1-R-R1' }, destination: { kind: 'sell', waypoint: 'X1-H-H1' }, dependsOn: [], tradeVolume: 100, guards: { maxUnitPrice: 10, minSellPrice: 0 }, purchaseCredits: 200 }], undefined, sector);
    const route = s!.cost.route!;
    // Out, back, out, back: four jumps. Flights between them outlast no cooldown here (legs of 10), so each later jump waits.
    expect(route.crossings.map((c) => [c.from, c.to, c.times])).to.deep.equal([
      ['X1-H-H1', 'X1-R-R1', 2],
      ['X1-R-R1', 'X1-H-H1', 2],
    ]);
    expect(route.antimatterCredits).to.equal(2 * 5000 + 2 * 6000);
    expect(s!.cost.antimatter).to.equal(route.antimatterCredits);
    expect(route.cooldownWaitSeconds).to.be.greaterThan(0).and.at.most(3 * 315);
    expect(route.gates).to.deep.equal(['X1-H-HG', 'X1-R-RG']);
  });
});
