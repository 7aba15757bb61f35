import type { DecisionNode, PlanBody, Task } from '../plan/types.js';
import type { StepRecord, TaskRecord } from '../state/journal.js';

/**
 * A run's realized profit and loss, from the journal alone (pure: no I/O, no clock).
 *
 * Money comes from the step log's results, the journal's record of every transaction the game
 * made (`buy|sell|refuel.result` and `.reconciled` that happened, `contract.accepted|fulfilled`,
 * and a jump's `jump.result`, whose price is the ANTIMATTER it burned). Units come from the task
 * records. So the total equals the sum of the journal's transactions to the credit, and the
 * agent's credit change over the run when nothing else touched the account.
 *
 * Per decision node: what its own tasks spent (buying the good, or buying a factory's output
 * back) and earned (feeding the parent factory, selling the target, contract payments for the
 * root), plus the net cost of its inputs (for a MAKE: what feeding the factory cost). That cost
 * basis over the units acquired is the node's realized unit cost; units still in a hold are
 * valued at it ("output held at cost basis"), never at a market price.
 */

export interface Spent {
  /** Goods bought (inputs, outputs bought back from factories, the target). */
  purchases: number;
  fuel: number;
  /** ANTIMATTER burned by jumps between systems. */
  antimatter: number;
  total: number;
}

export interface Earned {
  /** Inputs sold into the factories they feed. */
  feed: number;
  /** The target sold at its market. */
  target: number;
  /** Contract payments (onAccepted, onFulfilled) received by the run. */
  contract: number;
  /** Cargo the plan did not need, sold: holds cleared before the run and surplus sold after it. */
  surplus: number;
  total: number;
}

export interface NodePnl {
  good: string;
  action: 'BUY' | 'MAKE';
  waypoint: string;
  quantity: number;
  /** What this node's own tasks paid. */
  spent: number;
  /** What this node's own tasks earned (feeding, selling, contract payments for the root). */
  earned: number;
  /** MAKE: the net cost of its inputs (their cost basis minus what feeding them earned). */
  inputsCost: number;
  /** spent + inputsCost: what the units acquired cost. */
  costBasis: number;
  unitsAcquired: number;
  /** costBasis / unitsAcquired, rounded; absent before the first unit. */
  unitCost?: number;
  /** Units acquired and not handed on yet (in a hold), valued at unitCost. */
  held: { units: number; value: number };
  /** earned − costBasis: negative while the node has not earned its cost back. */
  net: number;
  inputs: NodePnl[];
}

export interface RunPnl {
  spent: Spent;
  earned: Earned;
  /** earned.total − spent.total: the run's cash flow, to the credit. */
  realized: number;
  /** Every node's units still in holds, at cost basis. */
  held: { units: number; value: number };
  /** realized + held.value. */
  net: number;
  /**
   * What the target units produced would have cost bought directly at the best (lowest) ask seen
   * for the target (the plan's observations and the run's market reads); absent when none was
   * seen. `saved`: that cost minus the target's cost basis (positive: making or sourcing paid).
   */
  counterfactual?: { units: number; unitPrice: number; waypoint: string; cost: number; saved: number };
  /** The agent's credits when the run started and after its last transaction, where journaled. */
  agentCredits?: { start: number; end: number; change: number };
  nodes: NodePnl;
}

export interface RealizedInput {
  plan: Pick<PlanBody, 'decisions' | 'tasks' | 'observations' | 'spec'>;
  tasks: ReadonlyMap<string, TaskRecord>;
  steps: readonly StepRecord[];
  /** The agent's credits before the run's first call (RunRecord.creditsAtStart). */
  creditsAtStart?: number;
}

/** The money a step moved: [kind of flow, credits], or undefined when it moved none. */
function flowOf(step: StepRecord): { flow: 'buy' | 'sell' | 'fuel' | 'antimatter' | 'contract'; credits: number } | undefined {
  const r = step.result;
  if (!r?.happened) return undefined;
  const [verb, phase] = step.kind.split('.') as [string, string | undefined];
  if (step.kind === 'contract.accepted' || step.kind === 'contract.fulfilled') return { flow: 'contract', credits: r.totalPrice };
  if (phase !== 'result' && phase !== 'reconciled') return undefined;
  if (r.units <= 0 && r.totalPrice <= 0) return undefined;
  if (verb === 'buy') return { flow: 'buy', credits: r.totalPrice };
  if (verb === 'sell') return { flow: 'sell', credits: r.totalPrice };
  if (verb === 'refuel') return { flow: 'fuel', credits: r.totalPrice };
  if (verb === 'jump') return { flow: 'antimatter', credits: r.totalPrice };
  return undefined;
}

