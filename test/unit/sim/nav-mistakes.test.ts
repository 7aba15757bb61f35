import { expect } from 'chai';
import { data, error, newGame, register, wp, SYS } from './helpers.js';

describe('sim engine: navigation mistakes a new player makes get the right error', () => {
  it('a short waypoint name ("B4") is an unknown waypoint (404) that names the full symbol, not another system (4202)', () => {
    const g = newGame();
    const a = register(g);
    data(a.call('orbit-ship'));
    const r = a.call('navigate-ship', { waypointSymbol: 'B4' });
    expect(r.status).to.equal(404);
    expect(error(r)).to.deep.equal({
      code: 404,
      message: `Waypoint B4 not found in system ${SYS}. Waypoint symbols include the system: ${wp('B4')}.`,
      data: { waypointSymbol: 'B4' },
    });
    expect(error(a.call('navigate-ship', { waypointSymbol: 'NONSENSE' }))).to.deep.include({ code: 404, message: `Waypoint NONSENSE not found in system ${SYS}.` });
  });

  it('a full symbol of another system is still 4202, and an unknown one in this system 404', () => {
    const g = newGame();
    const a = register(g);
    data(a.call('orbit-ship'));
    expect(error(a.call('navigate-ship', { waypointSymbol: 'X1-ELSEWHERE-A1' })).code).to.equal(4202);
    expect(error(a.call('navigate-ship', { waypointSymbol: wp('ZZ99') }))).to.deep.include({ code: 404, message: `Waypoint ${wp('ZZ99')} not found in system ${SYS}.` });
  });
});
