import { expect } from 'chai';
import { ManualClock } from '../../../src/sim/engine/index.js';
import { apiCall, useSim } from '../../helpers/sim.js';
import { checked, type CheckedApi } from './spec-check.js';

/**
 * Conformance of the sector operations over HTTP: every answer (success and each documented
 * refusal) of get-systems, get-jump-gate, get-construction, supply-construction, jump-ship,
 * create-chart and get-ship-cooldown is validated against the official spec by `checked`.
 * Setup shortcuts (cargo in a hold, a bill nearly met) are made on the in-process engine.
 */
describe('sim sector: conformance of systems, gates, jumps, charts and construction', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const sim = useSim({ clock, timeScale: 100, seed: 5, world: 'sector', systems: 6 });
  let api: CheckedApi;
  let home: string;
  let gate: string;
  let ship: string;
  const admin = (method: string, path: string, body?: unknown) => apiCall(sim().sim.adminUrl, method, path, body, null);

  before(async () => {
    api = checked(sim());
    home = sim().registered.data.ships[0].nav.systemSymbol;
    gate = (await api('GET', `/systems/${home}/waypoints?type=JUMP_GATE`)).body.data[0].symbol;
    [ship] = (await admin('POST', `/agents/${sim().agentSymbol}/ships`, { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: gate })).body.data.ships;
  });

  it('GET /systems lists every system of the sector; GET /systems/{s} serves another system', async () => {
    const r = await api('GET', '/systems?limit=20');
    expect(r.body.meta.total).to.equal(6);
    const other = r.body.data.find((s: any) => s.symbol !== home);
    const one = await api('GET', `/systems/${other.symbol}`);
    expect(one.body.data.waypoints.filter((w: any) => w.type === 'JUMP_GATE')).to.have.length(1);
    expect((await api('GET', '/systems/X1-NOPE')).status).to.equal(404);
  });

  it('jump gate: connections of a charted gate; 400 for an uncharted one without a ship', async () => {
    const r = await api('GET', `/systems/${home}/waypoints/${gate}/jump-gate`);
    expect(r.status).to.equal(200);
    const far = r.body.data.connections[0] as string;
    const farSystem = far.split('-').slice(0, 2).join('-');
    expect((await api('GET', `/systems/${farSystem}/waypoints/${far}/jump-gate`)).status).to.equal(400);
    expect((await api('GET', `/systems/${farSystem}/waypoints/${far}`)).body.data.traits.map((t: any) => t.symbol)).to.deep.equal(['UNCHARTED']);
    expect((await api('GET', `/systems/${home}/waypoints/${sim().registered.data.agent.headquarters}/jump-gate`)).status).to.equal(400);
  });

  it('construction: the bill; supply 201; 4802, 4800, 4801; 404 where nothing is built', async () => {
    const c = await api('GET', `/systems/${home}/waypoints/${gate}/construction`, undefined, null);
    expect(c.body.data.isComplete).to.equal(false);
    expect((await api('GET', `/systems/${home}/waypoints/${sim().registered.data.agent.headquarters}/construction`)).status).to.equal(404);
    const u = sim().universe;
    u.state.ships[ship]!.cargo = { FAB_MATS: 10, ADVANCED_CIRCUITRY: 10, FUEL: 1 };
    for (const m of u.state.constructions[gate]!) m.fulfilled = Math.max(m.fulfilled, m.required - 2);
    await api('POST', `/my/ships/${ship}/orbit`);
    const body = (tradeSymbol: string, units: number) => ({ shipSymbol: ship, tradeSymbol, units });
    const path = `/systems/${home}/waypoints/${gate}/construction/supply`;
    expect((await api('POST', path, body('FAB_MATS', 1))).body.error.code).to.equal(4802);
    await api('POST', `/my/ships/${ship}/dock`);
    expect((await api('POST', path, body('FUEL', 1))).body.error.code).to.equal(4800);
    const s = await api('POST', path, body('FAB_MATS', 5));
    expect(s.status).to.equal(201);
    expect(s.body.data.cargo.inventory.find((i: any) => i.symbol === 'FAB_MATS').units).to.equal(8); // only the 2 still needed were taken
    expect((await api('POST', path, body('FAB_MATS', 1))).body.error.code).to.equal(4801);
    const done = await api('POST', path, body('ADVANCED_CIRCUITRY', 2));
    expect(done.body.data.construction.isComplete).to.equal(true);
    expect((await api('POST', path, { shipSymbol: ship })).status).to.equal(422);
  });

  it('jump: 200 with nav, cooldown, transaction and agent; 4236, 4262, 4255, 4208, 404, 4600, 4254, 4000; cooldown 200 then 204; navigate across systems 4202; chart 201 then 4230', async () => {
    const { connections } = (await api('GET', `/systems/${home}/waypoints/${gate}/jump-gate`)).body.data;
    expect((await api('POST', `/my/ships/${ship}/jump`, { waypointSymbol: connections[0] })).body.error.code).to.equal(4236);
    await api('POST', `/my/ships/${ship}/orbit`);
    expect((await api('GET', `/my/ships/${ship}/cooldown`)).status).to.equal(204);
    const far = connections.find((c: string) => !sim().universe.isUnderConstruction(sim().universe.waypoint(c)!));
    const unbuilt = connections.find((c: string) => sim().universe.isUnderConstruction(sim().universe.waypoint(c)!));
    if (unbuilt) expect((await api('POST', `/my/ships/${ship}/jump`, { waypointSymbol: unbuilt })).body.error.code).to.equal(4262);
    const stray = [...sim().universe.gates.keys()].find((g) => g !== gate && !connections.includes(g));
    if (stray) expect((await api('POST', `/my/ships/${ship}/jump`, { waypointSymbol: stray })).body.error.data.connections).to.deep.equal(connections);
    expect((await api('POST', `/my/ships/${ship}/navigate`, { waypointSymbol: far })).body.error.code).to.equal(4202);
    // The other refusals of docs/sim.md's table: into this system (4208), nowhere (404), no credits for
    // the antimatter (4600), and a ship that is not at a gate (4254).
    const hq = sim().registered.data.agent.headquarters as string;
    expect((await api('POST', `/my/ships/${ship}/jump`, { waypointSymbol: hq })).body.error.code).to.equal(4208);
    expect((await api('POST', `/my/ships/${ship}/jump`, { waypointSymbol: 'X1-NOPE-Z9' })).status).to.equal(404);
    const credits = (await api('GET', '/my/agent')).body.data.credits as number;
    await admin('PUT', `/agents/${sim().agentSymbol}/credits`, { credits: 0 });
    expect((await api('POST', `/my/ships/${ship}/jump`, { waypointSymbol: far })).body.error.code).to.equal(4600);
    await admin('PUT', `/agents/${sim().agentSymbol}/credits`, { credits });
    const frigate = (sim().registered.data.ships as any[]).find((x) => x.frame.symbol === 'FRAME_FRIGATE').symbol as string;
    expect((await api('GET', `/my/ships/${frigate}`)).body.data.nav.waypointSymbol).to.not.equal(gate);
    await api('POST', `/my/ships/${frigate}/orbit`);
    expect((await api('POST', `/my/ships/${frigate}/jump`, { waypointSymbol: far })).body.error.code).to.equal(4254);
    const j = await api('POST', `/my/ships/${ship}/jump`, { waypointSymbol: far });
    expect(j.status).to.equal(200);
    const cd = await api('GET', `/my/ships/${ship}/cooldown`);
    expect(cd.status).to.equal(200);
    expect((await api('GET', `/my/ships/${ship}`)).body.data.cooldown.remainingSeconds).to.be.greaterThan(0);
    expect((await api('POST', `/my/ships/${ship}/jump`, { waypointSymbol: gate })).body.error.code).to.equal(4000);
    const chart = await api('POST', `/my/ships/${ship}/chart`);
    expect(chart.status).to.equal(201);
    expect((await api('POST', `/my/ships/${ship}/chart`)).body.error.code).to.equal(4230);
    expect((await api('GET', `/systems/${far.split('-').slice(0, 2).join('-')}/waypoints/${far}/jump-gate`, undefined, null)).status).to.equal(200);
  });
});
