import { expect } from 'chai';
import { SupplyChainGraph } from '../../../src/supply-chain/graph.js';
import { graphView, renderDot, renderMermaid, renderTextTree } from '../../../src/supply-chain/render.js';
import { liveApiBody } from './fixtures.js';

describe('supply chain: rendering the input tree', () => {
  const graph = new SupplyChainGraph(liveApiBody().data.exportToImportMap);

  it('the text tree of every good of the real map is finite and shows every good it reaches', () => {
    for (const good of graph.goods()) {
      const text = renderTextTree(graph, good);
      const lines = text.trimEnd().split('\n');
      expect(lines.length, good).to.be.at.most(graph.goods().length * 4);
      const drawn = new Set(lines.map((l) => /([A-Z][A-Z0-9_]+)/.exec(l)?.[1]));
      for (const reached of graph.reachableFrom(good).keys()) expect(drawn.has(reached), `${good} reaches ${reached}`).to.equal(true);
    }
  });

  it('marks loops, repeats, buyable leaves and the depth cut', () => {
    const text = renderTextTree(graph, 'MACHINERY');
    expect(text).to.equal(
      [
        'MACHINERY',
        '└── IRON',
        '    └── IRON_ORE',
        '        └── EXPLOSIVES',
        '            ├── LIQUID_HYDROGEN',
        '            │   └── MACHINERY ↻ loop: MACHINERY → IRON → IRON_ORE → EXPLOSIVES → LIQUID_HYDROGEN → MACHINERY',
        '            └── LIQUID_NITROGEN',
        '                └── MACHINERY ↻ loop: MACHINERY → IRON → IRON_ORE → EXPLOSIVES → LIQUID_NITROGEN → MACHINERY',
        '',
      ].join('\n'),
    );
    expect(renderTextTree(graph, 'MACHINERY', { isBuyable: (g) => g === 'IRON_ORE' })).to.equal('MACHINERY\n└── IRON\n    └── IRON_ORE [buy]\n');
    expect(renderTextTree(graph, 'MACHINERY', { maxDepth: 1 })).to.equal('MACHINERY\n└── IRON …\n');
    // The root is expanded even when it is buyable itself.
    expect(renderTextTree(graph, 'IRON', { isBuyable: () => true })).to.equal('IRON\n└── IRON_ORE [buy]\n');
  });

  it('graphView, mermaid and dot cover the same reachable subgraph', () => {
    const view = graphView(graph, 'SHIP_PARTS', { isBuyable: (g) => ['ALUMINUM', 'PLASTICS', 'COPPER'].includes(g) });
    expect(view.nodes.map((n) => n.good)).to.have.members(['SHIP_PARTS', 'EQUIPMENT', 'ELECTRONICS', 'ALUMINUM', 'PLASTICS', 'SILICON_CRYSTALS', 'COPPER', 'EXPLOSIVES', 'LIQUID_HYDROGEN', 'LIQUID_NITROGEN', 'MACHINERY', 'IRON', 'IRON_ORE']);
    expect(view.edges).to.deep.include({ good: 'ELECTRONICS', input: 'COPPER' });
    expect(view.edges.some((e) => e.good === 'COPPER')).to.equal(false, 'buyable goods are not expanded');
    expect(view.cycles).to.deep.equal([['LIQUID_HYDROGEN', 'MACHINERY', 'LIQUID_NITROGEN', 'EXPLOSIVES', 'IRON_ORE', 'IRON']]);
    const mermaid = renderMermaid(view);
    expect(mermaid.match(/-->/g)).to.have.length(view.edges.length);
    expect(mermaid).to.contain('  class ALUMINUM,PLASTICS,COPPER buy\n');
    const dot = renderDot(view);
    expect(dot.match(/->/g)).to.have.length(view.edges.length);
    expect(dot).to.match(/^digraph supply_chain \{/);
    expect(dot).to.contain('"COPPER" -> "ELECTRONICS";');
  });
});
