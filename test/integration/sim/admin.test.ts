import { expect } from 'chai';
import { ManualClock } from '../../../src/sim/engine/index.js';
import { apiCall, useSim } from '../../helpers/sim.js';

/**
 * The scenario endpoints under /_sim/ (issue 10, docs/sim.md "Admin endpoints") over HTTP: what
 * each one changes as the game then shows it, and its refusals (404 for what does not exist, 422
 * for a bad body, each naming the field). They are never served under /v2.
 */
describe('sim admin endpoints: credits, ships, market supply, clock, constructions', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const sim = useSim({ clock, timeScale: 100, seed: 4, world: 'sector', systems: 3 });
  const admin = (method: string, path: string, body?: unknown) => apiCall(sim().sim.adminUrl, method, path, body, null);
  const agent = () => sim().agentSymbol;

  it('credits: set, add (never below 0); 404 for an unknown agent, 422 for a bad body', async () => {
    expect((await admin('PUT', `/agents/${agent()}/credits`, { credits: 1234 })).body.data).to.deep.equal({ agentSymbol: agent(), credits: 1234 });
    expect((await admin('PUT', `/agents/${agent()}/credits`, { add: 66 })).body.data.credits).to.equal(1300);
    expect((await admin('PUT', `/agents/${agent()}/credits`, { add: -5000 })).body.data.credits).to.equal(0);
    expect((await sim().api('GET', '/my/agent')).body.data.credits).to.equal(0);
    expect((await admin('PUT', '/agents/NOBODY-HERE/credits', { credits: 1 })).status).to.equal(404);
    const bad = await admin('PUT', `/agents/${agent()}/credits`, { credits: -1 });
    expect(bad.status).to.equal(422);
    expect(bad.body.error.data).to.have.property('credits');
  });

  it('ships: count ships of a type docked at any waypoint of the sector; 422 for a bad type or count, 404 for an unknown waypoint', async () => {
    const systems = (await sim().api('GET', '/systems')).body.data as Array<{ symbol: string; waypoints: Array<{ symbol: string }> }>;
    const far = systems.find((s) => s.symbol !== sim().registered.data.agent.headquarters.split('-').slice(0, 2).join('-'))!.waypoints[0]!.symbol;
    const added = await admin('POST', `/agents/${agent()}/ships`, { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: far, count: 3 });
    expect(added.status).to.equal(200);
    const ships = added.body.data.ships as string[];
    expect(ships).to.have.length(3);
    const ship = (await sim().api('GET', `/my/ships/${ships[0]}`)).body.data;
    expect(ship.nav).to.include({ waypointSymbol: far, status: 'DOCKED' });
    expect(ship.fuel.current).to.equal(ship.fuel.capacity);
    expect(ship.cargo.units).to.equal(0);
    for (const count of [0, 101, 1.5]) expect((await admin('POST', `/agents/${agent()}/ships`, { shipType: 'SHIP_PROBE', waypointSymbol: far, count })).status, `count ${count}`).to.equal(422);
    expect((await admin('POST', `/agents/${agent()}/ships`, { shipType: 'SHIP_NOPE', waypointSymbol: far })).body.error.data).to.have.property('shipType');
    expect((await admin('POST', `/agents/${agent()}/ships`, { shipType: 'SHIP_PROBE', waypointSymbol: 'X1-NOPE-A1' })).status).to.equal(404);
  });

  it("market supply: a label moves the good to that band, as the market then shows it; 404 for no market or a good it does not trade, 422 for a bad body", async () => {
    const hq = sim().registered.data.agent.headquarters as string;
    const system = hq.split('-').slice(0, 2).join('-');
    const markets = (await sim().api('GET', `/systems/${system}/waypoints?traits=MARKETPLACE&limit=20`)).body.data as Array<{ symbol: string }>;
    const [probe] = (await admin('POST', `/agents/${agent()}/ships`, { shipType: 'SHIP_PROBE', waypointSymbol: markets[0]!.symbol })).body.data.ships;
    expect(probe).to.be.a('string');
    const market = (await sim().api('GET', `/systems/${system}/waypoints/${markets[0]!.symbol}/market`)).body.data;
    const good = market.tradeGoods[0].symbol as string;
    const set = await admin('PUT', `/markets/${markets[0]!.symbol}/${good}`, { supply: 'SCARCE', tradeVolume: 7 });
    expect(set.body.data).to.include({ waypointSymbol: markets[0]!.symbol, tradeSymbol: good, supply: 'SCARCE', tradeVolume: 7 });
    const seen = (await sim().api('GET', `/systems/${system}/waypoints/${markets[0]!.symbol}/market`)).body.data.tradeGoods.find((g: any) => g.symbol === good);
    expect(seen).to.include({ supply: 'SCARCE', tradeVolume: 7 });
    expect((await admin('PUT', `/markets/${markets[0]!.symbol}/${good}`, { supply: 'PLENTY' })).status).to.equal(422);
    expect((await admin('PUT', `/markets/${markets[0]!.symbol}/${good}`, { x: 9 })).status).to.equal(422);
    expect((await admin('PUT', `/markets/${markets[0]!.symbol}/NOT_A_GOOD`, { supply: 'HIGH' })).status).to.equal(404);
    expect((await admin('PUT', `/markets/${system}-NOPE/${good}`, { supply: 'HIGH' })).status).to.equal(404);
  });

  it('clock: advances game seconds (a ship in flight arrives); 422 for 0 or more than 30 days', async () => {
    const ship = (sim().registered.data.ships as any[]).find((s) => s.frame.symbol === 'FRAME_FRIGATE');
    const here = ship.nav.waypointSymbol as string;
    const system = ship.nav.systemSymbol as string;
    const to = ((await sim().api('GET', `/systems/${system}/waypoints?limit=20`)).body.data as any[]).find((w) => w.symbol !== here && w.type !== 'JUMP_GATE')!.symbol;
    await sim().api('POST', `/my/ships/${ship.symbol}/orbit`);
    await sim().api('PATCH', `/my/ships/${ship.symbol}/nav`, { flightMode: 'DRIFT' });
    const flight = await sim().api('POST', `/my/ships/${ship.symbol}/navigate`, { waypointSymbol: to });
    expect(flight.status, JSON.stringify(flight.body)).to.equal(200);
    expect((await sim().api('GET', `/my/ships/${ship.symbol}/nav`)).body.data.status).to.equal('IN_TRANSIT');
    const advanced = await admin('POST', '/clock/advance', { seconds: 30 * 86_400 });
    expect(advanced.body.data.advancedSeconds).to.equal(30 * 86_400);
    expect((await sim().api('GET', `/my/ships/${ship.symbol}/nav`)).body.data).to.include({ status: 'IN_ORBIT', waypointSymbol: to });
    for (const seconds of [0, 30 * 86_400 + 1, 'soon']) expect((await admin('POST', '/clock/advance', { seconds })).status, String(seconds)).to.equal(422);
  });

  it('constructions and gates: 404 where there is no site or gate; unknown admin paths are 404 listing the endpoints; nothing of it under /v2', async () => {
    const hq = sim().registered.data.agent.headquarters as string;
    expect((await admin('PUT', `/construction/${hq}`, { materials: [{ tradeSymbol: 'FAB_MATS', required: 1 }] })).status).to.equal(404);
    expect((await admin('PUT', `/jump-gates/${hq}`, { built: true })).status).to.equal(404);
    const unknown = await admin('GET', '/nothing');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.message).to.contain('PUT /_sim/agents/{agent}/credits').and.contain('POST /_sim/clock/advance');
    expect((await sim().api('GET', '/_sim/health', undefined, null)).status).to.equal(404);
    const put = await sim().api('PUT', `/_sim/agents/${agent()}/credits`, { credits: 5 }, null);
    expect(put.status).to.equal(404);
    expect((await sim().api('GET', '/my/agent')).body.data.credits).to.not.equal(5);
  });
});
