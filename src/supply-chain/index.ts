/** The supply chain: loading supply_chain.yaml, the goods graph, tree resolution, rendering, writing. */
export type { SupplyChain, SupplyChainMap } from './types.js';
export { loadSupplyChain, parseSupplyChain, resolveSupplyChainPath, supplyChainHash, SUPPLY_CHAIN_ENV, displayPath } from './load.js';
export { SupplyChainGraph, formatCycle } from './graph.js';
export { resolveTree, walkTree, type ResolveOptions, type SupplyTreeNode } from './resolve-tree.js';
export { renderSupplyChainYaml, writeSupplyChainFile, diffSupplyChains, type SupplyChainOrigin, type SupplyChainDiff } from './writer.js';
export { canonicalJson, canonicalHash } from './hash.js';
export { packageRoot, bundledSupplyChainPath, schemaPath } from './paths.js';
