import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { distance } from '../../../src/game/index.js';
import { ManualClock, SIM_ACCOUNT_TOKEN, Universe, loadWorld, type WorldDefinition } from '../../../src/sim/engine/index.js';
import { generateWorld, inputsOf } from '../../../src/sim/world/generate.js';
import { validateWorld } from '../../../src/sim/world/load.js';
import { data, register } from './helpers.js';

const AD75 = fileURLToPath(new URL('../../../worlds/X1-AD75.json', import.meta.url));

/** Markets not reachable from HQ in CRUISE hops of at most `range` fuel, refuelling at FUEL markets. */
function unreachable(w: WorldDefinition, range: number): string[] {
  const pos = new Map(w.waypoints.map((p) => [p.symbol, p]));
  const fuel = new Set(w.markets.filter((m) => m.goods.some((g) => g.symbol === 'FUEL')).map((m) => m.symbol));
  const markets = w.markets.map((m) => m.symbol);
  const seen = new Set([w.headquarters]);
  const queue = [w.headquarters];
  while (queue.length > 0) {
    const at = queue.pop()!;
    if (!fuel.has(at)) continue;
    for (const next of markets) {
      if (!seen.has(next) && distance(pos.get(at)!, pos.get(next)!) <= range) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return markets.filter((m) => !seen.has(m));
}

describe('sim world: generator invariants (MECHANICS.md §6.5)', () => {
  for (const seed of [1, 2, 3, 17, 2026]) {
    it(`seed ${seed}: ~80 waypoints, 25–30 markets, 3 shipyards, exporters import inputs, every placed good obtainable`, () => {
      const w = generateWorld(seed);
      validateWorld(w);
      expect(w.waypoints.length).to.be.within(75, 90);
      expect(w.markets.length).to.be.within(25, 30);
      expect(w.shipyards.length).to.equal(3);
      const byType = (t: string) => w.waypoints.filter((p) => p.type === t).length;
      expect(byType('ASTEROID')).to.be.greaterThan(30);
      expect(byType('FUEL_STATION')).to.be.within(3, 4);
      expect(byType('JUMP_GATE')).to.equal(1);
      const hq = w.waypoints.find((p) => p.symbol === w.headquarters)!;
      expect(hq.type).to.equal('PLANET');
      expect(w.waypoints.filter((p) => p.orbits === hq.symbol).length).to.be.at.least(2);
      const obtainable = new Set<string>();
      for (const m of w.markets) for (const g of m.goods) if (g.type !== 'IMPORT') obtainable.add(g.symbol);
      let withFuel = 0;
      for (const m of w.markets) {
        const symbols = new Set(m.goods.map((g) => g.symbol));
        expect(symbols.size, `${m.symbol} lists each good once`).to.equal(m.goods.length);
        if (symbols.has('FUEL')) withFuel++;
        for (const g of m.goods) {
          expect(obtainable.has(g.symbol), `${g.symbol} at ${m.symbol} is exported or exchanged somewhere`).to.equal(true);
          if (g.type === 'EXPORT') {
            for (const input of inputsOf(g.symbol)) {
              const listed = m.goods.find((x) => x.symbol === input);
              expect(listed?.type, `${m.symbol} exports ${g.symbol} so imports ${input}`).to.equal('IMPORT');
            }
          }
        }
        const wpt = w.waypoints.find((p) => p.symbol === m.symbol)!;
        expect(wpt.traits).to.include('MARKETPLACE');
      }
      expect(withFuel / w.markets.length).to.be.greaterThan(0.9);
      for (const y of w.shipyards) expect(w.waypoints.find((p) => p.symbol === y.symbol)!.traits).to.include('SHIPYARD');
      expect(w.shipyards.some((y) => y.ships.some((s) => s.type === 'SHIP_LIGHT_HAULER'))).to.equal(true);
      expect(unreachable(w, 400), 'markets the frigate cannot reach from HQ with refuelling hops').to.deep.equal([]);
    });
  }

  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify(generateWorld(5))).to.equal(JSON.stringify(generateWorld(5)));
    expect(JSON.stringify(generateWorld(5))).to.not.equal(JSON.stringify(generateWorld(6)));
    expect(JSON.stringify(loadWorld('generated', 5))).to.equal(JSON.stringify(generateWorld(5)));
  });

  it('a generated world plays: register, see the HQ market, fly to a market and buy', () => {
    const clock = new ManualClock();
    const w = generateWorld(3);
    const u = Universe.create({ world: w, clock });
    const g = {
      u,
      clock,
      advanceGame: (s: number) => clock.advance(s * 1000),
      call: (operationId: string, opts: any = {}) => u.handle({ operationId, token: opts.token, params: opts.params ?? {}, query: opts.query ?? {}, body: opts.body }),
    };
    const a = register(g as any);
    const market = data(a.call('get-market', undefined, { systemSymbol: w.system.symbol, waypointSymbol: w.headquarters }));
    expect(market['tradeGoods'].length).to.be.greaterThan(0);
    const fuel = market['tradeGoods'].find((t: any) => t.symbol === 'FUEL');
    expect(fuel.type).to.equal('EXCHANGE');
    expect(data(a.call('purchase-cargo', { symbol: 'FUEL', units: 10 }), 201)['cargo']['units']).to.equal(10);
  });
});

