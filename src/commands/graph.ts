import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { supplyChainFlag } from '../cli/flags.js';
import { invalidInput } from '../cli/errors.js';
import { parseGoodList, requireKnownGood } from '../supply-chain/goods-arg.js';
import { SupplyChainGraph } from '../supply-chain/graph.js';
import { loadSupplyChain } from '../supply-chain/load.js';
import { graphView, renderDot, renderMermaid, renderTextTree } from '../supply-chain/render.js';

export default class Graph extends BaseCommand {
  static override jsonSchema = 'graph-result.schema.json';

  static override summary = 'Show what a good is made of: its input tree in the supply chain.';

  static override description = `Draws the input tree of GOOD from the supply chain (the bundled supply_chain.yaml, --supply-chain FILE or ST_GOODS_SUPPLY_CHAIN). The map is cyclic: a good already on the path is drawn once more with a loop marker (↻), and a good already expanded elsewhere is drawn with "(see above)", so the tree is always finite. Goods named in --buyable are drawn as leaves marked [buy], the way the planner stops at goods it can buy. --format dot and mermaid draw the subgraph reachable from GOOD, arrows running from an input to the good made from it. Works offline.`;

  static override examples = [
    { description: 'The whole input tree of ADVANCED_CIRCUITRY', command: '<%= config.bin %> <%= command.id %> ADVANCED_CIRCUITRY' },
    { description: 'Stop where goods can be bought', command: '<%= config.bin %> <%= command.id %> ADVANCED_CIRCUITRY --buyable SILICON_CRYSTALS,COPPER' },
    { description: 'A Mermaid diagram two levels deep, for a pull request', command: '<%= config.bin %> <%= command.id %> SHIP_PARTS --format mermaid --depth 2' },
    { description: 'Graphviz', command: '<%= config.bin %> <%= command.id %> MACHINERY --format dot | dot -Tsvg > machinery.svg' },
  ];

  static override args = {
    good: Args.string({ description: 'the good (trade symbol), e.g. ADVANCED_CIRCUITRY', required: true }),
  };

  static override flags = {
    format: Flags.string({ description: 'output format', options: ['text', 'dot', 'mermaid'], default: 'text' }),
    depth: Flags.integer({ description: 'levels of inputs to draw (default: all)', min: 0 }),
    buyable: Flags.string({ description: 'comma-separated goods to treat as buyable: drawn as leaves' }),
    'supply-chain': supplyChainFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Graph);
    const supplyChain = loadSupplyChain(flags['supply-chain']);
    const graph = new SupplyChainGraph(supplyChain.map);
    const good = requireKnownGood(graph, args.good);
    if (!graph.has(good)) {
      throw invalidInput(`${good} is a trade good, but the supply chain ${supplyChain.source} does not mention it: it has no inputs to draw.`, 'Use another good, or refresh the supply chain with `st-goods supply-chain refresh`.');
    }
    const buyable = new Set(parseGoodList(graph, flags.buyable, 'good in --buyable'));
    const opts = { maxDepth: flags.depth, isBuyable: (g: string) => buyable.has(g) };
    const view = graphView(graph, good, opts);
    if (!this.jsonEnabled()) {
      const text = flags.format === 'dot' ? renderDot(view) : flags.format === 'mermaid' ? renderMermaid(view) : renderTextTree(graph, good, opts);
      process.stdout.write(text);
    }
    return { ...view, buyable: [...buyable], supplyChain: { source: supplyChain.source, hash: supplyChain.hash } };
  }
}
