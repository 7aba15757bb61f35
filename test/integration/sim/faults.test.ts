import { expect } from 'chai';
import { parseFaults } from '../../../src/sim/index.js';
import { isUserError } from '../../../src/cli/errors.js';
import { useSim, type TestSim } from '../../helpers/sim.js';
import { spec } from './spec-check.js';

/**
 * Fault injection over HTTP: injected 5xx and connection resets leave the universe untouched; a
 * dropped answer hides a call that WAS applied (the case a client must reconcile); faults are
 * seeded and reproducible, and switchable at runtime in-process and through /_sim/faults.
 */

interface Snapshot {
  credits: number;
  cargo: unknown;
  fuel: number;
  nav: unknown;
}

describe('sim: fault injection', () => {
  const sim = useSim({ timeScale: 1000 });
  let shipSymbol: string;
  let good: string;

  const snapshot = async (s: TestSim): Promise<Snapshot> => {
    const agent = await s.api('GET', '/my/agent');
    const ship = await s.api('GET', `/my/ships/${shipSymbol}`);
    return { credits: agent.body.data.credits, cargo: ship.body.data.cargo, fuel: ship.body.data.fuel.current, nav: ship.body.data.nav };
  };

  before(async () => {
    const s = sim();
    const ship = (s.registered.data.ships as any[]).find((x) => x.cargo.capacity > 0);
    shipSymbol = ship.symbol;
    const { systemSymbol, waypointSymbol } = ship.nav;
    const market = await s.api('GET', `/systems/${systemSymbol}/waypoints/${waypointSymbol}/market`);
    expect(market.status).to.equal(200);
    good = (market.body.data.tradeGoods as any[]).find((g) => g.type !== 'IMPORT').symbol;
    if (ship.nav.status !== 'DOCKED') await s.api('POST', `/my/ships/${shipSymbol}/dock`);
  });

  afterEach(() => sim().sim.setFaults('off'));

  it('5xx=1: every call gets a 500/502/503 error body and nothing changes', async () => {
    const s = sim();
    const before = await snapshot(s);
    s.sim.setFaults('5xx=1,seed=3');
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const r = await s.api('POST', `/my/ships/${shipSymbol}/purchase`, { symbol: good, units: 1 });
      expect([500, 502, 503]).to.include(r.status);
      expect(spec.validateError(r.body)).to.equal(undefined);
      expect(r.body.error.code).to.equal(r.status);
      seen.add(r.status);
    }
    expect(seen.size).to.be.greaterThan(1);
    s.sim.setFaults('off');
    expect(await snapshot(s)).to.deep.equal(before);
  });

  it('reset=1: the connection closes before any answer and nothing changes', async () => {
    const s = sim();
    const before = await snapshot(s);
    s.sim.setFaults('reset=1');
    let failed = 0;
    for (let i = 0; i < 3; i++) {
      try {
        await s.api('POST', `/my/ships/${shipSymbol}/purchase`, { symbol: good, units: 1 });
      } catch {
        failed++;
      }
    }
    expect(failed).to.equal(3);
    s.sim.setFaults('off');
    expect(await snapshot(s)).to.deep.equal(before);
    expect(s.sim.controls.stats.resets).to.be.greaterThanOrEqual(3);
  });

  it('drop=1: a purchase is committed (credits and cargo change) though the client saw no answer', async () => {
    const s = sim();
    const before = await snapshot(s);
    s.sim.setFaults('drop=1');
    let error: unknown;
    try {
      await s.api('POST', `/my/ships/${shipSymbol}/purchase`, { symbol: good, units: 2 });
    } catch (e) {
      error = e;
    }
    expect(error, 'the client must see no answer').to.be.instanceOf(Error);
    // Reads are never dropped, even with drop=1.
    const after = await snapshot(s);
    s.sim.setFaults('off');
    expect(after.credits).to.be.lessThan(before.credits);
    const units = (c: any) => ((c.inventory as any[]).find((i) => i.symbol === good)?.units ?? 0) as number;
    expect(units(after.cargo) - units(before.cargo)).to.equal(2);
    // The market's transaction log shows the purchase too: what a client reconciles against.
    const ship = (await s.api('GET', `/my/ships/${shipSymbol}`)).body.data;
    const market = await s.api('GET', `/systems/${ship.nav.systemSymbol}/waypoints/${ship.nav.waypointSymbol}/market`);
    const last = (market.body.data.transactions as any[]).filter((t) => t.shipSymbol === shipSymbol && t.type === 'PURCHASE').at(-1);
    expect(last).to.include({ tradeSymbol: good, units: 2 });
    expect(before.credits - after.credits).to.equal(last.totalPrice);
  });

  it('drop=1 never drops a failed call: a refused purchase still answers its error', async () => {
    const s = sim();
    s.sim.setFaults('drop=1');
    const r = await s.api('POST', `/my/ships/${shipSymbol}/purchase`, { symbol: good, units: 100_000 });
    expect(r.status).to.be.within(400, 499);
    expect(spec.validateError(r.body)).to.equal(undefined);
  });

  it('429=1 answers the rate-limit body without touching the engine', async () => {
    const s = sim();
    const before = await snapshot(s);
    s.sim.setFaults('429=1');
    const r = await s.api('POST', `/my/ships/${shipSymbol}/purchase`, { symbol: good, units: 1 });
    expect(r.status).to.equal(429);
    expect(r.body.error).to.include({ code: 429, message: 'You have reached your API limit.' });
    expect(r.headers.get('retry-after')).to.equal('1');
    expect(r.headers.get('x-ratelimit-limit-burst')).to.equal('30');
    s.sim.setFaults('off');
    expect(await snapshot(s)).to.deep.equal(before);
  });

  it('storm=N turns each 429 fault into N 429s in a row', async () => {
    const s = sim();
    s.sim.setFaults('429=0.05,storm=6,seed=5');
    const out: number[] = [];
    for (let i = 0; i < 80; i++) out.push((await s.api('GET', '/my/agent')).status);
    const runs = out.join(',').split(/(?:^|,)200(?=,|$)/).map((r) => r.split(',').filter((x) => x === '429').length).filter((n) => n > 0);
    expect(runs.length, out.join(' ')).to.be.greaterThan(0);
    const last = out.lastIndexOf(200) < out.lastIndexOf(429) ? runs.pop() : undefined; // a storm cut off at the end
    for (const n of runs) expect(n % 6, out.join(' ')).to.equal(0);
    if (last !== undefined) expect(last).to.be.greaterThan(0);
  });

  it('latency=N delays every answer by at least N ms', async () => {
    const s = sim();
    s.sim.setFaults('latency=60');
    const t0 = performance.now();
    const r = await s.api('GET', '/my/agent');
    expect(r.status).to.equal(200);
    expect(performance.now() - t0).to.be.greaterThanOrEqual(55); // timers may fire a ms early
  });

  it('is reproducible: the same seed gives the same faults for the same requests', async () => {
    const s = sim();
    const run = async () => {
      s.sim.setFaults('5xx=0.3,429=0.2,seed=42');
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await s.api('GET', '/my/agent')).status);
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).to.deep.equal(b);
    expect(a.filter((x) => x === 200).length).to.be.within(5, 35);
    s.sim.setFaults('5xx=0.3,429=0.2,seed=43');
    const c: number[] = [];
    for (let i = 0; i < 40; i++) c.push((await s.api('GET', '/my/agent')).status);
    expect(c).to.not.deep.equal(a);
  });

  it('can be set and read through the admin endpoints; bad specs are refused with 422', async () => {
    const s = sim();
    const put = await fetch(`${s.sim.adminUrl}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: '5xx=1,seed=9' }) });
    expect(put.status).to.equal(200);
    expect(((await put.json()) as any).data.faults).to.equal('5xx=1,seed=9');
    expect((await s.api('GET', '/my/agent')).status).to.be.within(500, 503);
    const cfg = (await (await fetch(`${s.sim.adminUrl}/config`)).json()) as any;
    expect(cfg.data.faults).to.equal('5xx=1,seed=9');
    const bad = await fetch(`${s.sim.adminUrl}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: '5xx=2' }) });
    expect(bad.status).to.equal(422);
    expect(spec.validateError(await bad.json())).to.equal(undefined);
    await fetch(`${s.sim.adminUrl}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: 'off' }) });
    expect((await s.api('GET', '/my/agent')).status).to.equal(200);
  });

  it('parses fault specs and explains bad ones', () => {
    expect(parseFaults('5xx=0.05,429=0.02,latency=20-200,reset=0.01,drop=0.05,seed=7')).to.deep.equal({
      error5xx: 0.05,
      error429: 0.02,
      latencyMs: [20, 200],
      reset: 0.01,
      drop: 0.05,
      seed: 7,
    });
    expect(parseFaults('off')).to.deep.equal({});
    expect(parseFaults('429=0.1,storm=20')).to.deep.equal({ error429: 0.1, storm: 20 });
    for (const bad of ['5xx=1.5', 'boom=1', 'latency=200-20', 'seed=x', '5xx', 'storm=0']) {
      let err: unknown;
      try {
        parseFaults(bad);
      } catch (e) {
        err = e;
      }
      expect(isUserError(err), bad).to.equal(true);
    }
  });
});
