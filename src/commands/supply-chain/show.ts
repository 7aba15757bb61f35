import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { supplyChainFlag } from '../../cli/flags.js';
import { formatCycle, SupplyChainGraph } from '../../supply-chain/graph.js';
import { requireKnownGood } from '../../supply-chain/goods-arg.js';
import { loadSupplyChain } from '../../supply-chain/load.js';

export default class SupplyChainShow extends BaseCommand {
  static override jsonSchema = 'supply-chain-show-result.schema.json';

  static override summary = 'List the goods of the supply chain, or show one good: inputs, consumers, loops.';

  static override description = `Without GOOD: every good of the supply chain with its inputs, then the groups of goods that lie on loops. With GOOD: its inputs, the goods made from it, and the shortest loops through it. Reads the bundled supply_chain.yaml, --supply-chain FILE or ST_GOODS_SUPPLY_CHAIN; works offline.`;

  static override examples = [
    { description: 'All goods', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'One good and the loops through it', command: '<%= config.bin %> <%= command.id %> IRON_ORE' },
  ];

  static override args = {
    good: Args.string({ description: 'a good (trade symbol)', required: false }),
  };

  static override flags = {
    'supply-chain': supplyChainFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(SupplyChainShow);
    const sc = loadSupplyChain(flags['supply-chain']);
    const graph = new SupplyChainGraph(sc.map);
    if (!args.good) {
      const cycles = graph.findCycles();
      if (!this.jsonEnabled()) {
        this.log(`${sc.source}: ${Object.keys(sc.map).length} goods, ${sc.hash}`);
        for (const g of Object.keys(sc.map)) this.log(`  ${g.padEnd(28)} ← ${graph.inputsOf(g).join(', ') || '(nothing)'}`);
        this.log(`\nGoods on loops (${cycles.length} group${cycles.length === 1 ? '' : 's'}):`);
        for (const c of cycles) this.log(`  ${c.join(', ')}`);
      }
      return { source: sc.source, hash: sc.hash, goods: Object.keys(sc.map).map((g) => ({ good: g, inputs: graph.inputsOf(g) })), cycles };
    }
    const good = requireKnownGood(graph, args.good);
    const result = { good, inputs: graph.inputsOf(good), consumers: graph.consumersOf(good), loops: graph.cyclesThrough(good, 5), hasRecipe: graph.hasRecipe(good) };
    if (!this.jsonEnabled()) {
      this.log(`${good}`);
      this.log(`  made from:  ${result.inputs.join(', ') || (result.hasRecipe ? '(nothing listed)' : '(not in the supply chain)')}`);
      this.log(`  used for:   ${result.consumers.join(', ') || '(nothing)'}`);
      this.log(result.loops.length ? `  loops:\n${result.loops.map((l) => `    ${formatCycle(l)}`).join('\n')}` : '  loops:     none');
    }
    return result;
  }
}
