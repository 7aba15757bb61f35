import type { DecisionNode, PlanBody, Task, TaskDestination } from '../plan/types.js';
import { FEED_FLOOR_RATIO } from '../planner/constants.js';
import { sellWalk } from '../planner/pricing.js';

/**
 * The profit a plan expects (pure: from the plan body alone), for a target that is sold or
 * delivered to a contract; a target kept in holds earns nothing yet, so it has none.
 *
 * Per node: `cost` is what its own tasks are estimated to cost (purchases with the price walk, and
 * fuel) plus the net cost of its inputs; `value` what its output earns where it goes: the target's
 * sale (the bid walked down by the units sold) or the contract's pay per unit
 * ((onAccepted + onFulfilled) / unitsRequired), an input's sale into the factory it feeds. A node
 * whose value is below its cost loses; only MAKE nodes and the target are judged (a bought input
 * always loses the spread; that loss is part of its factory's cost).
 */

export interface ExpectedNode {
  good: string;
  action: 'BUY' | 'MAKE';
  waypoint: string;
  quantity: number;
  /** Own tasks' estimated credits plus the inputs' net cost. */
  cost: number;
  /** What the output earns where it goes. */
  value: number;
  /** value / quantity, rounded. */
  unitValue: number;
  unitCost: number;
  net: number;
  /** true where a price this rests on is not an observation (an estimate, or the plan's sell floor). */
  estimated: boolean;
  /** Judged for losses (MAKE nodes and the target) and value < cost. */
  loses: boolean;
  inputs: ExpectedNode[];
}

export interface ExpectedPnl {
  /** The target's value: its sale or the contract's pay for this plan's units. */
  revenue: number;
  /** Every task's estimated credits, clearing holds included. */
  cost: number;
  /** What clearing holds is expected to earn (cargo the plan does not use, sold first). */
  clearing: number;
  /** revenue + clearing − cost. */
  net: number;
  /** net / cost (0 when nothing costs anything). */
  margin: number;
  nodes: ExpectedNode;
  /** The judged nodes whose output earns less than it costs, target first. */
  losing: ExpectedNode[];
}

type Body = Pick<PlanBody, 'spec' | 'decisions' | 'tasks' | 'observations' | 'contract'>;

/** A bid at a waypoint for a good: the plan's observation, else the floor the plan set (floor / FEED_FLOOR_RATIO); undefined when neither is known. */
function bidOf(body: Body, waypoint: string, good: string, tasks: Task[]): { bid: number; tradeVolume: number; estimated: boolean } | undefined {
  const o = body.observations.find((x) => x.waypoint === waypoint && x.good === good);
  if (o) return { bid: o.sellPrice, tradeVolume: o.tradeVolume, estimated: false };
  const floor = Math.max(0, ...tasks.map((t) => t.guards.minSellPrice));
  if (floor <= 0) return undefined;
  return { bid: Math.round(floor / FEED_FLOOR_RATIO), tradeVolume: Math.max(1, ...tasks.map((t) => t.tradeVolume)), estimated: true };
}

function valueOf(body: Body, good: string, quantity: number, dest: TaskDestination | undefined, tasks: Task[]): { value: number; estimated: boolean } | undefined {
  if (!dest || dest.kind === 'hold') return undefined;
  if (dest.kind === 'contract') {
    const c = body.contract;
    if (!c || c.unitsRequired <= 0) return undefined;
    return { value: Math.round(((c.onAccepted + c.onFulfilled) * quantity) / c.unitsRequired), estimated: false };
  }
  const b = bidOf(body, dest.waypoint, good, tasks);
  return b && { value: sellWalk(b.bid, b.tradeVolume, quantity).total, estimated: b.estimated };
}

