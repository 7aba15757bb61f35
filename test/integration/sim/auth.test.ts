import { expect } from 'chai';
import { useSim, type RegisteredAgent } from '../../helpers/sim.js';
import { checked } from './spec-check.js';

/** Authentication and isolation over HTTP: agent B can neither see nor move agent A's ships. */
describe('sim: auth isolation over HTTP', () => {
  const sim = useSim({ timeScale: 1000 });
  let b: RegisteredAgent;
  let aShip: any;

  before(async () => {
    b = await sim().register();
    aShip = (sim().registered.data.ships as any[])[0];
  });

  it('answers 401 without a token or with an unknown one', async () => {
    const api = checked(sim());
    const none = await api('GET', '/my/agent', undefined, null);
    expect(none.status).to.equal(401);
    const forged = await api('GET', '/my/agent', undefined, 'not-a-real-token');
    expect(forged.status).to.equal(401);
    const other = await api('GET', `/my/ships/${aShip.symbol}`, undefined, null);
    expect(other.status).to.equal(401);
  });

  it('gives each token its own agent', async () => {
    const api = checked(sim());
    const a = await api('GET', '/my/agent');
    const bAgent = await api('GET', '/my/agent', undefined, b.token);
    expect(a.body.data.symbol).to.equal(sim().agentSymbol);
    expect(bAgent.body.data.symbol).to.equal(b.agentSymbol);
    const bShips = await api('GET', '/my/ships', undefined, b.token);
    expect((bShips.body.data as any[]).map((s) => s.symbol)).to.not.include(aShip.symbol);
  });

  it("does not let B read A's ship, cargo or nav", async () => {
    const api = checked(sim());
    for (const path of [`/my/ships/${aShip.symbol}`, `/my/ships/${aShip.symbol}/cargo`, `/my/ships/${aShip.symbol}/nav`]) {
      const r = await api('GET', path, undefined, b.token);
      expect(r.status, path).to.be.oneOf([403, 404]);
      expect(r.body.data, `${path} must not return A's data`).to.equal(undefined);
    }
  });

  it("does not let B move, dock or trade with A's ship", async () => {
    const api = checked(sim());
    const before = (await api('GET', `/my/ships/${aShip.symbol}`)).body.data;
    const attempts: Array<[string, unknown]> = [
      [`/my/ships/${aShip.symbol}/orbit`, undefined],
      [`/my/ships/${aShip.symbol}/dock`, undefined],
      [`/my/ships/${aShip.symbol}/navigate`, { waypointSymbol: before.nav.waypointSymbol }],
      [`/my/ships/${aShip.symbol}/purchase`, { symbol: 'FUEL', units: 1 }],
      [`/my/ships/${aShip.symbol}/refuel`, {}],
    ];
    for (const [path, body] of attempts) {
      const r = await api('POST', path, body, b.token);
      expect(r.status, path).to.be.oneOf([403, 404]);
    }
    const after = (await api('GET', `/my/ships/${aShip.symbol}`)).body.data;
    expect(after.nav).to.deep.equal(before.nav);
    expect(after.cargo).to.deep.equal(before.cargo);
    expect(after.fuel).to.deep.equal(before.fuel);
    const aAgent = (await api('GET', '/my/agent')).body.data;
    expect(aAgent.credits).to.equal(sim().registered.data.agent.credits);
  });
});
