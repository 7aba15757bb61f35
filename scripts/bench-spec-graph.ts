/**
 * Benchmark of the spec and supply-chain layer (npx tsx scripts/bench-spec-graph.ts): loading the
 * bundled supply_chain.yaml (cold, with schema compile, then warm), validating the example specs,
 * building the goods graph, finding cycles, and resolving the production tree of every good of
 * the real map under the X1-AD75 buyable set (goods listed at any market there), with and without
 * exploring MAKE alternatives. Writes bench/results/spec-graph.json. Figures only, no assertions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadSpec } from '../src/spec/load.js';
import { SupplyChainGraph } from '../src/supply-chain/graph.js';
import { loadSupplyChain } from '../src/supply-chain/load.js';
import { walkTree } from '../src/supply-chain/resolve-tree.js';
import { isUserError } from '../src/cli/errors.js';

const ms = (t0: number): number => Math.round((performance.now() - t0) * 1000) / 1000;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
function repeat(n: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    times.push(ms(t0));
  }
  return median(times);
}

let t0 = performance.now();
const sc = loadSupplyChain(undefined, {});
const loadColdMs = ms(t0);
const loadWarmMs = repeat(20, () => loadSupplyChain(undefined, {}));

const specs = fs.readdirSync('plans').filter((f) => /\.ya?ml$/.test(f) && !f.includes('.plan.'));
const specMs = Object.fromEntries(specs.map((f) => [f, repeat(20, () => loadSpec(path.join('plans', f), sc))]));

const graphBuildMs = repeat(20, () => new SupplyChainGraph(sc.map));
const graph = new SupplyChainGraph(sc.map);
const findCyclesMs = repeat(20, () => graph.findCycles());
t0 = performance.now();
let cycleCount = 0;
for (const g of graph.goods()) cycleCount += graph.cyclesThrough(g).length;
const cyclesThroughAllMs = ms(t0);

const markets = JSON.parse(fs.readFileSync('test/unit/supply-chain/fixtures/x1-ad75-markets.json', 'utf8')) as { markets: Record<string, Record<string, string[]>> };
const listed = new Set(Object.values(markets.markets).flatMap((m) => Object.values(m).flat()));

function resolveAll(makeDepth: number): { ms: number; resolved: number; refused: number; maxNodes: number; totalNodes: number } {
  let resolved = 0;
  let refused = 0;
  let maxNodes = 0;
  let totalNodes = 0;
  const start = performance.now();
  for (const g of graph.goods()) {
    try {
      const tree = graph.resolveTree(g, (x) => listed.has(x) && x !== g, { makeDepth });
      let n = 0;
      walkTree(tree, () => n++);
      maxNodes = Math.max(maxNodes, n);
      totalNodes += n;
      resolved++;
    } catch (e) {
      if (!isUserError(e)) throw e;
      refused++;
    }
  }
  return { ms: ms(start), resolved, refused, maxNodes, totalNodes };
}

const results = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  goods: graph.goods().length,
  supplyChain: { loadColdMs, loadWarmMedianMs: loadWarmMs, hash: sc.hash },
  specValidateMedianMs: specMs,
  graph: { buildMedianMs: graphBuildMs, findCyclesMedianMs: findCyclesMs, cycleGroups: graph.findCycles().map((g) => g.length), cyclesThroughAllGoodsMs: cyclesThroughAllMs, simpleCyclesFound: cycleCount },
  resolveTreeAllGoods: {
    note: 'every good as target, buyable = listed at an X1-AD75 market except the target itself',
    makeDepth0: resolveAll(0),
    makeDepth3: resolveAll(3),
    makeDepth10: resolveAll(10),
  },
};
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/spec-graph.json', `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
