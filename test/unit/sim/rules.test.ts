import { expect } from 'chai';
import { SIM_ACCOUNT_TOKEN, Universe } from '../../../src/sim/engine/index.js';
import { data, error, newGame, register, testWorld, wp } from './helpers.js';

describe('sim engine: ship state machine and trading rules (MECHANICS.md §2.6, §3.2, §5)', () => {
  it('navigate while docked → 4236 with waypointSymbol', () => {
    const g = newGame();
    const a = register(g);
    const r = a.call('navigate-ship', { waypointSymbol: wp('B4') });
    expect(r.status).to.equal(400);
    expect(error(r)).to.deep.equal({
      code: 4236,
      message: `Ship action failed. Ship is not currently in orbit at ${wp('A1')}.`,
      data: { waypointSymbol: wp('A1') },
    });
  });

  it('trading or refuelling in orbit → 4244', () => {
    const g = newGame();
    const a = register(g);
    data(a.call('orbit-ship'));
    expect(error(a.call('purchase-cargo', { symbol: 'FUEL', units: 1 })).code).to.equal(4244);
    expect(error(a.call('sell-cargo', { symbol: 'FUEL', units: 1 })).code).to.equal(4244);
    expect(error(a.call('refuel-ship', {})).code).to.equal(4244);
  });

  it('any action in transit → 4214 with the flight data; orbit and dock are idempotent otherwise', () => {
    const g = newGame();
    const a = register(g);
    data(a.call('orbit-ship'));
    data(a.call('orbit-ship'));
    const nav = data(a.call('navigate-ship', { waypointSymbol: wp('B4') }));
    g.advanceGame(10);
    for (const op of ['dock-ship', 'orbit-ship']) {
      const e = error(a.call(op));
      expect(e.code).to.equal(4214);
      expect(e.data).to.deep.equal({
        departureSymbol: wp('A1'),
        destinationSymbol: wp('B4'),
        arrival: nav['nav']['route']['arrival'],
        departureTime: nav['nav']['route']['departureTime'],
        secondsToArrival: 84 - 10,
      });
      expect(e.message).to.equal(`Ship is currently in-transit from ${wp('A1')} to ${wp('B4')} and arrives in 74 seconds.`);
    }
    expect(error(a.call('navigate-ship', { waypointSymbol: wp('A1') })).code).to.equal(4214);
    expect(error(a.call('purchase-cargo', { symbol: 'IRON', units: 1 })).code).to.equal(4214);
    g.advanceGame(74);
    data(a.call('dock-ship'));
    data(a.call('dock-ship'));
  });

  it('navigate to the current waypoint → 4204; beyond the fuel → 4203 with data', () => {
    const g = newGame();
    const a = register(g);
    data(a.call('orbit-ship'));
    expect(error(a.call('navigate-ship', { waypointSymbol: wp('A1') }))).to.deep.include({ code: 4204, message: 'Navigate request failed. Ship is currently located at the destination.' });
    const e = error(a.call('navigate-ship', { waypointSymbol: wp('D7') }));
    expect(e.code).to.equal(4203);
    expect(e.data).to.deep.equal({ shipSymbol: a.ship(1), fuelRequired: 2000, fuelAvailable: 400 });
    expect(e.message).to.equal(`Navigate request failed. Ship ${a.ship(1)} requires 1600 more fuel for navigation.`);
    expect(error(a.call('navigate-ship', { waypointSymbol: 'X1-ELSEWHERE-A1' })).code).to.equal(4202);
  });

  it('units above tradeVolume → 4604 with data; buying and selling need the good listed', () => {
    const g = newGame();
    const a = register(g);
    data(a.call('orbit-ship'));
    data(a.call('navigate-ship', { waypointSymbol: wp('B4') }));
    g.advanceGame(100);
    data(a.call('dock-ship'));
    const r = a.call('purchase-cargo', { symbol: 'MACHINERY', units: 7 });
    expect(r.status).to.equal(400);
    expect(error(r)).to.deep.equal({
      code: 4604,
      message: 'Market transaction failed. Trade good MACHINERY has a limit of 6 units per transaction.',
      data: { waypointSymbol: wp('B4'), tradeSymbol: 'MACHINERY', units: 7, tradeVolume: 6 },
    });
    expect(error(a.call('purchase-cargo', { symbol: 'GOLD', units: 1 })).code).to.equal(4601);
    expect(error(a.call('sell-cargo', { symbol: 'GOLD', units: 1 })).code).to.equal(4602);
    expect(error(a.call('sell-cargo', { symbol: 'IRON', units: 1 })).code).to.equal(4218);
  });

  it('not enough credits → 4600 with data; over the cargo hold → 4217', () => {
    const g = newGame({ startingCredits: 5000 });
    const a = register(g);
    data(a.call('orbit-ship'));
    data(a.call('navigate-ship', { waypointSymbol: wp('B4') }));
    g.advanceGame(100);
    data(a.call('dock-ship'));
    const price = (data(a.call('get-market', undefined, { waypointSymbol: wp('B4') }))['tradeGoods'] as any[]).find((t) => t.symbol === 'MACHINERY').purchasePrice;
    const e = error(a.call('purchase-cargo', { symbol: 'MACHINERY', units: 6 }));
    expect(e.code).to.equal(4600);
    expect(e.data).to.deep.equal({ agentCredits: 5000, totalPrice: 6 * price, tradeSymbol: 'MACHINERY', units: 6, purchasePrice: price });
    data(a.call('purchase-cargo', { symbol: 'IRON', units: 40 }), 201);
    expect(error(a.call('purchase-cargo', { symbol: 'IRON', units: 1 })).code).to.equal(4228);
    data(a.call('sell-cargo', { symbol: 'IRON', units: 10 }), 201);
    const over = error(a.call('purchase-cargo', { symbol: 'IRON', units: 11 }));
    expect(over.code).to.equal(4217);
    expect(error(a.call('sell-cargo', { symbol: 'IRON', units: 31 }))).to.deep.include({ code: 4219 });
  });

  it('buying a ship needs one of your ships at the shipyard (4245) and the credits (4216)', () => {
    const g = newGame();
    const a = register(g);
    expect(error(a.call('purchase-ship', { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: wp('A2') })).data).to.deep.equal({ creditsAvailable: 175_000, creditsNeeded: 272_775 });
    const probe = a.ship(2);
    data(a.call('orbit-ship', undefined, { shipSymbol: probe }));
    data(a.call('navigate-ship', { waypointSymbol: wp('B4') }, { shipSymbol: probe }));
    expect(error(a.call('purchase-ship', { shipType: 'SHIP_PROBE', waypointSymbol: wp('A2') })).code).to.equal(4245);
    // the frigate at A1 is not at A2 either; bring it over (d = 0)
    data(a.call('orbit-ship'));
    data(a.call('navigate-ship', { waypointSymbol: wp('A2') }));
    g.advanceGame(16);
    const r = data(a.call('purchase-ship', { shipType: 'SHIP_PROBE', waypointSymbol: wp('A2') }), 201);
    expect(r['ship']['symbol']).to.equal(a.ship(3));
    expect(r['agent']['credits']).to.equal(175_000 - 21_000);
    expect(r['transaction']).to.deep.include({ shipType: 'SHIP_PROBE', price: 21_000, agentSymbol: 'ALPHA' });
  });

  it('transfer needs both ships at one waypoint in the same state; jettison drops cargo', () => {
    const g = newGame({ startingCredits: 1_000_000 });
    const a = register(g);
    const hauler = data(a.call('purchase-ship', { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: wp('A2') }), 201)['ship']['symbol'] as string;
    data(a.call('purchase-cargo', { symbol: 'FUEL', units: 10 }, { shipSymbol: hauler }), 201);
    expect(error(a.call('transfer-cargo', { tradeSymbol: 'FUEL', units: 5, shipSymbol: a.ship(1) }, { shipSymbol: hauler })).code).to.equal(4234);
    data(a.call('orbit-ship'));
    data(a.call('navigate-ship', { waypointSymbol: wp('A2') }));
    g.advanceGame(16);
    expect(error(a.call('transfer-cargo', { tradeSymbol: 'FUEL', units: 5, shipSymbol: a.ship(1) }, { shipSymbol: hauler })).code).to.equal(4271);
    data(a.call('dock-ship'));
    const t = data(a.call('transfer-cargo', { tradeSymbol: 'FUEL', units: 5, shipSymbol: a.ship(1) }, { shipSymbol: hauler }));
    expect(t['cargo']['units']).to.equal(5);
    expect(data(a.call('get-my-ship-cargo'))['inventory']).to.deep.equal([{ symbol: 'FUEL', name: 'Fuel', description: 'Fuel (st-goods sim).', units: 5 }]);
    expect(data(a.call('jettison', { symbol: 'FUEL', units: 5 }))['cargo']).to.deep.include({ units: 0, inventory: [] });
  });

  it('a market keeps its last 20 transactions, newest last, visible to every agent present', () => {
    const g = newGame();
    const a = register(g);
    for (let i = 1; i <= 25; i++) data(a.call('purchase-cargo', { symbol: 'FUEL', units: 1 }), 201);
    const b = register(g, 'BRAVO');
    const txs = data(b.call('get-market', undefined, { waypointSymbol: wp('A1') }))['transactions'] as any[];
    expect(txs).to.have.length(20);
    expect(txs.every((t) => t.shipSymbol === a.ship(1) && t.type === 'PURCHASE' && t.units === 1)).to.equal(true);
    expect(txs.at(-1).pricePerUnit).to.be.at.least(txs[0].pricePerUnit);
  });

  it('operations the sim does not implement answer 501, never a fake success', () => {
    const g = newGame();
    const a = register(g);
    const r = a.call('create-ship-ship-scan');
    expect(r.status).to.equal(501);
    expect(error(r).message).to.equal('st-goods sim does not implement create-ship-ship-scan (POST /my/ships/{shipSymbol}/scan/ships)');
  });

  it('bad bodies answer 422 naming the field', () => {
    const g = newGame();
    const a = register(g);
    const r = a.call('purchase-cargo', { symbol: 'FUEL', units: 0 });
    expect(r.status).to.equal(422);
    expect(error(r).data).to.have.property('units');
    expect(g.call('register', { token: SIM_ACCOUNT_TOKEN, body: { symbol: 'AB', faction: 'COSMIC' } }).status).to.equal(422);
    expect(g.call('register', { token: SIM_ACCOUNT_TOKEN, body: { symbol: 'ALPHA', faction: 'COSMIC' } }).status).to.equal(409);
    // The official spec secures /register with an account token: none is 401 4116.
    const anonymous = g.call('register', { body: { symbol: 'NOACCOUNT', faction: 'COSMIC' } });
    expect(anonymous.status).to.equal(401);
    expect((anonymous.body as { error: { code: number } }).error.code).to.equal(4116);
  });
});

