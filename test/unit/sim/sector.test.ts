import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loadWorld, type WorldDefinition } from '../../../src/sim/engine/index.js';
import { EXPORT_TO_IMPORT_MAP } from '../../../src/sim/world/export-to-import-map.js';
import { CORE_TEMPLATES, OPTIONAL_TEMPLATES } from '../../../src/sim/world/generate.js';
import { HOME_GATE_BILL, jumpGatesOf, systemsOf } from '../../../src/sim/world/sector.js';

/**
 * The sector builder's world (issue 10, "World: a sector"; BEYOND.md a.2, a.3), checked on the
 * built world itself for both homes (generated, captured X1-AD75), 12 and 50 systems, several seeds:
 * the gate graph (one gate per system, 2–6 connections, symmetric, connected), unbuilt gates, every
 * good of the supply chain exported somewhere, advanced goods only in a few core systems, FUEL and
 * ANTIMATTER at every gate, generated starting supply by trade type as in the capture.
 */
const AD75 = fileURLToPath(new URL('../../../worlds/X1-AD75.json', import.meta.url));
const BASIC = new Set<string>([...CORE_TEMPLATES, ...OPTIONAL_TEMPLATES].flatMap((t) => t.exports));

describe('sim world: the sector builder (issue 10)', () => {
  for (const [home, label] of [['sector', 'generated home'], [AD75, 'X1-AD75 home']] as const) {
    for (const n of [12, 50]) {
      for (const seed of [1, 2, 7]) {
        describe(`${label}, ${n} systems, seed ${seed}`, () => {
          let w: WorldDefinition;
          before(() => {
            w = loadWorld(home, seed, n);
          });

          it('one gate per system; each has 2–6 connections, listed on both sides; the graph is connected', () => {
            const systems = systemsOf(w);
            const gates = jumpGatesOf(w);
            expect(systems).to.have.length(n);
            expect(gates).to.have.length(n);
            const bySymbol = new Map(gates.map((g) => [g.symbol, g]));
            for (const s of systems) expect(s.waypoints.filter((p) => p.type === 'JUMP_GATE').map((p) => p.symbol)).to.have.length(1).and.satisfy(([g]: string[]) => bySymbol.has(g));
            for (const g of gates) {
              expect(g.connections.length, g.symbol).to.be.within(2, 6);
              for (const c of g.connections) expect(bySymbol.get(c)!.connections, `${c} lists ${g.symbol}`).to.include(g.symbol);
            }
            const seen = new Set([gates[0]!.symbol]);
            const todo = [gates[0]!.symbol];
            while (todo.length) for (const c of bySymbol.get(todo.pop()!)!.connections) if (!seen.has(c)) seen.add(c), todo.push(c);
            expect(seen.size).to.equal(n);
          });

          it('the home gate is under construction with the real bill; about a quarter of the others too; the built ones stay connected; far gates start UNCHARTED', () => {
            const waypoints = new Map(systemsOf(w).flatMap((s) => s.waypoints.map((p) => [p.symbol, p] as const)));
            const gates = jumpGatesOf(w);
            const [homeGate, ...others] = gates;
            expect(waypoints.get(homeGate!.symbol)!.isUnderConstruction).to.equal(true);
            expect(homeGate!.construction).to.deep.equal(HOME_GATE_BILL);
            const unbuilt = others.filter((g) => waypoints.get(g.symbol)!.isUnderConstruction);
            expect(unbuilt.length).to.be.within(1, Math.ceil((n - 1) / 4));
            for (const g of gates) expect(Boolean(g.construction), g.symbol).to.equal(Boolean(waypoints.get(g.symbol)!.isUnderConstruction));
            // Connections are listed even when the far gate is unbuilt: some gate lists an unbuilt one.
            expect(others.some((g) => g.connections.some((c) => unbuilt.some((u) => u.symbol === c)))).to.equal(true);
            const built = new Set(others.filter((g) => !unbuilt.includes(g)).map((g) => g.symbol));
            const bySymbol = new Map(gates.map((g) => [g.symbol, g]));
            const start = [...built][0]!;
            const seen = new Set([start]);
            const todo = [start];
            while (todo.length) for (const c of bySymbol.get(todo.pop()!)!.connections) if (built.has(c) && !seen.has(c)) seen.add(c), todo.push(c);
            expect(seen.size, 'built gates reach each other').to.equal(built.size);
            for (const g of others) expect(waypoints.get(g.symbol)!.traits, g.symbol).to.include('UNCHARTED');
          });

          it('every good of the supply chain is exported by some market; advanced goods only in a few core systems; every gate sells FUEL and ANTIMATTER', () => {
            const systems = systemsOf(w);
            const exportsOf = (s: (typeof systems)[number]): Set<string> => new Set(s.markets.flatMap((m) => m.goods.filter((g) => g.type === 'EXPORT').map((g) => g.symbol)));
            const exported = new Set(systems.flatMap((s) => [...exportsOf(s)]));
            expect(Object.keys(EXPORT_TO_IMPORT_MAP).filter((g) => !exported.has(g))).to.deep.equal([]);
            const core = systems.slice(1).filter((s) => [...exportsOf(s)].some((g) => !BASIC.has(g)));
            expect(core.length).to.be.within(1, Math.max(1, Math.round((n - 1) / 4)));
            const markets = new Map(systems.flatMap((s) => s.markets.map((m) => [m.symbol, m] as const)));
            for (const g of jumpGatesOf(w)) expect(markets.get(g.symbol)?.goods.map((x) => x.symbol), g.symbol).to.include.members(['FUEL', 'ANTIMATTER']);
          });

          it('generated systems start their imports low and their exports high, as the capture does', () => {
            const low = new Set(['SCARCE', 'LIMITED', 'MODERATE']);
            const high = new Set(['HIGH', 'ABUNDANT']);
            const off: string[] = [];
            for (const s of systemsOf(w).slice(1)) {
              for (const m of s.markets) {
                for (const g of m.goods) if ((g.type === 'IMPORT' && !low.has(g.supply)) || (g.type === 'EXPORT' && !high.has(g.supply))) off.push(`${m.symbol} ${g.type} ${g.symbol} ${g.supply}`);
              }
            }
            expect(off).to.deep.equal([]);
          });
        });
      }
    }
  }

  it('is deterministic for a home, seed and size', () => {
    expect(JSON.stringify(loadWorld('sector', 5, 12))).to.equal(JSON.stringify(loadWorld('sector', 5, 12)));
    expect(JSON.stringify(loadWorld('sector', 5, 12))).to.not.equal(JSON.stringify(loadWorld('sector', 6, 12)));
  });
});
