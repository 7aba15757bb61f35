import { expect } from 'chai';
import { SpaceTradersClient } from '../../../src/api/client.js';
import { GameError } from '../../../src/api/errors.js';
import type { TradeSymbol } from '../../../src/api/types.js';
import { Secret } from '../../../src/config/redact.js';
import { ManualClock } from '../../../src/sim/engine/index.js';
import { apiCall, useSim } from '../../helpers/sim.js';

/**
 * The done-when game of issue 10, over HTTP with the real client (src/api): a new agent in a
 * 12-system sector supplies its home gate's construction to completion (the admin endpoints give
 * credits and a fleet), jumps through the gate (antimatter charge and cooldown checked), is
 * refused jumping out of an unbuilt gate (4256), into one (4262), to a gate not connected (4255)
 * and during the cooldown (4000), and reads a far gate's connections once it is charted. The
 * clock is manual: flights land and cooldowns end exactly when the test says.
 */

async function refusal(p: Promise<unknown>): Promise<GameError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GameError) return e;
    throw e;
  }
  throw new Error('expected the game to refuse');
}

describe('sim sector: a scripted game builds the home gate and jumps (real client over HTTP)', function () {
  this.timeout(60_000);
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  // The home is generated, or the captured X1-AD75 with ST_SIM_TEST_WORLD=worlds/X1-AD75.json.
  const sim = useSim({ clock, timeScale: 100, seed: 3, world: process.env.ST_SIM_TEST_WORLD ?? 'sector', systems: 12 });
  let api: SpaceTradersClient;
  let agent: string;
  let home: string;
  let gate: string;
  /** A command frigate the admin endpoint puts at the home gate: the ship that jumps. */
  let frigate: string;
  const admin = (method: string, path: string, body?: unknown) => apiCall(sim().sim.adminUrl, method, path, body, null);

  before(() => {
    api = new SpaceTradersClient({ baseUrl: sim().baseUrl, token: new Secret(sim().token), limiter: false });
    agent = sim().agentSymbol;
    home = sim().registered.data.ships[0].nav.systemSymbol;
  });

  /** Flies the ship (in orbit) to `to` and lands it: the clock moves to its arrival. */
  async function fly(ship: string, to: string): Promise<void> {
    const { nav } = await api.navigate(ship, to);
    clock.set(Date.parse(nav.route.arrival));
  }

  /** Markets of the home system exporting `good`. */
  async function exporters(good: string): Promise<string[]> {
    const out: string[] = [];
    for (const w of await api.listWaypoints(home, { traits: 'MARKETPLACE' })) {
      const m = await api.getMarket(home, w.symbol);
      if (m.exports.some((g) => g.symbol === good)) out.push(w.symbol);
    }
    return out;
  }

  it('the home gate starts UNDER_CONSTRUCTION with the real bill, and refuses jumps out of it (4256)', async () => {
    const [g] = await api.listWaypoints(home, { type: 'JUMP_GATE' });
    gate = g!.symbol;
    expect(g!.isUnderConstruction).to.equal(true);
    expect(g!.traits.map((t) => t.symbol)).to.include.members(['UNDER_CONSTRUCTION', 'MARKETPLACE']);
    const c = await api.getConstruction(home, gate);
    expect(c).to.deep.equal({
      symbol: gate,
      isComplete: false,
      materials: [
        { tradeSymbol: 'FAB_MATS', required: 1600, fulfilled: 0 },
        { tradeSymbol: 'ADVANCED_CIRCUITRY', required: 400, fulfilled: 0 },
        { tradeSymbol: 'QUANTUM_STABILIZERS', required: 1, fulfilled: 1 },
      ],
    });
    const { connections } = await api.getJumpGate(home, gate);
    expect(connections.length).to.be.within(2, 6);
    // The gate market sells FUEL and ANTIMATTER.
    const market = await api.getMarket(home, gate);
    expect(market.exchange.map((x) => x.symbol)).to.include.members(['FUEL', 'ANTIMATTER']);

    const [probe] = (await admin('POST', `/agents/${agent}/ships`, { shipType: 'SHIP_PROBE', waypointSymbol: gate })).body.data.ships;
    await api.orbit(probe);
    const e = await refusal(api.jump(probe, connections[0]!));
    expect(e.gameCode).to.equal(4256);
  });

  it('a fleet given by the admin endpoints buys the bill and supplies it to completion', async () => {
    expect((await admin('PUT', `/agents/${agent}/credits`, { credits: 50_000_000 })).body.data.credits).to.equal(50_000_000);
    const plan: [TradeSymbol, number][] = [['FAB_MATS', 1600], ['ADVANCED_CIRCUITRY', 400]];
    for (const [good, needed] of plan) {
      const [source] = await exporters(good);
      expect(source, `a home market exports ${good}`).to.be.a('string');
      const count = Math.ceil(needed / 225);
      const added = await admin('POST', `/agents/${agent}/ships`, { shipType: 'SHIP_HEAVY_FREIGHTER', waypointSymbol: source, count });
      const fleet = added.body.data.ships as string[];
      expect(fleet).to.have.length(count);
      let left = needed;
      for (const ship of fleet) {
        let load = Math.min(225, left);
        left -= load;
        const target = load;
        while (load > 0) {
          // Keep the exporter stocked so the test buys at sane prices (a scenario, not a strategy).
          await admin('PUT', `/markets/${source}/${good}`, { supply: 'ABUNDANT' });
          const tv = (await api.getMarket(home, source!)).tradeGoods!.find((x) => x.symbol === good)!.tradeVolume;
          const units = Math.min(tv, load);
          await api.purchaseCargo(ship, good, units);
          load -= units;
        }
        await api.orbit(ship);
        await fly(ship, gate);
        await api.dock(ship);
        const supplied = await api.supplyConstruction(home, gate, ship, good, target);
        expect(supplied.cargo.units).to.equal(0);
      }
      const c = await api.getConstruction(home, gate);
      expect(c.materials.find((m) => m.tradeSymbol === good)).to.deep.include({ required: needed, fulfilled: needed });
    }
    const c = await api.getConstruction(home, gate);
    expect(c.isComplete).to.equal(true);
    const w = await api.getWaypoint(home, gate);
    expect(w.isUnderConstruction).to.equal(false);
    expect(w.traits.map((t) => t.symbol)).to.not.include('UNDER_CONSTRUCTION');
  });

  it('refuses more of a met material (4801), a good not on the bill (4800), and a ship not docked there (4802)', async () => {
    [frigate] = (await admin('POST', `/agents/${agent}/ships`, { shipType: 'SHIP_COMMAND_FRIGATE', waypointSymbol: gate })).body.data.ships;
    await api.purchaseCargo(frigate, 'FUEL', 1);
    await api.orbit(frigate);
    expect((await refusal(api.supplyConstruction(home, gate, frigate, 'FUEL', 1))).gameCode).to.equal(4802);
    await api.dock(frigate);
    expect((await refusal(api.supplyConstruction(home, gate, frigate, 'FUEL', 1))).gameCode).to.equal(4800);
    expect((await refusal(api.supplyConstruction(home, gate, frigate, 'FAB_MATS', 1))).gameCode).to.equal(4801);
  });

  it('jumps through the built gate: one ANTIMATTER at the origin price, no fuel, a cooldown of round(15 + 0.3·d)', async () => {
    const { connections } = await api.getJumpGate(home, gate);
    const far = await Promise.all(connections.map(async (c) => api.getWaypoint(c.split('-').slice(0, 2).join('-'), c)));
    const built = far.find((w) => !w.isUnderConstruction)!;
    const unbuilt = far.find((w) => w.isUnderConstruction)!;
    expect(built, 'the home gate connects to a built gate').to.not.equal(undefined);
    expect(unbuilt, 'the home gate connects to an unbuilt gate').to.not.equal(undefined);

    // Docked: 4236. Into an unbuilt gate: 4262. To a gate not connected: 4255 with the connections.
    expect((await refusal(api.jump(frigate, built.symbol))).gameCode).to.equal(4236);
    await api.orbit(frigate);
    expect((await refusal(api.jump(frigate, unbuilt.symbol))).gameCode).to.equal(4262);
    const systems = (await apiCall(sim().baseUrl, 'GET', '/systems?limit=20', undefined, null)).body.data as any[];
    const notConnected = systems.map((s) => s.waypoints.find((w: any) => w.type === 'JUMP_GATE')?.symbol).find((g) => g && g !== gate && !connections.includes(g));
    const e4255 = await refusal(api.jump(frigate, notConnected));
    expect(e4255.gameCode).to.equal(4255);
    expect((e4255.data as any).connections).to.deep.equal(connections);

    const before = await api.getShip(frigate);
    const antimatter = (await api.getMarket(home, gate)).tradeGoods!.find((g) => g.symbol === 'ANTIMATTER')!.purchasePrice;
    const credits = (await api.getAgent()).credits;
    const r = await api.jump(frigate, built.symbol);
    expect(r.transaction).to.deep.include({ tradeSymbol: 'ANTIMATTER', type: 'PURCHASE', units: 1, pricePerUnit: antimatter, totalPrice: antimatter, waypointSymbol: gate });
    expect(r.agent.credits).to.equal(credits - antimatter);
    expect(r.nav).to.deep.include({ systemSymbol: built.systemSymbol, waypointSymbol: built.symbol, status: 'IN_ORBIT' });
    const [a, b] = await Promise.all([api.getSystem(home), api.getSystem(built.systemSymbol)]);
    const expected = Math.round(15 + 0.3 * Math.hypot(a.x - b.x, a.y - b.y));
    expect(r.cooldown.totalSeconds).to.equal(expected);
    expect(r.cooldown.remainingSeconds).to.equal(Math.ceil(expected / 100)); // real seconds at time scale 100
    expect((await api.getShip(frigate)).fuel.current).to.equal(before.fuel.current);
    expect((await api.getCooldown(frigate))!.totalSeconds).to.equal(expected);

    // During the cooldown: jumping is refused (4000), navigating is not.
    const e4000 = await refusal(api.jump(frigate, gate));
    expect(e4000.gameCode).to.equal(4000);
    expect(e4000.status).to.equal(409);
    expect((e4000.data as any).cooldown.remainingSeconds).to.be.greaterThan(0);
    const dist = (w: { x: number; y: number }) => Math.hypot(w.x - built.x, w.y - built.y);
    const elsewhere = (await api.listWaypoints(built.systemSymbol)).filter((w) => w.symbol !== built.symbol).sort((p, q) => dist(p) - dist(q))[0]!;
    await fly(frigate, elsewhere.symbol);
    await fly(frigate, built.symbol);

    // The admin clock advance ends the cooldown.
    clock.set(Date.parse(r.cooldown.expiration!) - 5_000);
    expect(await api.getCooldown(frigate)).to.not.equal(undefined);
    await admin('POST', '/clock/advance', { seconds: 600 });
    expect(await api.getCooldown(frigate)).to.equal(undefined);
  });

  it('reads a far gate\'s connections only once it is charted (or with a ship there)', async () => {
    const nav = await api.getShipNav(frigate);
    const there = nav.waypointSymbol;
    const other = await sim().register();
    const stranger = api.withToken(new Secret(other.token));
    const e = await refusal(stranger.getJumpGate(nav.systemSymbol, there));
    expect(e.status).to.equal(400);
    expect((await stranger.getWaypoint(nav.systemSymbol, there)).traits.map((t) => t.symbol)).to.deep.equal(['UNCHARTED']);
    // With a ship present the agent reads it; charting makes it readable for everyone.
    expect((await api.getJumpGate(nav.systemSymbol, there)).connections).to.include(gate);
    const credits = (await api.getAgent()).credits;
    const charted = await api.createChart(frigate);
    expect(charted.chart).to.deep.include({ waypointSymbol: there, submittedBy: agent });
    expect(charted.agent.credits).to.be.greaterThan(credits);
    expect(charted.waypoint.traits.map((t) => t.symbol)).to.not.include('UNCHARTED');
    const read = await stranger.getJumpGate(nav.systemSymbol, there);
    expect(read.symbol).to.equal(there);
    expect(read.connections).to.include(gate);
    expect((await refusal(api.createChart(frigate))).gameCode).to.equal(4230);
    // And the ship jumps home after its cooldown.
    const back = await api.jump(frigate, gate);
    expect(back.nav.systemSymbol).to.equal(home);
  });
});
