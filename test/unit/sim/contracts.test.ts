import { expect } from 'chai';
import { data, error, newGame, register, tradeGood } from './helpers.js';
import { miningGame } from './mining-world.js';

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

describe('sim engine: the contract lifecycle (BEYOND.md c.1)', () => {
  it('negotiate: docked (4244), one open contract at a time (4511); accept pays onAccepted; deliver 4510 / 4508 / 4509; fulfill pays onFulfilled and raises the destination\'s supply', () => {
    const g = miningGame();
    const { a } = g;
    data(a.call('orbit-ship'));
    expect(error(a.call('negotiateContract')).code).to.equal(4244);
    data(a.call('dock-ship'));
    const starter = data(a.call('get-contracts'))[0];
    expect(error(a.call('negotiateContract'))).to.deep.include({ code: 4511 });
    // The starter offer lapses after its deadline to accept: it no longer blocks a negotiation.
    g.clock.set(Date.parse(starter.deadlineToAccept) + 1);
    const offered = data(a.call('negotiateContract'), 201)['contract'];
    expect(offered).to.deep.include({ type: 'PROCUREMENT', accepted: false, fulfilled: false, factionSymbol: 'COSMIC' });
    expect(error(a.call('negotiateContract')).code).to.equal(4511);
    expect(error(a.call('accept-contract', undefined, { contractId: starter.id })).code).to.equal(4503);
    const term = offered.terms.deliver[0];
    // The negotiated good is imported at its destination and sold at another market.
    const sold = g.u.world.markets.filter((m) => m.symbol !== term.destinationSymbol && m.goods.some((x) => x.symbol === term.tradeSymbol && x.type !== 'IMPORT'));
    expect(sold, `${term.tradeSymbol} is sold somewhere`).to.not.be.empty;
    const cid = { contractId: offered.id };
    const c0 = data(a.call('get-my-agent'))['credits'];
    expect(data(a.call('accept-contract', undefined, cid))['agent']['credits']).to.equal(c0 + offered.terms.payment.onAccepted);

    // Buy the goods where they are sold, try the wrong places and goods, deliver at the destination.
    const source = sold[0]!.symbol;
    const deliver = (units: number) => a.call('deliver-contract', { shipSymbol: a.ship(1), tradeSymbol: term.tradeSymbol, units }, cid);
    let remaining = term.unitsRequired as number;
    let trip = 0;
    while (remaining > 0) {
      g.fly(a.ship(1), source);
      data(a.call('dock-ship'));
      const tv = tradeGood(a, source, term.tradeSymbol)['tradeVolume'] as number;
      const load = Math.min(40, remaining + 1);
      for (let bought = 0; bought < load; ) {
        const n = Math.min(tv, load - bought);
        data(a.call('purchase-cargo', { symbol: term.tradeSymbol, units: n }), 201);
        bought += n;
      }
      if (trip++ === 0) expect(error(deliver(1)).code).to.equal(4510);
      g.fly(a.ship(1), term.destinationSymbol);
      data(a.call('dock-ship'));
      expect(error(a.call('deliver-contract', { shipSymbol: a.ship(1), tradeSymbol: 'FUEL', units: 1 }, cid)).code).to.equal(4508);
      if (load > remaining) expect(error(deliver(load)).code).to.equal(4509);
      const n = Math.min(load, remaining);
      expect(data(deliver(n))['contract']['terms']['deliver'][0]['unitsFulfilled']).to.equal(term.unitsRequired - remaining + n);
      remaining -= n;
      g.ship(a.ship(1)).cargo = {};
    }
    const good = () => g.u.market(term.destinationSymbol)!.goods.find((x) => x.symbol === term.tradeSymbol)!;
    const x0 = good().x;
    const c1 = data(a.call('get-my-agent'))['credits'];
    const done = data(a.call('fulfill-contract', undefined, cid));
    expect(done['agent']['credits']).to.equal(c1 + offered.terms.payment.onFulfilled);
    expect(good().x - x0).to.be.closeTo((0.5 * term.unitsRequired) / good().tradeVolume, 1e-9);
    expect(error(a.call('fulfill-contract', undefined, cid)).code).to.equal(4504);
    // Fulfilled: the agent may negotiate again.
    data(a.call('negotiateContract'), 201);
  });

  it('deadlines: an accepted contract past its deadline refuses deliveries and fulfilment (4503) and no longer blocks negotiation', () => {
    const g = miningGame();
    const { a } = g;
    const c = data(a.call('get-contracts'))[0];
    data(a.call('accept-contract', undefined, { contractId: c.id }));
    expect(error(a.call('negotiateContract')).code).to.equal(4511);
    g.clock.set(Date.parse(c.terms.deadline) + 1);
    expect(error(a.call('deliver-contract', { shipSymbol: a.ship(1), tradeSymbol: c.terms.deliver[0].tradeSymbol, units: 1 }, { contractId: c.id })).code).to.equal(4503);
    expect(error(a.call('fulfill-contract', undefined, { contractId: c.id })).code).to.equal(4503);
    data(a.call('negotiateContract'), 201);
  });
});
