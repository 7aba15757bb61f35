import { expect } from 'chai';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { SupplyChainGraph, formatCycle } from '../../../src/supply-chain/graph.js';
import { walkTree, type SupplyTreeNode } from '../../../src/supply-chain/resolve-tree.js';
import { liveApiBody, listedInX1AD75 } from './fixtures.js';
import { caught } from '../../helpers/user-error.js';

/** Goods at which the tree stops (leaves that were not expanded), in tree order. */
function leaves(tree: SupplyTreeNode): string[] {
  const out: string[] = [];
  walkTree(tree, (n) => {
    if (!n.children) out.push(n.good);
  });
  return out;
}

/** "A(B(C,D),E)" */
function shape(n: SupplyTreeNode): string {
  return n.children ? `${n.good}(${n.children.map(shape).join(',')})` : n.good;
}

describe('supply chain: the goods graph of the real map', () => {
  const graph = new SupplyChainGraph(liveApiBody().data.exportToImportMap);

  it('knows goods, inputs (de-duplicated) and consumers', () => {
    expect(graph.goods()).to.have.length(129);
    expect(graph.has('IRON')).to.equal(true);
    expect(graph.has('FRAME_PROBE')).to.equal(false);
    expect(graph.inputsOf('ADVANCED_CIRCUITRY')).to.deep.equal(['ELECTRONICS', 'MICROPROCESSORS']);
    expect(graph.inputsOf('MODULE_WARP_DRIVE_III')).to.deep.equal(['PLATINUM', 'ADVANCED_CIRCUITRY', 'MERITIUM']);
    expect(graph.inputsOf('NOT_A_GOOD')).to.deep.equal([]);
    expect(graph.consumersOf('IRON_ORE')).to.deep.equal(['IRON']);
    expect(graph.consumersOf('MACHINERY')).to.include.members(['LIQUID_HYDROGEN', 'LIQUID_NITROGEN', 'HYDROCARBON', 'SHIP_SALVAGE']);
  });

  it('is cyclic; every input is also a key ("no recipe" never means raw)', () => {
    expect(graph.isAcyclic()).to.equal(false);
    for (const good of graph.goods()) expect(graph.hasRecipe(good), good).to.equal(true);
  });

  it('finds the cycles and names them', () => {
    const groups = graph.findCycles();
    expect(groups.length).to.be.greaterThan(0);
    const big = groups.find((g) => g.includes('IRON_ORE'));
    expect(big).to.include.members(['IRON_ORE', 'EXPLOSIVES', 'LIQUID_HYDROGEN', 'LIQUID_NITROGEN', 'MACHINERY', 'IRON']);
    expect(graph.cycleGroupOf('ADVANCED_CIRCUITRY')).to.equal(undefined, 'nothing needs ADVANCED_CIRCUITRY on its way down');

    const cycles = graph.cyclesThrough('IRON_ORE');
    expect(cycles.map(formatCycle)).to.include('IRON_ORE → EXPLOSIVES → LIQUID_HYDROGEN → MACHINERY → IRON → IRON_ORE');
    expect(cycles.map(formatCycle)).to.include('IRON_ORE → EXPLOSIVES → LIQUID_NITROGEN → MACHINERY → IRON → IRON_ORE');
    for (const c of cycles) {
      expect(c[0]).to.equal('IRON_ORE');
      expect(c[c.length - 1]).to.equal('IRON_ORE');
      for (let i = 0; i + 1 < c.length; i++) expect(graph.inputsOf(c[i] as string), formatCycle(c)).to.include(c[i + 1]);
      expect(new Set(c.slice(0, -1)).size, 'simple cycle').to.equal(c.length - 1);
    }
    const lengths = cycles.map((c) => c.length);
    expect(lengths).to.deep.equal([...lengths].sort((a, b) => a - b), 'shortest first');
    expect(graph.cyclesThrough('MACHINERY')).to.have.length(2, 'via LIQUID_HYDROGEN and via LIQUID_NITROGEN');
    expect(graph.cyclesThrough('MACHINERY', 1)).to.have.length(1);
    expect(graph.cyclesThrough('ADVANCED_CIRCUITRY')).to.deep.equal([]);
  });

  describe('resolveTree', () => {
    const listed = listedInX1AD75();

    it('a buyable target is a leaf (BUY candidate) that still exposes its inputs', () => {
      const tree = graph.resolveTree('ADVANCED_CIRCUITRY', (g) => listed.has(g));
      expect(tree.buyable).to.equal(true);
      expect(tree.children).to.equal(undefined);
      expect(tree.inputs).to.deep.equal(['ELECTRONICS', 'MICROPROCESSORS']);
      expect(tree.satisfiable).to.equal(true);
    });

    it('ADVANCED_CIRCUITRY with X1-AD75 markets minus its makers\' outputs stops at SILICON_CRYSTALS and COPPER', () => {
      const notSold = new Set(['ADVANCED_CIRCUITRY', 'ELECTRONICS', 'MICROPROCESSORS']);
      const tree = graph.resolveTree('ADVANCED_CIRCUITRY', (g) => listed.has(g) && !notSold.has(g));
      expect(shape(tree)).to.equal('ADVANCED_CIRCUITRY(ELECTRONICS(SILICON_CRYSTALS,COPPER),MICROPROCESSORS(SILICON_CRYSTALS,COPPER))');
      expect(tree.makeable).to.equal(true);
      const copper = tree.children?.[0]?.children?.[1];
      expect(copper?.path).to.deep.equal(['ADVANCED_CIRCUITRY', 'ELECTRONICS', 'COPPER']);
      expect(copper?.depth).to.equal(2);
      expect(copper?.inputs).to.deep.equal(['COPPER_ORE']);
    });

    it('SHIP_PARTS, wide: stops at every buyable good and expands the rest', () => {
      const buyable = new Set(['ALUMINUM', 'LIQUID_HYDROGEN', 'SILICON_CRYSTALS', 'COPPER_ORE']);
      const tree = graph.resolveTree('SHIP_PARTS', (g) => buyable.has(g));
      expect(shape(tree)).to.equal('SHIP_PARTS(EQUIPMENT(ALUMINUM,PLASTICS(LIQUID_HYDROGEN)),ELECTRONICS(SILICON_CRYSTALS,COPPER(COPPER_ORE)))');
      walkTree(tree, (n) => expect(Boolean(n.children), n.good).to.equal(!n.buyable));
      expect(leaves(tree).every((g) => buyable.has(g))).to.equal(true);
    });

    it('an unbreakable cycle is INFEASIBLE and the error names the cycle and the fix', () => {
      // Ores and refined metals on sale, but nothing on the IRON_ORE loop.
      const buyable = new Set(['COPPER', 'SILICON_CRYSTALS', 'ALUMINUM']);
      const e = caught(() => graph.resolveTree('MACHINERY', (g) => buyable.has(g)));
      expect(e.exitCode).to.equal(ExitCode.INFEASIBLE);
      expect(e.code).to.equal('INFEASIBLE');
      expect(e.message).to.contain('Cannot produce MACHINERY');
      expect(e.message).to.contain('MACHINERY → IRON → IRON_ORE → EXPLOSIVES → LIQUID_HYDROGEN → MACHINERY');
      expect(e.hint).to.match(/buyable|sells/);
      expect((e.details as { cycle: string[] }).cycle).to.deep.equal(['MACHINERY', 'IRON', 'IRON_ORE', 'EXPLOSIVES', 'LIQUID_HYDROGEN', 'MACHINERY']);
    });

    it('the cycle is named from where it starts, even when the target is above it', () => {
      const e = caught(() => graph.resolveTree('IRON_ORE', () => false));
      expect(e.message).to.contain('IRON_ORE → EXPLOSIVES → LIQUID_HYDROGEN → MACHINERY → IRON → IRON_ORE');
      const f = caught(() => graph.resolveTree('ADVANCED_CIRCUITRY', (g) => g === 'COPPER'));
      expect(formatCycle((f.details as { cycle: string[] }).cycle)).to.equal('EXPLOSIVES → LIQUID_HYDROGEN → MACHINERY → IRON → IRON_ORE → EXPLOSIVES');
      expect((f.details as { path: string[] }).path.slice(0, 3)).to.deep.equal(['ADVANCED_CIRCUITRY', 'ELECTRONICS', 'SILICON_CRYSTALS']);
    });

    it('a cycle with one buyable good on it is broken there', () => {
      const tree = graph.resolveTree('IRON', (g) => g === 'MACHINERY');
      expect(shape(tree)).to.equal('IRON(IRON_ORE(EXPLOSIVES(LIQUID_HYDROGEN(MACHINERY),LIQUID_NITROGEN(MACHINERY))))');
    });

    it('a good neither buyable nor in the map is INFEASIBLE naming it', () => {
      const g = new SupplyChainGraph({ WIDGET: ['GIZMO', 'IRON'] });
      const e = caught(() => g.resolveTree('WIDGET', (x) => x === 'IRON'));
      expect(e.exitCode).to.equal(ExitCode.INFEASIBLE);
      expect(e.message).to.contain('GIZMO').and.contain('WIDGET → GIZMO');
      const unknownTarget = caught(() => g.resolveTree('NOPE', () => false));
      expect(unknownTarget.message).to.contain('NOPE');
      // ...but a buyable good outside the map is fine: it is simply bought.
      expect(g.resolveTree('NOPE', () => true).buyable).to.equal(true);
    });

    it('makeDepth explores the MAKE alternative of buyable goods without failing on its loops', () => {
      const buyable = new Set(['IRON', 'MACHINERY', 'IRON_ORE']);
      const tree = graph.resolveTree('MACHINERY', (g) => buyable.has(g), { makeDepth: 2 });
      expect(tree.buyable).to.equal(true);
      expect(shape(tree)).to.equal('MACHINERY(IRON(IRON_ORE))');
      expect(tree.makeable).to.equal(true);
      const iron = tree.children?.[0];
      expect(iron?.children?.[0]?.truncated).to.equal(true);

      // The loop under a buyable target makes MAKE unavailable, not an error: making IRON_ORE
      // would need IRON_ORE itself.
      const loop = graph.resolveTree('IRON_ORE', (g) => g === 'IRON_ORE', { makeDepth: 10 });
      expect(loop.satisfiable).to.equal(true);
      expect(loop.makeable).to.equal(false);
      const cycleNodes: string[][] = [];
      walkTree(loop, (n) => n.cycle && cycleNodes.push(n.cycle));
      expect(cycleNodes.map(formatCycle)).to.include('IRON_ORE → EXPLOSIVES → LIQUID_HYDROGEN → MACHINERY → IRON → IRON_ORE');

      // With MACHINERY buyable too, making IRON_ORE is possible again: buy MACHINERY, make the rest.
      const broken = graph.resolveTree('IRON_ORE', (g) => g === 'IRON_ORE' || g === 'MACHINERY', { makeDepth: 10 });
      expect(broken.makeable).to.equal(true);
    });

    it('is bounded: a huge tree is refused instead of exhausting memory', () => {
      const e = caught(() => graph.resolveTree('SHIP_PARTS', () => true, { makeDepth: 50, maxNodes: 20 }));
      expect(e.message).to.contain('more than 20');
    });
  });
});
