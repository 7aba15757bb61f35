import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ManualClock } from '../../../src/sim/engine/index.js';
import { isUserError } from '../../../src/cli/errors.js';
import { startSim } from '../../../src/sim/index.js';
import { apiCall, withSim } from '../../helpers/sim.js';

/**
 * --state FILE: a universe saved mid-flight resumes with the ship still in transit, and the ship
 * arrives on time after the restart. ManualClocks make the times exact.
 */

const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe('sim: --state save and resume', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-sim-state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('resumes a ship in transit after a restart, and it arrives', async () => {
    const file = path.join(dir, 'universe.json');
    const t0 = Date.UTC(2026, 0, 1, 12);
    const clock1 = new ManualClock(t0);
    const first = await withSim({ clock: clock1, stateFile: file, timeScale: 10, seed: 5 });
    const ship = (first.registered.data.ships as any[]).find((s) => s.fuel.capacity > 0);
    const here = (await first.api('GET', `/systems/${ship.nav.systemSymbol}/waypoints/${ship.nav.waypointSymbol}`)).body.data;
    // A destination some distance away that the fuel tank can reach.
    let page = 1;
    let dest: any;
    for (; !dest && page <= 20; page++) {
      const list = await first.api('GET', `/systems/${ship.nav.systemSymbol}/waypoints?limit=20&page=${page}`);
      expect(list.status).to.equal(200);
      dest = (list.body.data as any[]).find((w) => distance(w, here) > 30 && distance(w, here) < ship.fuel.current * 0.9);
      if ((list.body.data as any[]).length < 20) break;
    }
    expect(dest, 'a reachable waypoint').to.not.equal(undefined);
    expect((await first.api('POST', `/my/ships/${ship.symbol}/orbit`)).status).to.equal(200);
    const nav = await first.api('POST', `/my/ships/${ship.symbol}/navigate`, { waypointSymbol: dest.symbol });
    expect(nav.status, JSON.stringify(nav.body)).to.equal(200);
    const arrival = Date.parse(nav.body.data.nav.route.arrival);
    expect(arrival - clock1.now()).to.be.greaterThan(2000);

    clock1.advance(1000);
    const saved = await fetch(`${first.sim.adminUrl}/save`, { method: 'POST' });
    expect(saved.status).to.equal(200);
    expect(((await saved.json()) as any).data).to.include({ file });
    expect(fs.readdirSync(dir), 'no temp file left behind').to.deep.equal(['universe.json']);
    await first.close();

    // Restart from the file, a moment later.
    const clock2 = new ManualClock(t0 + 1500);
    const second = await startSim({ clock: clock2, stateFile: file, rateLimit: false, log: () => {} });
    try {
      expect(second.resumed).to.equal(true);
      const cfg = (await (await fetch(`${second.adminUrl}/config`)).json()) as any;
      expect(cfg.data, 'the saved time scale carries over').to.include({ timeScale: 10, resumed: true });
      const during = await apiCall(second.baseUrl, 'GET', `/my/ships/${ship.symbol}`, undefined, first.token);
      expect(during.status, 'the old token still works').to.equal(200);
      expect(during.body.data.nav.status).to.equal('IN_TRANSIT');
      expect(during.body.data.nav.route.destination.symbol).to.equal(dest.symbol);
      expect(during.body.data.fuel.current).to.equal(nav.body.data.fuel.current);

      clock2.set(arrival + 1);
      const after = await apiCall(second.baseUrl, 'GET', `/my/ships/${ship.symbol}`, undefined, first.token);
      expect(after.body.data.nav.status).to.equal('IN_ORBIT');
      expect(after.body.data.nav.waypointSymbol).to.equal(dest.symbol);
    } finally {
      await second.close();
    }
  });

  it('keeps surveys, the reactor cooldown, asteroid strain and contracts across a restart', async () => {
    const file = path.join(dir, 'universe.json');
    const t0 = Date.UTC(2026, 0, 1, 12);
    const clock1 = new ManualClock(t0);
    const first = await withSim({ clock: clock1, stateFile: file, timeScale: 1, seed: 5 });
    const frigate = (first.registered.data.ships as any[]).find((s) => s.registration.role === 'COMMAND');
    const system = frigate.nav.systemSymbol;
    const here = (await first.api('GET', `/systems/${system}/waypoints/${frigate.nav.waypointSymbol}`)).body.data;
    const rocks = (await first.api('GET', `/systems/${system}/waypoints?type=ENGINEERED_ASTEROID`)).body.data as any[];
    const rock = [...rocks, ...((await first.api('GET', `/systems/${system}/waypoints?type=ASTEROID&limit=20`)).body.data as any[])].sort(
      (a, b) => distance(a, here) - distance(b, here),
    )[0];
    await first.api('POST', `/my/ships/${frigate.symbol}/orbit`);
    const nav = await first.api('POST', `/my/ships/${frigate.symbol}/navigate`, { waypointSymbol: rock.symbol });
    expect(nav.status, JSON.stringify(nav.body)).to.equal(200);
    clock1.set(Date.parse(nav.body.data.nav.route.arrival));
    const survey = (await first.api('POST', `/my/ships/${frigate.symbol}/survey`)).body.data.surveys[0];
    clock1.advance(90_000);
    const mined = await first.api('POST', `/my/ships/${frigate.symbol}/extract/survey`, survey);
    expect(mined.status, JSON.stringify(mined.body)).to.equal(201);
    const contracts = (await first.api('GET', '/my/contracts')).body.data;
    const left = first.universe.state.surveys![survey.signature]!.unitsLeft;
    await first.close();

    const second = await startSim({ clock: clock1, stateFile: file, rateLimit: false, log: () => {} });
    try {
      const call = (method: string, p: string, body?: unknown) => apiCall(second.baseUrl, method, p, body, first.token);
      const cd = await call('GET', `/my/ships/${frigate.symbol}/cooldown`);
      expect(cd.status).to.equal(200);
      expect(cd.body.data).to.deep.equal(mined.body.data.cooldown);
      expect((await call('POST', `/my/ships/${frigate.symbol}/extract/survey`, survey)).body.error.code).to.equal(4000);
      expect(second.universe.state.asteroids![rock.symbol]!.strain).to.be.greaterThan(0);
      expect((await call('GET', '/my/contracts')).body.data).to.deep.equal(contracts);
      clock1.advance(80_000);
      const again = await call('POST', `/my/ships/${frigate.symbol}/extract/survey`, survey);
      expect(again.status, JSON.stringify(again.body)).to.equal(201);
      expect(second.universe.state.surveys![survey.signature]!.unitsLeft).to.equal(left - again.body.data.extraction.yield.units);
    } finally {
      await second.close();
    }
  });

  it('saves on close and periodically, atomically', async () => {
    const file = path.join(dir, 'nested', 'u.json');
    const sim = await withSim({ stateFile: file, saveIntervalMs: 50 });
    try {
      const deadline = Date.now() + 5000;
      while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(fs.existsSync(file), 'a periodic save within 5 s').to.equal(true);
    } finally {
      await sim.close();
    }
    const text = fs.readFileSync(file, 'utf8');
    expect(text).to.contain(sim.agentSymbol);
    expect(fs.readdirSync(path.dirname(file))).to.deep.equal(['u.json']);
  });

  it('without a state file, /_sim/save answers 409 and close() writes nothing', async () => {
    const sim = await withSim({});
    try {
      const r = await fetch(`${sim.sim.adminUrl}/save`, { method: 'POST' });
      expect(r.status).to.equal(409);
    } finally {
      await sim.close();
    }
  });

  it('refuses a corrupt state file with a user error that names it', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"not": "a universe"');
    let err: unknown;
    try {
      const s = await startSim({ stateFile: file, log: () => {} });
      await s.close();
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).to.equal(true);
    expect((err as Error).message).to.contain(file);
    fs.writeFileSync(file, '{"not": "a universe"}');
    err = undefined;
    try {
      const s = await startSim({ stateFile: file, log: () => {} });
      await s.close();
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).to.equal(true);
  });
});
