import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ManualClock } from '../../../src/sim/engine/index.js';
import { apiCall, withSim } from '../../helpers/sim.js';

/**
 * --state FILE covers the sector: the systems and gates, construction progress, charts, a ship
 * in another system with its reactor cooling down, a market good's supply and tradeVolume, and
 * the game clock moved by the admin endpoint all come back after a restart.
 */
describe('sim sector: --state save and resume', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-sim-sector-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('restores systems, construction, charts, cooldowns, markets and the clock', async () => {
    const file = path.join(dir, 'universe.json');
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const first = await withSim({ clock, stateFile: file, timeScale: 10, seed: 9, world: 'sector', systems: 5 });
    const admin = (sim: typeof first, method: string, p: string, body?: unknown) => apiCall(sim.sim.adminUrl, method, p, body, null);
    const home = first.registered.data.ships[0].nav.systemSymbol as string;
    const gate = (await first.api('GET', `/systems/${home}/waypoints?type=JUMP_GATE`)).body.data[0].symbol as string;
    const [ship] = (await admin(first, 'POST', `/agents/${first.agentSymbol}/ships`, { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: gate })).body.data.ships;
    // Finish the bill but 1 FAB_MATS on the engine, deliver 1 FAB_MATS over HTTP: the gate opens.
    const site = first.universe.state.constructions[gate]!;
    for (const m of site) m.fulfilled = m.required;
    site[0]!.fulfilled -= 3;
    first.universe.state.ships[ship]!.cargo = { FAB_MATS: 2 };
    expect((await first.api('POST', `/systems/${home}/waypoints/${gate}/construction/supply`, { shipSymbol: ship, tradeSymbol: 'FAB_MATS', units: 2 })).status).to.equal(201);
    await first.api('POST', `/my/ships/${ship}/orbit`);
    const { connections } = (await first.api('GET', `/systems/${home}/waypoints/${gate}/jump-gate`)).body.data;
    const far = connections.find((c: string) => !first.universe.isUnderConstruction(first.universe.waypoint(c)!)) as string;
    for (const m of first.universe.state.constructions[gate]!) m.fulfilled = m.required;
    const jumped = await first.api('POST', `/my/ships/${ship}/jump`, { waypointSymbol: far });
    expect(jumped.status).to.equal(200);
    expect((await first.api('POST', `/my/ships/${ship}/chart`)).status).to.equal(201);
    const market = (await admin(first, 'PUT', `/markets/${gate}/FUEL`, { supply: 'SCARCE', tradeVolume: 300 })).body.data;
    const clockBefore = (await admin(first, 'POST', '/clock/advance', { seconds: 1 })).body.data.gameSeconds as number;
    await first.close();

    const second = await withSim({ clock, stateFile: file, agent: false });
    try {
      expect(second.sim.resumed).to.equal(true);
      const api = (m: string, p: string, body?: unknown) => apiCall(second.baseUrl, m, p, body, first.token);
      expect((await api('GET', '/systems?limit=20')).body.meta.total).to.equal(5);
      const c = (await api('GET', `/systems/${home}/waypoints/${gate}/construction`)).body.data;
      expect(c.isComplete).to.equal(true);
      const nav = (await api('GET', `/my/ships/${ship}/nav`)).body.data;
      expect(nav).to.deep.include({ systemSymbol: far.split('-').slice(0, 2).join('-'), waypointSymbol: far, status: 'IN_ORBIT' });
      const cd = await api('GET', `/my/ships/${ship}/cooldown`);
      expect(cd.status).to.equal(200);
      expect(cd.body.data.totalSeconds).to.equal(jumped.body.data.cooldown.totalSeconds);
      const stranger = await second.register();
      const read = await apiCall(second.baseUrl, 'GET', `/systems/${nav.systemSymbol}/waypoints/${far}/jump-gate`, undefined, stranger.token);
      expect(read.status, 'the chart survives the restart').to.equal(200);
      const fuel = (await apiCall(second.sim.adminUrl, 'PUT', `/markets/${gate}/FUEL`, { tradeVolume: 300 }, null)).body.data;
      expect(fuel).to.deep.include({ supply: 'SCARCE', tradeVolume: 300 });
      expect(fuel.x).to.be.closeTo(market.x, 0.01);
      const clockAfter = (await apiCall(second.sim.adminUrl, 'POST', '/clock/advance', { seconds: 1 }, null)).body.data.gameSeconds as number;
      expect(clockAfter).to.equal(clockBefore + 1);
    } finally {
      await second.close();
    }
  });
});
