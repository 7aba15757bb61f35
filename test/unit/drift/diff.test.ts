import { expect } from 'chai';
import { driftOf, renderDrift } from '../../../src/drift/diff.js';
import { makePlan, task } from '../executor/plan-fixture.js';

const at = (h: number) => `2026-01-01T0${h}:00:00.000Z`;
const obs = (waypoint: string, good: string, ask: number, bid: number, supply: 'SCARCE' | 'LIMITED' | 'MODERATE' | 'HIGH' = 'MODERATE', h = 0, tradeVolume = 20) => ({ waypoint, good, type: 'EXCHANGE' as const, supply, purchasePrice: ask, sellPrice: bid, tradeVolume, observedAt: at(h) });

function plan() {
  const factory = { kind: 'factory' as const, waypoint: 'X1-T-F', minSupply: 'LIMITED' as const, resumeSupply: 'MODERATE' as const, pollSeconds: 30, maxPollSeconds: 120, timeoutSeconds: 3600 };
  const p = makePlan({
    fleet: ['S-1'],
    target: { good: 'WIDGET', quantity: 10, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
    tasks: [
      task({ id: 'buy-ORE', good: 'ORE', quantity: 20, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'WIDGET' } }),
      task({ id: 'make-WIDGET', good: 'WIDGET', quantity: 10, ship: 'S-1', source: factory, destination: { kind: 'sell', waypoint: 'X1-T-B' } }),
    ],
  });
  p.observations = [obs('X1-T-A', 'ORE', 100, 50), obs('X1-T-F', 'ORE', 90, 80), obs('X1-T-F', 'WIDGET', 1000, 900), obs('X1-T-B', 'WIDGET', 1500, 1400), obs('X1-T-A', 'FUEL', 72, 70)];
  return p;
}

describe('drift: what moved since the plan', () => {
  it('refuses moves against the plan beyond maxDrift.price: an ask risen where it buys, a bid fallen where it sells; favourable moves and fuel are shown only', () => {
    const p = plan();
    const r = driftOf(p, [obs('X1-T-A', 'ORE', 126, 50, 'MODERATE', 1), obs('X1-T-B', 'WIDGET', 1500, 1000, 'MODERATE', 1), obs('X1-T-F', 'ORE', 90, 120, 'MODERATE', 1), obs('X1-T-A', 'FUEL', 150, 140, 'MODERATE', 1)], undefined);
    expect(r.exceeds).to.equal(true);
    const by = (wp: string, g: string) => r.markets.find((m) => m.waypoint === wp && m.good === g)!;
    expect(by('X1-T-A', 'ORE')).to.include({ role: 'buy', askMovedPct: 26 });
    expect(by('X1-T-A', 'ORE').breach).to.match(/ask rose 26% \(100 → 126\)/);
    expect(by('X1-T-B', 'WIDGET').breach).to.match(/bid fell 28.6% \(1400 → 1000\)/);
    expect(by('X1-T-F', 'ORE').breach).to.equal(undefined); // the feed bid rose: good news
    expect(by('X1-T-A', 'FUEL')).to.include({ role: 'other' }).and.not.to.have.property('breach');
    expect(r.unseen).to.deep.equal([{ waypoint: 'X1-T-F', good: 'WIDGET', observedAt: at(0) }]);
    expect(renderDrift(r)).to.match(/✖ ORE at X1-T-A \(bought here\): ask 100 → 126 \(\+26%\)/);
  });

  it('a source whose supply fell below policy.minSupply refuses it (unless supplyBelowGate is false); a factory\'s output does not', () => {
    const p = plan();
    const fresh = [obs('X1-T-A', 'ORE', 100, 50, 'LIMITED', 1), obs('X1-T-F', 'WIDGET', 1000, 900, 'SCARCE', 1)];
    const r = driftOf(p, fresh, undefined);
    expect(r.markets.find((m) => m.good === 'ORE')!.breach).to.match(/supply fell to LIMITED, below the plan's minimum MODERATE/);
    expect(r.markets.find((m) => m.good === 'WIDGET')!.breach).to.equal(undefined);
    p.spec.policy.maxDrift = { price: 25, supplyBelowGate: false };
    expect(driftOf(p, fresh, undefined).exceeds).to.equal(false);
  });

  it('an older or equal observation is not a re-read; ships that moved, changed cargo or are gone are shown', () => {
    const p = plan();
    p.fleet[0]!.cargo = [{ good: 'ORE', units: 5 }];
    const r = driftOf(p, [obs('X1-T-A', 'ORE', 500, 50, 'MODERATE', 0)], [{ symbol: 'S-1', waypoint: 'X1-T-B', cargo: [{ good: 'ORE', units: 5 }, { good: 'GEL', units: 2 }] }]);
    expect(r.exceeds).to.equal(false);
    expect(r.markets).to.deep.equal([]);
    expect(r.ships).to.deep.equal([{ ship: 'S-1', moved: { from: 'X1-T-A', to: 'X1-T-B' }, cargo: { planned: { ORE: 5 }, now: { ORE: 5, GEL: 2 } } }]);
    expect(driftOf(p, [], []).ships).to.deep.equal([{ ship: 'S-1', missing: true }]);
  });
});