/** undefined when the target is kept in holds (nothing is sold, so nothing to judge), or what it earns is not known. */
export function expectedPnl(body: Body): ExpectedPnl | undefined {
  const deliver = body.spec.target.deliver;
  if (deliver.kind === 'hold') return undefined;
  const byId = new Map(body.tasks.map((t) => [t.id, t]));
  let rootKnown = false;
  const walk = (d: DecisionNode, root: boolean): ExpectedNode => {
    const inputs = d.inputs.map((i) => walk(i, false));
    const own = d.taskIds.map((id) => byId.get(id)).filter((t): t is Task => t !== undefined);
    const ownCost = own.reduce((a, t) => a + t.estimate.credits, 0);
    const cost = ownCost + inputs.reduce((a, i) => a + i.cost - i.value, 0);
    const dest = root ? deliver : own[0]?.destination;
    const known = valueOf(body, d.good, d.quantity, dest, own);
    if (root) rootKnown = known !== undefined;
    const v = known ?? { value: 0, estimated: true };
    // A node whose output has no known price is not judged (nothing to compare its cost with).
    const judged = (root || d.action === 'MAKE') && known !== undefined;
    return {
      good: d.good,
      action: d.action,
      waypoint: d.waypoint,
      quantity: d.quantity,
      cost,
      value: v.value,
      unitValue: d.quantity ? Math.round(v.value / d.quantity) : 0,
      unitCost: d.quantity ? Math.round(cost / d.quantity) : 0,
      net: v.value - cost,
      estimated: v.estimated || d.priceBasis === 'estimated',
      loses: judged && v.value < cost,
      inputs,
    };
  };
  const nodes = walk(body.decisions, true);
  if (body.tasks.length && !rootKnown) return undefined;
  const clears = body.tasks.filter((t) => t.clear);
  const clearing = clears.reduce((a, t) => {
    const dest = t.destination;
    const b = dest.kind === 'sell' ? bidOf(body, dest.waypoint, t.good, [t]) : undefined;
    return b ? a + sellWalk(b.bid, t.tradeVolume, t.quantity).total : a;
  }, 0);
  const cost = body.tasks.reduce((a, t) => a + t.estimate.credits, 0);
  const net = nodes.value + clearing - cost;
  const losing: ExpectedNode[] = [];
  const collect = (n: ExpectedNode): void => {
    if (n.loses) losing.push(n);
    n.inputs.forEach(collect);
  };
  collect(nodes);
  return { revenue: nodes.value, cost, clearing, net, margin: cost > 0 ? net / cost : 0, nodes, losing };
}

/** policy.minProfit as the plan keeps it: credits, or a margin (0.1 = 10% of the cost). */
export type MinProfit = { credits: number } | { margin: number };

/** Why a plan's expected profit is below policy.minProfit, or undefined when it clears it. */
export function belowMinProfit(p: ExpectedPnl, min: MinProfit): string | undefined {
  const c = (n: number): string => Math.round(n).toLocaleString('en-US');
  const pct = (x: number): string => `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
  const ok = 'credits' in min ? p.net >= min.credits : p.margin >= min.margin;
  if (ok) return undefined;
  const want = 'credits' in min ? `${c(min.credits)} credits` : `a margin of ${pct(min.margin)}`;
  const losers = p.losing.map((n) => `${n.good} [${n.action}] at ${n.waypoint || 'the holds'}: costs ~${c(n.unitCost)}/u, earns ~${c(n.unitValue)}/u (${c(n.net)} on ${n.quantity})`);
  return (
    `The plan expects ${c(p.net)} credits of profit (margin ${pct(p.margin)}: revenue ${c(p.revenue)}${p.clearing ? ` + clearing ${c(p.clearing)}` : ''} against a cost of ${c(p.cost)}), below policy.minProfit (${want}). ` +
    (losers.length ? `Losing: ${losers.join('; ')}.` : 'No single node loses; the chain as a whole earns too little.')
  );
}

/** The expected profit as `plan --json` reports it (schemas/plan-result.schema.json), or nothing for a kept target. */
export function expectedProfitResult(body: Body): { expectedProfit?: Record<string, unknown> } {
  const p = expectedPnl(body);
  if (!p) return {};
  const losing = p.losing.map((l) => ({ good: l.good, action: l.action, waypoint: l.waypoint, quantity: l.quantity, unitCost: l.unitCost, unitValue: l.unitValue, net: l.net }));
  return { expectedProfit: { revenue: p.revenue, clearing: p.clearing, cost: p.cost, net: p.net, margin: p.margin, estimated: p.nodes.estimated, losing } };
}
