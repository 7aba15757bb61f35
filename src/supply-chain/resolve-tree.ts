import { infeasible } from '../cli/errors.js';
import type { SupplyChainGraph } from './graph.js';

/** `A → B → C → A` */
export function formatCycle(cycle: readonly string[]): string {
  return cycle.join(' → ');
}

export interface ResolveOptions {
  /**
   * How many levels of the MAKE alternative to explore below a buyable good, so that a planner in
   * `cheapest` mode can compare making it with buying it. 0 (default): buyable goods are leaves.
   * Problems found while exploring an alternative (a loop, an unknown input) make that
   * alternative unavailable (`makeable: false`); they are never an error by themselves.
   */
  makeDepth?: number;
  /** Safety bound on the size of the tree (default 20000 nodes); beyond it, a UserError. */
  maxNodes?: number;
}

/**
 * One occurrence of a good in the production tree of a target. The same good can occur at several
 * places (ELECTRONICS under both SHIP_PARTS and LAB_INSTRUMENTS' inputs): each occurrence is a node.
 */
export interface SupplyTreeNode {
  good: string;
  /** 0 for the target. */
  depth: number;
  /** The goods from the target down to this one, both included. */
  path: string[];
  /** `isBuyable(good)`: a BUY candidate. The planner may still choose MAKE when `makeable`. */
  buyable: boolean;
  /** The map has an entry for this good. */
  hasRecipe: boolean;
  /** The good's inputs from the map, de-duplicated (even when they were not expanded). */
  inputs: string[];
  /**
   * The expanded inputs (the MAKE alternative). Present when the good is not buyable (it must be
   * made) or when `makeDepth` let the resolver explore making it; absent on leaves.
   */
  children?: SupplyTreeNode[];
  /**
   * Set when this good already occurs higher on the same path: the loop from that occurrence down
   * to this one, e.g. [IRON_ORE, EXPLOSIVES, LIQUID_HYDROGEN, MACHINERY, IRON, IRON_ORE]. Never expanded,
   * never satisfiable: the occurrence higher up has to be bought, or another good between the two.
   */
  cycle?: string[];
  /** Not expanded because `makeDepth` ran out (only below a buyable good). */
  truncated?: boolean;
  /** Making it is possible in this tree: it has a recipe, was expanded, and every input is satisfiable. */
  makeable: boolean;
  /**
   * The good can be had at this place of the tree: bought (buyable) or made (makeable). A loop
   * occurrence (`cycle`) is never satisfiable: it makes its parent's MAKE alternative unavailable.
   */
  satisfiable: boolean;
}

/** Visits every node, parents before children. */
export function walkTree(node: SupplyTreeNode, visit: (node: SupplyTreeNode) => void): void {
  visit(node);
  for (const c of node.children ?? []) walkTree(c, visit);
}

/**
 * The production tree of `target`. Rule (LESSONS.md #3, #4): a good that can be bought stops the
 * recursion (a leaf, target included); a good that cannot be bought must be made, so it expands
 * into its inputs; a good already on the current path is a loop. The tree is refused (UserError,
 * INFEASIBLE) when the target cannot be satisfied: because of a loop on which nothing can be
 * bought (the error names it), or a good that is neither buyable nor in the map.
 */
export function resolveTree(graph: SupplyChainGraph, target: string, isBuyable: (good: string) => boolean, opts: ResolveOptions = {}): SupplyTreeNode {
  const makeDepth = Math.max(0, opts.makeDepth ?? 0);
  const maxNodes = opts.maxNodes ?? 20_000;
  const buyableMemo = new Map<string, boolean>();
  const buyable = (g: string): boolean => {
    let b = buyableMemo.get(g);
    if (b === undefined) buyableMemo.set(g, (b = Boolean(isBuyable(g))));
    return b;
  };
  let count = 0;

  const build = (good: string, path: string[], budget: number): SupplyTreeNode => {
    if (++count > maxNodes) {
      throw infeasible(
        `The production tree of ${target} has more than ${maxNodes} goods in it, too many to plan.`,
        'Allow more goods to be bought (a lower policy.minSupply, or more markets) so that the tree stops earlier.',
        { target },
      );
    }
    const here = [...path, good];
    const node: SupplyTreeNode = {
      good,
      depth: path.length,
      path: here,
      buyable: buyable(good),
      hasRecipe: graph.hasRecipe(good),
      inputs: graph.inputsOf(good),
      makeable: false,
      satisfiable: false,
    };
    const seenAt = path.indexOf(good);
    if (seenAt >= 0) {
      node.cycle = here.slice(seenAt);
    } else if (node.hasRecipe && (!node.buyable || makeDepth > 0)) {
      if (budget > 0) {
        const childBudget = node.buyable ? Math.min(budget, makeDepth) - 1 : budget - 1;
        node.children = node.inputs.map((input) => build(input, here, childBudget));
        node.makeable = node.children.every((c) => c.satisfiable);
      } else {
        node.truncated = true;
      }
    }
    // A loop occurrence is never satisfiable: making a good must not require that good itself.
    node.satisfiable = !node.cycle && (node.buyable || node.makeable);
    return node;
  };

  const root = build(target, [], Number.POSITIVE_INFINITY);
  if (!root.satisfiable) throw explain(graph, root);
  return root;
}

/** The first reason, depth-first, why `node` (not satisfiable) cannot be obtained. */
function explain(graph: SupplyChainGraph, node: SupplyTreeNode): Error {
  const target = node.path[0] as string;
  const bad = node.children?.find((c) => !c.satisfiable);
  if (bad) return explain(graph, bad);
  const via = node.path.length > 1 ? ` (needed along ${formatCycle(node.path)})` : '';
  if (node.cycle) {
    const loop = node.cycle;
    const members = [...new Set(loop)];
    return infeasible(
      `Cannot produce ${target}: its supply chain loops ${formatCycle(loop)} and none of ${members.join(', ')} can be bought, so none of them can be made either.`,
      `Break the loop by making one of them buyable: a market in the system that sells it with enough supply (or a lower policy.minSupply, or a higher policy.maxUnitPrice); or choose a target outside this loop.`,
      { target, cycle: loop, path: node.path },
    );
  }
  if (!graph.has(node.good)) {
    return infeasible(
      `Cannot produce ${target}: ${node.good}${via} cannot be bought here and the supply chain has no entry for it, so it cannot be made either.`,
      'Check the good\'s name, run `st-goods supply-chain refresh` if the game added it, or make sure a market in the system sells it.',
      { target, good: node.good, path: node.path },
    );
  }
  return infeasible(
    `Cannot produce ${target}: ${node.good}${via} cannot be bought here and the supply chain lists no inputs for it, so it cannot be made either.`,
    'Make sure a market in the system sells it with enough supply, or lower policy.minSupply.',
    { target, good: node.good, path: node.path },
  );
}