describe('sim world: the real X1-AD75 world', () => {
  it('loads with 82 waypoints, 25 markets, 3 shipyards and the captured prices', () => {
    const w = loadWorld(AD75);
    expect(w.waypoints).to.have.length(82);
    expect(w.markets).to.have.length(25);
    expect(w.shipyards).to.have.length(3);
    expect(w.headquarters).to.equal('X1-AD75-A1');
    expect(unreachable(w, 400)).to.deep.equal([]);
    expect(Object.keys(w.exportToImportMap)).to.have.length(129);
    const u = Universe.create({ world: w, clock: new ManualClock() });
    const reg = u.handle({ operationId: 'register', token: SIM_ACCOUNT_TOKEN, params: {}, query: {}, body: { symbol: 'REAL', faction: 'LORDS' } });
    const token = (reg.body as any).data.token as string;
    const m = u.handle({ operationId: 'get-market', token, params: { systemSymbol: 'X1-AD75', waypointSymbol: 'X1-AD75-A1' }, query: {}, body: undefined });
    const goods = (m.body as any).data.tradeGoods as any[];
    expect(goods.find((g) => g.symbol === 'FOOD')).to.deep.include({ type: 'IMPORT', tradeVolume: 60, supply: 'MODERATE', purchasePrice: 4152, sellPrice: 1953 });
    expect(goods.find((g) => g.symbol === 'FUEL')).to.deep.include({ type: 'EXCHANGE', tradeVolume: 180, supply: 'MODERATE', purchasePrice: 72, sellPrice: 68 });
    expect(goods.find((g) => g.symbol === 'EXOTIC_MATTER')).to.deep.include({ supply: 'SCARCE', purchasePrice: 71496, sellPrice: 35689 });
    const sys = u.handle({ operationId: 'get-system', params: { systemSymbol: 'X1-AD75' }, query: {}, body: undefined });
    expect((sys.body as any).data.waypoints).to.have.length(82);
    const a1 = (sys.body as any).data.waypoints.find((p: any) => p.symbol === 'X1-AD75-A1');
    expect(a1.orbitals.map((o: any) => o.symbol)).to.include.members(['X1-AD75-A2', 'X1-AD75-A3', 'X1-AD75-A4']);
  });

  it('rejects a world file that is not one, naming the problem', () => {
    expect(() => loadWorld('/nonexistent/world.json')).to.throw(/cannot read world file/);
    expect(() => validateWorld({ formatVersion: 9 })).to.throw(/formatVersion must be 1/);
  });
});