export function realizedPnl(input: RealizedInput): RunPnl {
  const { plan, tasks, steps } = input;
  const taskById = new Map<string, Task>(plan.tasks.map((t) => [t.id, t]));
  const perTask = new Map<string, { spent: number; earned: number }>();
  const spent: Spent = { purchases: 0, fuel: 0, antimatter: 0, total: 0 };
  const earned: Earned = { feed: 0, target: 0, contract: 0, surplus: 0, total: 0 };
  let lastCredits: number | undefined;
  for (const step of steps) {
    const f = flowOf(step);
    if (step.credits !== undefined) lastCredits = step.credits;
    if (!f) continue;
    if (f.flow === 'contract') {
      earned.contract += f.credits;
      continue;
    }
    if (f.flow === 'fuel') spent.fuel += f.credits;
    else if (f.flow === 'antimatter') spent.antimatter += f.credits;
    else if (f.flow === 'buy') spent.purchases += f.credits;
    else {
      const task = step.taskId ? taskById.get(step.taskId) : undefined;
      if (!task || task.clear || task.destination.kind === 'hold') earned.surplus += f.credits;
      else if (task.destination.kind === 'feed') earned.feed += f.credits;
      else earned.target += f.credits;
    }
    if ((f.flow === 'buy' || f.flow === 'sell') && step.taskId) {
      const t = perTask.get(step.taskId) ?? { spent: 0, earned: 0 };
      if (f.flow === 'buy') t.spent += f.credits;
      else t.earned += f.credits;
      perTask.set(step.taskId, t);
    }
  }
  spent.total = spent.purchases + spent.fuel + spent.antimatter;
  earned.total = earned.feed + earned.target + earned.contract + earned.surplus;

  const nodeOf = (d: DecisionNode, root: boolean): NodePnl => {
    const inputs = d.inputs.map((i) => nodeOf(i, false));
    let own = { spent: 0, earned: 0 };
    let acquired = 0;
    let handedOn = 0;
    for (const id of d.taskIds) {
      const m = perTask.get(id);
      if (m) own = { spent: own.spent + m.spent, earned: own.earned + m.earned };
      const rec = tasks.get(id);
      const task = taskById.get(id);
      if (!rec || !task) continue;
      // Cargo already aboard when planned was not bought by this run: it carries no cost here.
      if (task.source.kind !== 'aboard') acquired += rec.acquired;
      if (task.destination.kind !== 'hold') handedOn += Math.min(rec.delivered, task.source.kind === 'aboard' ? 0 : rec.acquired);
    }
    if (root) own.earned += earned.contract;
    const inputsCost = inputs.reduce((a, i) => a + i.costBasis - i.earned, 0);
    const costBasis = own.spent + inputsCost;
    const unitCost = acquired > 0 ? Math.round(costBasis / acquired) : undefined;
    const heldUnits = Math.max(0, acquired - handedOn);
    const held = { units: heldUnits, value: acquired > 0 ? Math.round((costBasis * heldUnits) / acquired) : 0 };
    return {
      good: d.good,
      action: d.action,
      waypoint: d.waypoint,
      quantity: d.quantity,
      spent: own.spent,
      earned: own.earned,
      inputsCost,
      costBasis,
      unitsAcquired: acquired,
      ...(unitCost !== undefined ? { unitCost } : {}),
      held,
      net: own.earned - costBasis,
      inputs,
    };
  };
  const nodes = nodeOf(plan.decisions, true);
  const held = { units: 0, value: 0 };
  const sumHeld = (n: NodePnl): void => {
    held.units += n.held.units;
    held.value += n.held.value;
    n.inputs.forEach(sumHeld);
  };
  sumHeld(nodes);
  const realized = earned.total - spent.total;
  const out: RunPnl = { spent, earned, realized, held, net: realized + held.value, nodes };

  const ask = bestAsk(plan, steps);
  if (ask && nodes.unitsAcquired > 0) {
    const cost = ask.unitPrice * nodes.unitsAcquired;
    out.counterfactual = { units: nodes.unitsAcquired, unitPrice: ask.unitPrice, waypoint: ask.waypoint, cost, saved: cost - nodes.costBasis };
  }
  if (input.creditsAtStart !== undefined) {
    const end = lastCredits ?? input.creditsAtStart;
    out.agentCredits = { start: input.creditsAtStart, end, change: end - input.creditsAtStart };
  }
  return out;
}

/** The lowest ask seen for the target: in the plan's observations and the run's market reads. */
function bestAsk(plan: RealizedInput['plan'], steps: readonly StepRecord[]): { unitPrice: number; waypoint: string } | undefined {
  const good = plan.spec.target.good;
  let best: { unitPrice: number; waypoint: string } | undefined;
  const offer = (waypoint: string, price: number): void => {
    if (price > 0 && (!best || price < best.unitPrice)) best = { unitPrice: price, waypoint };
  };
  for (const o of plan.observations) if (o.good === good) offer(o.waypoint, o.purchasePrice);
  for (const s of steps) for (const g of s.market ?? []) if (g.good === good && s.waypoint) offer(s.waypoint, g.purchasePrice);
  return best;
}