describe('sim engine: auth and visibility', () => {
  it('401 without or with an unknown token; register needs none', () => {
    const g = newGame();
    const none = g.call('get-my-agent');
    expect(none.status).to.equal(401);
    expect(error(none).code).to.equal(4103);
    expect(g.call('get-my-ships', { token: 'not-a-token' }).status).to.equal(401);
    expect(g.call('get-status').status).to.equal(200);
    const a = register(g);
    expect(g.u.agentForToken(a.token)).to.equal('ALPHA');
    expect(g.u.agentForToken('nope')).to.equal(undefined);
    expect(a.token.split('.')).to.have.length(3);
    const payload = JSON.parse(Buffer.from(a.token.split('.')[1]!, 'base64url').toString());
    expect(payload).to.deep.include({ identifier: 'ALPHA', reset_date: '2026-01-01' });
  });

  it('a token from another reset is refused with 4113', () => {
    const old = newGame();
    const a = register(old);
    const g = newGame();
    g.clock.set(Date.UTC(2026, 1, 1));
    const fresh = Universe.create({ world: testWorld(), clock: g.clock });
    const r = fresh.handle({ operationId: 'get-my-agent', token: a.token, params: {}, query: {}, body: undefined });
    expect(r.status).to.equal(401);
    expect(error(r).code).to.equal(4113);
    expect(error(r).message).to.not.include(a.token);
  });

  it('an agent can neither see nor move another agent\'s ships', () => {
    const g = newGame();
    const a = register(g, 'ALPHA');
    const b = register(g, 'BRAVO');
    expect(data(b.call('get-my-ships')).map((s: any) => s.symbol)).to.deep.equal(['BRAVO-1', 'BRAVO-2']);
    expect(b.call('get-my-ship', undefined, { shipSymbol: a.ship(1) }).status).to.equal(404);
    expect(b.call('orbit-ship', undefined, { shipSymbol: a.ship(1) }).status).to.equal(404);
    expect(b.call('purchase-cargo', { symbol: 'FUEL', units: 1 }, { shipSymbol: a.ship(1) }).status).to.equal(404);
    expect(error(b.call('transfer-cargo', { tradeSymbol: 'FUEL', units: 1, shipSymbol: a.ship(1) }, { shipSymbol: b.ship(1) })).code).to.equal(4232);
    expect(data(a.call('get-ship-nav'))['status']).to.equal('DOCKED');
  });

  it('prices and transactions show only with one of your ships at the market (docked or orbiting, not in transit)', () => {
    const g = newGame();
    const a = register(g);
    const anon = data(g.call('get-market', { params: { systemSymbol: 'X1-TEST', waypointSymbol: wp('B4') } }));
    expect(anon).to.not.have.property('tradeGoods');
    expect(anon['exports'].map((t: any) => t.symbol)).to.deep.equal(['IRON', 'MACHINERY']);
    expect(data(a.call('get-market', undefined, { waypointSymbol: wp('B4') }))).to.not.have.property('tradeGoods');
    const hq = data(a.call('get-market', undefined, { waypointSymbol: wp('A1') }));
    expect(hq['tradeGoods']).to.have.length(2);
    expect(hq['transactions']).to.deep.equal([]);
    data(a.call('orbit-ship'));
    expect(data(a.call('get-market', undefined, { waypointSymbol: wp('A1') }))).to.have.property('tradeGoods');
    data(a.call('navigate-ship', { waypointSymbol: wp('B4') }));
    expect(data(a.call('get-market', undefined, { waypointSymbol: wp('B4') }))).to.not.have.property('tradeGoods');
    expect(data(a.call('get-market', undefined, { waypointSymbol: wp('A1') }))).to.not.have.property('tradeGoods');
    g.advanceGame(84);
    expect(data(a.call('get-market', undefined, { waypointSymbol: wp('B4') }))).to.have.property('tradeGoods');
    const b = register(g, 'BRAVO');
    expect(data(b.call('get-market', undefined, { waypointSymbol: wp('B4') }))).to.not.have.property('tradeGoods');
  });
});
