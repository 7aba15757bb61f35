import type { Construction } from '../api/types.js';
import { planTargets } from '../plan/targets.js';
import type { DecisionNode, PlanFile } from '../plan/types.js';
import type { ConstructionSeen } from '../state/journal.js';

/** The construction reads apply makes (the real client has them; test doubles may not). */
export interface ConstructionClient {
  getConstruction(system: string, waypoint: string): Promise<Construction>;
}

export function seenOf(c: Construction): ConstructionSeen {
  return { waypoint: c.symbol, materials: c.materials.map((m) => ({ good: m.tradeSymbol, required: m.required, fulfilled: m.fulfilled })), isComplete: c.isComplete };
}

/**
 * A run's construction site as the game last answered (a read before the run, every supply's
 * response), and what it means for the plan's tasks: each task works for one material (the
 * target whose decision tree holds it, feeds included); once that material is met, or the site
 * is complete, the task has nothing left to do and ends cleanly.
 */
export class SiteProgress {
  readonly waypoint: string;
  readonly #materialOf = new Map<string, string>();
  #seen: ConstructionSeen | undefined;

  constructor(plan: PlanFile) {
    this.waypoint = plan.construction!.waypoint;
    const walk = (node: DecisionNode, good: string): void => {
      for (const id of node.taskIds) this.#materialOf.set(id, good);
      node.inputs.forEach((c) => walk(c, good));
    };
    for (const t of planTargets(plan)) walk(t.decisions, t.good);
  }

  get seen(): ConstructionSeen | undefined {
    return this.#seen;
  }

  /** Records what the game answered; returns the new picture. */
  update(c: Construction | ConstructionSeen): ConstructionSeen {
    this.#seen = 'symbol' in c ? seenOf(c) : c;
    return this.#seen;
  }

  /** Marks one material met (the game answered 4801), without a fresh read. */
  markMet(good: string): void {
    if (!this.#seen) return;
    this.#seen = { ...this.#seen, materials: this.#seen.materials.map((m) => (m.good === good ? { ...m, fulfilled: Math.max(m.fulfilled, m.required) } : m)) };
  }

  /** Units of `good` the site still takes (Infinity before the first read). */
  remaining(good: string): number {
    if (!this.#seen) return Number.POSITIVE_INFINITY;
    if (this.#seen.isComplete) return 0;
    const m = this.#seen.materials.find((x) => x.good === good);
    return m ? Math.max(0, m.required - m.fulfilled) : 0;
  }

  /** Why `taskId` has nothing left to do (its material is met, or the site complete), else undefined. */
  ended(taskId: string): string | undefined {
    const good = this.#materialOf.get(taskId);
    if (!this.#seen || good === undefined) return undefined;
    if (this.#seen.isComplete) return `the construction at ${this.waypoint} is complete`;
    return this.remaining(good) === 0 ? `the construction at ${this.waypoint} needs no more ${good} (met)` : undefined;
  }
}
