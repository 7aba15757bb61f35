import type { DecisionNode, PlanBody } from './types.js';

/** One target of a plan: the good, the units planned, and its decision tree. */
export interface PlanTarget {
  good: string;
  quantity: number;
  decisions: DecisionNode;
}

/**
 * Every target of a plan, spec.target first: one for most plans, one per material still short
 * for a whole construction bill (`otherTargets`, issue 13). All go to spec.target.deliver.
 */
export function planTargets(plan: Pick<PlanBody, 'spec' | 'decisions' | 'otherTargets'>): PlanTarget[] {
  const t = plan.spec.target;
  return [{ good: t.good, quantity: t.quantity, decisions: plan.decisions }, ...(plan.otherTargets ?? [])];
}

/** `1600 FAB_MATS + 400 ADVANCED_CIRCUITRY`: the targets in one phrase. */
export function targetsText(plan: Pick<PlanBody, 'spec' | 'decisions' | 'otherTargets'>): string {
  return planTargets(plan)
    .map((t) => `${t.quantity} ${t.good}`)
    .join(' + ');
}
