import { Graph, alg } from '@dagrejs/graphlib';
import { systemOf } from '../api/symbols.js';
import type { PlanSector } from '../plan/types.js';

/**
 * One system's jump gate as the plan knows it (BEYOND.md a.2): where the system sits (for the
 * reactor cooldown), whether the gate is built (both ends of a jump must be: 4256 out of an
 * unbuilt gate, 4262 into one), and its connections when they could be read. An UNCHARTED gate
 * answers GET …/jump-gate with 400 unless one of our ships is there: its connections are then
 * unknown (`connections` absent) and only the edges other gates list towards it are used. The
 * plan records these as they are (PlanSector.gates).
 */
export type GateNode = PlanSector['gates'][number];

/** Game seconds a jump between two systems cools the reactor (BEYOND.md a.1, ESE/MOO live: round(15 + 0.3·d)). */
export const JUMP_COOLDOWN_BASE_SECONDS = 15;
export const JUMP_COOLDOWN_PER_DISTANCE = 0.3;

export function jumpCooldownSeconds(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.round(JUMP_COOLDOWN_BASE_SECONDS + JUMP_COOLDOWN_PER_DISTANCE * Math.hypot(a.x - b.x, a.y - b.y));
}

export interface Hop {
  from: string;
  to: string;
  cooldownSeconds: number;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The gate graph of the systems in scope: a directed edge per connection (see neighbours), usable
 * only when both gates are built. Routes minimise jumps, then cooldown seconds, and
 * ties go to the gate symbol that sorts first: the same graph always gives the same route.
 */
export class GateGraph {
  readonly home: string;
  readonly #nodes = new Map<string, GateNode>();

  constructor(home: string, nodes: readonly GateNode[]) {
    this.home = home;
    for (const n of [...nodes].sort((a, b) => byString(a.system, b.system))) this.#nodes.set(n.system, n);
  }

  nodes(): GateNode[] {
    return [...this.#nodes.values()];
  }

  node(system: string): GateNode | undefined {
    return this.#nodes.get(system);
  }

  /**
   * Systems a ship at `system`'s gate can jump to (whether built or not), sorted: the gate's own
   * connections when they were read (authoritative: a 4255 carries them), else the gates that
   * list it (the game lists an edge at both ends).
   */
  neighbours(system: string): string[] {
    const out = new Set<string>();
    const n = this.#nodes.get(system);
    if (n?.connections) for (const c of n.connections) out.add(systemOf(c));
    else for (const other of this.#nodes.values()) if (other.connections?.some((c) => systemOf(c) === system)) out.add(other.system);
    out.delete(system);
    return [...out].sort(byString);
  }

  /** Why a jump from `a` to `b` cannot be made, or undefined when it can. */
  blocked(a: string, b: string): string | undefined {
    const na = this.#nodes.get(a);
    const nb = this.#nodes.get(b);
    if (!na || !nb) return `the gate of ${na ? b : a} is unknown`;
    if (!this.neighbours(a).includes(b)) return `${na.gate} does not connect to ${nb.gate}`;
    if (!na.built) return `${na.gate} is under construction${na.construction ? ` (${na.construction})` : ''}`;
    if (!nb.built) return `${nb.gate} is under construction${nb.construction ? ` (${nb.construction})` : ''}`;
    return undefined;
  }

  /** The hops of the best route from system `a` to `b` over built gates; [] when a = b; undefined when none. */
  route(a: string, b: string): Hop[] | undefined {
    if (a === b) return [];
    const g = new Graph({ directed: true });
    for (const n of this.#nodes.values()) g.setNode(n.system);
    for (const n of this.#nodes.values()) {
      for (const m of this.neighbours(n.system)) if (!this.blocked(n.system, m)) g.setEdge(n.system, m);
    }
    if (!g.hasNode(a) || !g.hasNode(b)) return undefined;
    // Jumps first (each costs an ANTIMATTER), then cooldown seconds; 1e6 per jump dominates any cooldown.
    const weight = (e: { v: string; w: string }): number => 1e6 + this.cooldown(e.v, e.w);
    const result = alg.dijkstra(g, a, weight, (v) => g.outEdges(v) ?? []);
    if (!Number.isFinite(result[b]?.distance ?? Infinity)) return undefined;
    const path: string[] = [b];
    while (path[0] !== a) path.unshift(result[path[0]!]!.predecessor);
    const hops: Hop[] = [];
    for (let i = 0; i + 1 < path.length; i++) {
      hops.push({ from: this.#nodes.get(path[i]!)!.gate, to: this.#nodes.get(path[i + 1]!)!.gate, cooldownSeconds: this.cooldown(path[i]!, path[i + 1]!) });
    }
    return hops;
  }

  /** Why no route reaches `b` from `a`: the unbuilt or unknown gates in the way. */
  whyUnreachable(a: string, b: string): string {
    const target = this.#nodes.get(b);
    if (!target) return `no gate of ${b} is known`;
    if (!target.built) return `its gate ${target.gate} is under construction${target.construction ? ` (${target.construction})` : ''}`;
    const home = this.#nodes.get(a);
    if (home && !home.built) return `the gate ${home.gate} of ${a} is under construction${home.construction ? ` (${home.construction})` : ''}, so no ship can jump out`;
    const walled = this.neighbours(b)
      .map((s) => this.#nodes.get(s)!)
      .filter((n) => !n.built)
      .map((n) => n.gate);
    return walled.length ? `every route to ${b} crosses an unbuilt gate (${walled.join(', ')})` : `no known chain of gates links ${a} to ${b}`;
  }

  cooldown(a: string, b: string): number {
    return jumpCooldownSeconds(this.#nodes.get(a)!, this.#nodes.get(b)!);
  }

  /** Replaces what is known of a gate (a 4255's data.connections, a 4262's unbuilt destination). */
  update(system: string, change: Partial<Pick<GateNode, 'built' | 'connections'>>): void {
    const n = this.#nodes.get(system);
    if (n) this.#nodes.set(system, { ...n, ...change });
  }
}
