import { Graph, alg } from '@dagrejs/graphlib';
import type { SupplyChainMap } from './types.js';
import { resolveTree, type ResolveOptions, type SupplyTreeNode } from './resolve-tree.js';

export { formatCycle } from './resolve-tree.js';

/**
 * The goods graph of a supply chain. Edges run from a good to each of its inputs ("needs"), so
 * a path reads the way production is planned: ADVANCED_CIRCUITRY → ELECTRONICS → COPPER → ...
 *
 * The real map is cyclic and "no entry in the map" does not mean "raw" (LESSONS.md #3): goods
 * with no entry are simply goods the map says nothing about.
 */
export class SupplyChainGraph {
  private readonly g = new Graph({ directed: true });
  private readonly inputs = new Map<string, string[]>();
  private readonly consumers = new Map<string, string[]>();
  private readonly order: string[] = [];
  private sccIndex?: Map<string, string[]>;

  constructor(readonly map: SupplyChainMap) {
    const add = (good: string): void => {
      if (!this.g.hasNode(good)) {
        this.g.setNode(good);
        this.order.push(good);
      }
    };
    for (const [good, list] of Object.entries(map)) {
      add(good);
      const unique = [...new Set(list)];
      this.inputs.set(good, unique);
      for (const input of unique) {
        add(input);
        this.g.setEdge(good, input);
        const c = this.consumers.get(input) ?? [];
        c.push(good);
        this.consumers.set(input, c);
      }
    }
  }

  /** Every good the map mentions (as a key or as an input), keys first in map order. */
  goods(): string[] {
    return [...this.order];
  }

  /** The map mentions the good (as a key or an input). */
  has(good: string): boolean {
    return this.g.hasNode(good);
  }

  /** The map has an entry for the good: a factory of it is known to import something. */
  hasRecipe(good: string): boolean {
    return this.inputs.has(good);
  }

  /** The good's inputs, de-duplicated, in map order; [] when the map has no entry for it. */
  inputsOf(good: string): string[] {
    return [...(this.inputs.get(good) ?? [])];
  }

  /** The goods whose factories import this good, in map order. */
  consumersOf(good: string): string[] {
    return [...(this.consumers.get(good) ?? [])];
  }

  /** The graph is free of cycles. (The real map is not.) */
  isAcyclic(): boolean {
    return alg.isAcyclic(this.g);
  }

  /**
   * The groups of goods that lie on cycles: strongly connected components with more than one good
   * (or a good that needs itself). Each group lists its goods in map order; groups in order of
   * their first good.
   */
  findCycles(): string[][] {
    const rank = new Map(this.order.map((g, i) => [g, i] as const));
    const byRank = (a: string, b: string): number => (rank.get(a) ?? 0) - (rank.get(b) ?? 0);
    return alg
      .findCycles(this.g)
      .map((c) => [...c].sort(byRank))
      .sort((a, b) => byRank(a[0] as string, b[0] as string));
  }

  /** The cycle group holding `good`, or undefined when no cycle passes through it. */
  cycleGroupOf(good: string): string[] | undefined {
    if (!this.sccIndex) {
      this.sccIndex = new Map();
      for (const group of this.findCycles()) for (const g of group) this.sccIndex.set(g, group);
    }
    return this.sccIndex.get(good);
  }

  /**
   * Simple cycles through `good`, shortest first (then in map order), each as a path that starts
   * and ends with `good`: [IRON_ORE, EXPLOSIVES, LIQUID_HYDROGEN, MACHINERY, IRON, IRON_ORE].
   * At most `limit` cycles (default 10); the search is bounded, so it always ends.
   */
  cyclesThrough(good: string, limit = 10): string[][] {
    const group = this.cycleGroupOf(good);
    if (!group) return [];
    const inGroup = new Set(group);
    const found: string[][] = [];
    // Breadth-first over simple paths inside the good's cycle group: shortest cycles come first.
    let frontier: string[][] = [[good]];
    let budget = 200_000;
    while (frontier.length && found.length < limit && budget > 0) {
      const next: string[][] = [];
      for (const p of frontier) {
        const last = p[p.length - 1] as string;
        for (const input of this.inputs.get(last) ?? []) {
          if (--budget <= 0) break;
          if (input === good) {
            found.push([...p, good]);
            if (found.length >= limit) break;
          } else if (inGroup.has(input) && !p.includes(input)) {
            next.push([...p, input]);
          }
        }
        if (found.length >= limit || budget <= 0) break;
      }
      frontier = next;
    }
    return found;
  }

  /** The goods reachable from `good` by following inputs (itself included), breadth-first, with their distance. */
  reachableFrom(good: string, opts: { maxDepth?: number; stopAt?: (good: string) => boolean } = {}): Map<string, number> {
    const depth = new Map<string, number>([[good, 0]]);
    const queue = [good];
    while (queue.length) {
      const g = queue.shift() as string;
      const d = depth.get(g) as number;
      if (opts.maxDepth !== undefined && d >= opts.maxDepth) continue;
      if (g !== good && opts.stopAt?.(g)) continue;
      for (const input of this.inputs.get(g) ?? []) {
        if (!depth.has(input)) {
          depth.set(input, d + 1);
          queue.push(input);
        }
      }
    }
    return depth;
  }

  /**
   * The production tree of `target` given which goods can be bought (see resolve-tree.ts):
   * buyable goods are leaves, others expand into their inputs; an unbreakable cycle or a good
   * that is neither buyable nor in the map is a UserError (INFEASIBLE) that names it.
   */
  resolveTree(target: string, isBuyable: (good: string) => boolean, opts?: ResolveOptions): SupplyTreeNode {
    return resolveTree(this, target, isBuyable, opts);
  }
}
