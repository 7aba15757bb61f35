import type { DecisionNode, PlanBody } from '../plan/types.js';
import type { TaskRecord } from '../state/journal.js';
import { expectedPnl, type ExpectedNode } from './expected.js';

/**
 * A node the plan already expected to lose (its reviewer approved the loss: no policy.minProfit,
 * or one the plan met) is stopped only when its realized unit cost passes the expected one by this
 * share; a node expected to earn is stopped as soon as it would not.
 */
export const APPROVED_LOSS_SLACK = 0.1;

interface Judged {
  node: ExpectedNode;
  /** The unit cost past which the node stops: what its output earns, or an approved loss plus the slack. */
  limit: number;
  /** The plan's estimate of the node's own purchases per unit (used before its first). */
  ownUnitCost: number;
  hasInputs: boolean;
  /** Every task of the node's subtree, with the expected unit value of the node it belongs to. */
  tasks: Map<string, { own: boolean; unitValue: number }>;
}

/**
 * During apply: stops a node whose realized cost passes what its output can earn (issue 15).
 *
 * Judged, as in the plan's expected P&L, are the target and every MAKE node, and only when the
 * target is sold or delivered to a contract. A node's realized unit cost is its inputs' net cost
 * so far (what they paid minus what feeding earned, the units still held counted at what feeding
 * them will fetch), spread over the node's planned units, plus the average price of its own
 * purchases (the plan's estimate before the first). A purchase that would take it past what one
 * unit of the output earns where it goes is refused, naming the numbers. Only that node's tasks
 * stop; other branches go on. A node the plan showed as losing was approved that way: it stops only
 * past its expected unit cost plus APPROVED_LOSS_SLACK (the loss grew, not merely happened).
 */
export class LossGuard {
  readonly #judged: Judged[] = [];

  constructor(plan: Pick<PlanBody, 'spec' | 'decisions' | 'tasks' | 'observations' | 'contract'>) {
    const expected = expectedPnl(plan);
    if (!expected) return;
    const visit = (d: DecisionNode, e: ExpectedNode, root: boolean): void => {
      if (root || d.action === 'MAKE') {
        const tasks = new Map<string, { own: boolean; unitValue: number }>();
        const add = (dd: DecisionNode, ee: ExpectedNode, own: boolean): void => {
          for (const id of dd.taskIds) tasks.set(id, { own, unitValue: ee.unitValue });
          dd.inputs.forEach((c, i) => add(c, ee.inputs[i]!, false));
        };
        add(d, e, true);
        const own = e.cost - e.inputs.reduce((a, i) => a + i.cost - i.value, 0);
        const limit = Math.max(e.unitValue, e.loses ? e.unitCost * (1 + APPROVED_LOSS_SLACK) : 0);
        if (e.value > 0) this.#judged.push({ node: e, limit, tasks, ownUnitCost: own / Math.max(1, e.quantity), hasInputs: d.inputs.length > 0 });
      }
      d.inputs.forEach((c, i) => visit(c, e.inputs[i]!, false));
    };
    visit(plan.decisions, expected.nodes, true);
  }

  /** undefined: buy. Else why not (the node whose unit cost would pass what its output earns). */
  check(taskId: string, units: number, unitPrice: number, records: ReadonlyMap<string, TaskRecord>): string | undefined {
    for (const j of this.#judged) {
      const me = j.tasks.get(taskId);
      if (!me || units <= 0) continue;
      const n = j.node;
      // The inputs' net cost so far (what feeding them will still fetch counted back), and the node's own purchases.
      let inputs = 0;
      let ownSpent = 0;
      let ownUnits = 0;
      for (const [id, t] of j.tasks) {
        const r = records.get(id);
        if (!r) continue;
        if (t.own) {
          ownSpent += r.spent;
          ownUnits += r.acquired;
        } else {
          inputs += r.spent - r.earned - Math.max(0, r.acquired - r.delivered) * t.unitValue;
        }
      }
      if (me.own) {
        ownSpent += units * unitPrice;
        ownUnits += units;
      } else {
        inputs += units * (unitPrice - me.unitValue);
      }
      // Inputs are spread over the node's planned units; its own purchases averaged over those made (the plan's estimate before the first).
      const perUnitInputs = inputs / Math.max(1, n.quantity);
      const perUnitOwn = ownUnits > 0 ? ownSpent / ownUnits : j.ownUnitCost;
      const unitCost = perUnitInputs + perUnitOwn;
      if (unitCost <= j.limit) continue;
      const c = (x: number): string => Math.round(x).toLocaleString('en-US');
      return (
        `loss guard: ${n.good} [${n.action}]${n.waypoint ? ` at ${n.waypoint}` : ''} would cost ~${c(unitCost)}/u with ${units} ${me.own ? '' : 'more input '}at ${c(unitPrice)} ` +
        `${j.hasInputs ? `(inputs ~${c(perUnitInputs)}/u, purchases ~${c(perUnitOwn)}/u)` : '(its purchases\' average)'}, ${
          n.loses
            ? `more than the loss the plan was approved with allows: its output earns ~${c(n.unitValue)}/u (${c(n.value)} for ${n.quantity}) and the plan expected a cost of ~${c(n.unitCost)}/u (stopped past +${APPROVED_LOSS_SLACK * 100}%)`
            : `more than its output can earn: ~${c(n.unitValue)}/u (${c(n.value)} for ${n.quantity}; the plan expected a cost of ~${c(n.unitCost)}/u)`
        }. Stopped this node; make a new plan to go on`
      );
    }
    return undefined;
  }
}

const guards = new WeakMap<object, LossGuard>();

/** The guard of a plan, made once per plan object. */
export function lossGuardOf(plan: Pick<PlanBody, 'spec' | 'decisions' | 'tasks' | 'observations' | 'contract'>): LossGuard {
  let g = guards.get(plan);
  if (!g) guards.set(plan, (g = new LossGuard(plan)));
  return g;
}
