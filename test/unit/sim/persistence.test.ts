import { expect } from 'chai';
import { ManualClock, Universe } from '../../../src/sim/engine/index.js';
import { data, newGame, register, wp } from './helpers.js';

describe('sim engine: toJSON / fromJSON', () => {
  it('round-trips mid-flight through JSON text: the ship arrives on time, credits, cargo, markets and tokens survive', () => {
    const g = newGame({ timeScale: 10 });
    const a = register(g);
    data(a.call('purchase-cargo', { symbol: 'FUEL', units: 5 }), 201);
    data(a.call('orbit-ship'));
    const nav = data(a.call('navigate-ship', { waypointSymbol: wp('B4') }));
    const arrival = Date.parse(nav['nav']['route']['arrival']);
    g.clock.advance(4000); // 40 of 84 game seconds
    const fuelX = g.u.state.markets[wp('A1')]!.goods.find((x) => x.symbol === 'FUEL')!.x;

    const text = JSON.stringify(g.u.toJSON());
    const clock = new ManualClock(g.clock.now());
    const u2 = Universe.fromJSON(JSON.parse(text), { clock });
    const call = (operationId: string, params: Record<string, string> = {}) =>
      u2.handle({ operationId, token: a.token, params: { shipSymbol: a.ship(1), systemSymbol: 'X1-TEST', ...params }, query: {}, body: undefined });

    const mid = data(call('get-ship-nav'));
    expect(mid['status']).to.equal('IN_TRANSIT');
    expect(Date.parse(mid['route']['arrival'])).to.equal(arrival);
    expect(u2.agentForToken(a.token)).to.equal('ALPHA');
    expect(data(call('get-my-agent'))['credits']).to.equal(data(a.call('get-my-agent'))['credits']);
    expect(data(call('get-my-ship-cargo'))['units']).to.equal(5);
    expect(u2.state.markets[wp('A1')]!.goods.find((x) => x.symbol === 'FUEL')!.x).to.equal(fuelX);
    expect(u2.config.timeScale).to.equal(10);

    clock.set(arrival);
    expect(data(call('get-ship-nav'))['status']).to.equal('IN_ORBIT');
  });

  it('keeps game time continuous across a restore, also when the time scale changes', () => {
    const g = newGame({ timeScale: 10 });
    const a = register(g);
    g.clock.advance(60_000); // 600 game seconds
    const before = g.u.time.gameNow();
    const clock = new ManualClock(g.clock.now());
    const u2 = Universe.fromJSON(JSON.parse(JSON.stringify(g.u.toJSON())), { clock, config: { timeScale: 100 } });
    expect(u2.time.gameNow()).to.equal(before);
    clock.advance(1000);
    expect(u2.time.gameNow()).to.equal(before + 100_000);
    expect(a.token).to.be.a('string');
  });

  it('refuses what is not a saved state', () => {
    expect(() => Universe.fromJSON({ hello: 1 })).to.throw(/not a saved st-goods sim state/);
  });
});
