import { expect } from 'chai';
import { data, error, newGame, register, wp } from './helpers.js';

describe('sim engine: navigation, fuel and time (MECHANICS.md §2)', () => {
  it('BURN over d=117.004 with the frigate (speed 36): 234 fuel, 56 s, lazy arrival', () => {
    const g = newGame({ timeScale: 1 });
    const a = register(g);
    data(a.call('orbit-ship'));
    // A1 (0,0) → C5 (-479,-364): d ≈ 601.6 is too far for 400 fuel in CRUISE; DRIFT costs 1.
    data(a.call('patch-ship-nav', { flightMode: 'DRIFT' }));
    data(a.call('navigate-ship', { waypointSymbol: wp('C5') }));
    g.advanceGame(100_000);
    data(a.call('patch-ship-nav', { flightMode: 'BURN' }));
    const fuelBefore = data(a.call('get-my-ship'))['fuel']['current'];
    expect(fuelBefore).to.equal(399);
    const start = g.clock.now();
    const nav = data(a.call('navigate-ship', { waypointSymbol: wp('C6') }));
    expect(nav['fuel']['consumed']['amount']).to.equal(234);
    expect(nav['fuel']['current']).to.equal(399 - 234);
    expect(Date.parse(nav['nav']['route']['arrival']) - Date.parse(nav['nav']['route']['departureTime'])).to.equal(56_000);
    expect(Date.parse(nav['nav']['route']['departureTime'])).to.equal(start);
    expect(nav['nav']['status']).to.equal('IN_TRANSIT');
    g.advanceGame(55);
    expect(data(a.call('get-ship-nav'))['status']).to.equal('IN_TRANSIT');
    g.advanceGame(1);
    const after = data(a.call('get-ship-nav'));
    expect(after['status']).to.equal('IN_ORBIT');
    expect(after['waypointSymbol']).to.equal(wp('C6'));
  });

  it('light hauler CRUISE d=100: 100 fuel, 182 s; at K=100 it arrives 1.82 real seconds later', () => {
    const g = newGame({ timeScale: 100, startingCredits: 1_000_000 });
    const a = register(g);
    // The frigate is at the HQ A1; the shipyard is its orbital A2, so move the probe... the probe starts at A2.
    const bought = data(a.call('purchase-ship', { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: wp('A2') }), 201);
    const hauler = bought['ship']['symbol'] as string;
    expect(bought['ship']['cargo']['capacity']).to.equal(80);
    expect(bought['ship']['fuel']).to.deep.include({ current: 600, capacity: 600 });
    expect(bought['ship']['engine']['speed']).to.equal(15);
    data(a.call('orbit-ship', undefined, { shipSymbol: hauler }));
    const nav = data(a.call('navigate-ship', { waypointSymbol: wp('B4') }, { shipSymbol: hauler }));
    expect(nav['fuel']['consumed']['amount']).to.equal(100);
    const route = nav['nav']['route'];
    expect(Date.parse(route['arrival']) - Date.parse(route['departureTime'])).to.equal(1820);
    g.clock.advance(1819);
    expect(data(a.call('get-ship-nav', undefined, { shipSymbol: hauler }))['status']).to.equal('IN_TRANSIT');
    g.clock.advance(1);
    expect(data(a.call('get-ship-nav', undefined, { shipSymbol: hauler }))['status']).to.equal('IN_ORBIT');
  });

  it('d = 0 between orbitals costs no fuel but takes the minimum flight', () => {
    const g = newGame();
    const a = register(g);
    data(a.call('orbit-ship'));
    const nav = data(a.call('navigate-ship', { waypointSymbol: wp('A3') }));
    expect(nav['fuel']['consumed']['amount']).to.equal(0);
    expect(nav['fuel']['current']).to.equal(400);
    const route = nav['nav']['route'];
    expect(Date.parse(route['arrival']) - Date.parse(route['departureTime'])).to.equal(16_000); // round(25/36 + 15)
  });

  it('probes fly without fuel', () => {
    const g = newGame();
    const a = register(g);
    const probe = a.ship(2);
    data(a.call('orbit-ship', undefined, { shipSymbol: probe }));
    const nav = data(a.call('navigate-ship', { waypointSymbol: wp('D7') }, { shipSymbol: probe }));
    expect(nav['fuel']).to.deep.include({ current: 0, capacity: 0 });
    expect(nav['fuel']['consumed']['amount']).to.equal(0);
  });

  it('refuel charges ceil(need/100) market units at the FUEL ask and logs them as the transaction', () => {
    const g = newGame();
    const a = register(g);
    data(a.call('orbit-ship'));
    data(a.call('navigate-ship', { waypointSymbol: wp('B4') }));
    g.advanceGame(1000);
    data(a.call('dock-ship'));
    const credits = data(a.call('get-my-agent'))['credits'];
    const r = data(a.call('refuel-ship', {}));
    expect(r['fuel']['current']).to.equal(400);
    expect(r['transaction']).to.deep.include({ tradeSymbol: 'FUEL', type: 'PURCHASE', units: 1, pricePerUnit: 72, totalPrice: 72 });
    expect(r['agent']['credits']).to.equal(credits - 72);
    const market = data(a.call('get-market', undefined, { waypointSymbol: wp('B4') }));
    expect(market['transactions'].at(-1)).to.deep.include({ tradeSymbol: 'FUEL', units: 1, shipSymbol: a.ship(1) });
    const again = data(a.call('refuel-ship', {}));
    expect(again['transaction']).to.deep.include({ units: 0, totalPrice: 0 });
    expect(again['agent']['credits']).to.equal(credits - 72);
    data(a.call('orbit-ship'));
    expect(error(a.call('refuel-ship', {})).code).to.equal(4244);
  });

  it('a faster flight mode in transit costs extra fuel and pulls arrival earlier; slower is refused (4269)', () => {
    const g = newGame();
    const a = register(g);
    data(a.call('orbit-ship'));
    const nav = data(a.call('navigate-ship', { waypointSymbol: wp('B4') }));
    const arrival = Date.parse(nav['nav']['route']['arrival']);
    expect(error(a.call('patch-ship-nav', { flightMode: 'DRIFT' })).code).to.equal(4269);
    const p = data(a.call('patch-ship-nav', { flightMode: 'BURN' }));
    expect(Date.parse(p['nav']['route']['arrival'])).to.be.lessThan(arrival);
    expect(p['fuel']['current']).to.equal(400 - 100 - 100);
  });
});
