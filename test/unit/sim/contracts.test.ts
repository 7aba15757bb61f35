import { expect } from 'chai';
import { data, error, newGame, register, tradeGood } from './helpers.js';

describe('sim engine: the starter contract', () => {
  it('accept pays onAccepted; deliver at the destination; fulfill pays onFulfilled', () => {
    const g = newGame({ startingCredits: 1_000_000 });
    const a = register(g);
    const contracts = data(a.call('get-contracts'));
    expect(contracts).to.have.length(1);
    const c = contracts[0];
    expect(c).to.deep.include({ type: 'PROCUREMENT', accepted: false, fulfilled: false });
    const term = c.terms.deliver[0];
    const cid = { contractId: c.id };
    expect(error(a.call('deliver-contract', { shipSymbol: a.ship(1), tradeSymbol: term.tradeSymbol, units: 1 }, cid)).code).to.equal(4505);

    const credits0 = data(a.call('get-my-agent'))['credits'];
    const accepted = data(a.call('accept-contract', undefined, cid));
    expect(accepted['contract']['accepted']).to.equal(true);
    expect(accepted['agent']['credits']).to.equal(credits0 + c.terms.payment.onAccepted);
    expect(error(a.call('accept-contract', undefined, cid)).code).to.equal(4501);
    expect(error(a.call('fulfill-contract', undefined, cid)).code).to.equal(4502);

    // Fly to the destination (it lists the good, so it can be bought there) and deliver in loads.
    data(a.call('orbit-ship'));
    if (term.destinationSymbol !== 'X1-TEST-A1') {
      data(a.call('navigate-ship', { waypointSymbol: term.destinationSymbol }));
      g.advanceGame(10_000);
    }
    data(a.call('dock-ship'));
    const tv = tradeGood(a, term.destinationSymbol, term.tradeSymbol)['tradeVolume'] as number;
    let left = term.unitsRequired as number;
    while (left > 0) {
      const n = Math.min(left, tv, 40);
      data(a.call('purchase-cargo', { symbol: term.tradeSymbol, units: n }), 201);
      const d = data(a.call('deliver-contract', { shipSymbol: a.ship(1), tradeSymbol: term.tradeSymbol, units: n }, cid));
      expect(d['cargo']['units']).to.equal(0);
      left -= n;
    }
    const before = data(a.call('get-my-agent'))['credits'];
    const done = data(a.call('fulfill-contract', undefined, cid));
    expect(done['contract']).to.deep.include({ fulfilled: true });
    expect(done['agent']['credits']).to.equal(before + c.terms.payment.onFulfilled);
    const other = register(g, 'BRAVO');
    expect(other.call('get-contract', undefined, cid).status).to.equal(404);
  });

  it('lists the factions', () => {
    const g = newGame();
    expect(data(g.call('get-faction', { params: { factionSymbol: 'cosmic' } }))['symbol']).to.equal('COSMIC');
    expect(g.call('get-faction', { params: { factionSymbol: 'NOPE' } }).status).to.equal(404);
  });
});
