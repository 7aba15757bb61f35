import { formatCycle } from './resolve-tree.js';
import type { SupplyChainGraph } from './graph.js';

/** How far to draw and where to stop. */
export interface ViewOptions {
  /** Levels of inputs to show below the good (undefined: no limit; the view is finite anyway). */
  maxDepth?: number;
  /** Goods drawn as leaves marked "buy" (their inputs are not drawn); the root is always expanded. */
  isBuyable?: (good: string) => boolean;
}

/** The part of the graph that the input tree of one good covers: data for --json, dot and mermaid. */
export interface GraphView {
  good: string;
  /** Each good drawn, with its distance from `good` (breadth-first). */
  nodes: Array<{ good: string; depth: number; buyable: boolean; hasRecipe: boolean; expanded: boolean; inputs: string[] }>;
  /** "good needs input", once per pair, for every expanded node. */
  edges: Array<{ good: string; input: string }>;
  /** The cycle groups (strongly connected goods) that the view touches, restricted to the goods drawn. */
  cycles: string[][];
}

export function graphView(graph: SupplyChainGraph, good: string, opts: ViewOptions = {}): GraphView {
  const isBuyable = opts.isBuyable ?? (() => false);
  const depths = graph.reachableFrom(good, { maxDepth: opts.maxDepth, stopAt: isBuyable });
  const nodes: GraphView['nodes'] = [];
  const edges: GraphView['edges'] = [];
  for (const [g, depth] of depths) {
    const buyable = isBuyable(g);
    const expanded = (g === good || !buyable) && (opts.maxDepth === undefined || depth < opts.maxDepth);
    const inputs = graph.inputsOf(g);
    nodes.push({ good: g, depth, buyable, hasRecipe: graph.hasRecipe(g), expanded, inputs });
    if (expanded) for (const input of inputs) edges.push({ good: g, input });
  }
  const drawn = new Set(depths.keys());
  const cycles = graph
    .findCycles()
    .map((group) => group.filter((g) => drawn.has(g)))
    .filter((group) => group.length > 1);
  return { good, nodes, edges, cycles };
}

/**
 * The input tree of `good` as indented text with box-drawing characters. Never infinite: a good
 * already on the path is drawn once more with a loop marker, a good already expanded elsewhere is
 * drawn with "(see above)", and buyable goods are leaves marked [buy].
 */
export function renderTextTree(graph: SupplyChainGraph, good: string, opts: ViewOptions = {}): string {
  const isBuyable = opts.isBuyable ?? (() => false);
  const lines: string[] = [];
  const expanded = new Set<string>();

  const label = (g: string, path: string[], depth: number): { text: string; expand: boolean } => {
    const marks: string[] = [];
    const at = path.indexOf(g);
    if (at >= 0) return { text: `${g} ↻ loop: ${formatCycle([...path.slice(at), g])}`, expand: false };
    if (!graph.has(g)) marks.push('[not in the supply chain]');
    else if (!graph.hasRecipe(g)) marks.push('[no inputs listed]');
    if (depth > 0 && isBuyable(g)) return { text: `${g} [buy]`, expand: false };
    if (expanded.has(g) && graph.inputsOf(g).length) return { text: `${g} (see above)`, expand: false };
    if (opts.maxDepth !== undefined && depth >= opts.maxDepth && graph.inputsOf(g).length) return { text: `${g} …`, expand: false };
    return { text: [g, ...marks].join(' '), expand: true };
  };

  const visit = (g: string, path: string[], prefix: string, connector: string, childPrefix: string): void => {
    const { text, expand } = label(g, path, path.length);
    lines.push(`${prefix}${connector}${text}`);
    if (!expand) return;
    expanded.add(g);
    const inputs = graph.inputsOf(g);
    inputs.forEach((input, i) => {
      const last = i === inputs.length - 1;
      visit(input, [...path, g], prefix + childPrefix, last ? '└── ' : '├── ', last ? '    ' : '│   ');
    });
  };
  visit(good, [], '', '', '');
  return `${lines.join('\n')}\n`;
}

/** Mermaid flowchart of the view: arrows run from an input to the good made from it. */
export function renderMermaid(view: GraphView): string {
  const lines = ['flowchart LR'];
  for (const n of view.nodes) lines.push(`  ${n.good}["${n.good}"]`);
  for (const e of view.edges) lines.push(`  ${e.input} --> ${e.good}`);
  const buy = view.nodes.filter((n) => n.buyable && n.good !== view.good).map((n) => n.good);
  lines.push('  classDef target fill:#fde68a,stroke:#b45309,stroke-width:2px');
  lines.push(`  class ${view.good} target`);
  if (buy.length) {
    lines.push('  classDef buy fill:#dcfce7,stroke:#15803d');
    lines.push(`  class ${buy.join(',')} buy`);
  }
  const cut = view.nodes.filter((n) => !n.expanded && !n.buyable && n.inputs.length).map((n) => n.good);
  if (cut.length) {
    lines.push('  classDef more stroke-dasharray: 4 3');
    lines.push(`  class ${cut.join(',')} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** Graphviz DOT of the view: arrows run from an input to the good made from it. */
export function renderDot(view: GraphView): string {
  const q = (s: string): string => JSON.stringify(s);
  const lines = ['digraph supply_chain {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const n of view.nodes) {
    const attrs: string[] = [];
    if (n.good === view.good) attrs.push('style="filled,bold"', 'fillcolor="#fde68a"');
    else if (n.buyable) attrs.push('style=filled', 'fillcolor="#dcfce7"', 'xlabel="buy"');
    else if (!n.expanded && n.inputs.length) attrs.push('style=dashed');
    lines.push(`  ${q(n.good)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  for (const e of view.edges) lines.push(`  ${q(e.input)} -> ${q(e.good)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
