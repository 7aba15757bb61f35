import { infeasible } from '../cli/errors.js';
import type { PlanBody } from '../plan/types.js';
import { belowMinProfit, expectedPnl } from './expected.js';

/**
 * policy.minProfit: refuses (INFEASIBLE, exit 5) a plan whose expected profit is below it, naming
 * the nodes that lose. A plan with nothing to do, or whose target is kept in holds, is never refused
 * here (the spec loader refuses minProfit with a kept target).
 */
export function refuseBelowMinProfit(body: PlanBody): void {
  const min = body.spec.policy.minProfit;
  if (!min || body.tasks.length === 0) return;
  const expected = expectedPnl(body);
  if (!expected) return;
  const why = belowMinProfit(expected, min);
  if (!why) return;
  throw infeasible(
    why,
    'Sell where the target pays more or deliver it to a better contract, buy what is made at a loss instead (policy.make, policy.mode), or lower policy.minProfit; then re-run `st-goods plan`.',
    {
      minProfit: min,
      expected: { revenue: expected.revenue, cost: expected.cost, net: expected.net, margin: expected.margin },
      losing: expected.losing.map((l) => ({ good: l.good, action: l.action, waypoint: l.waypoint, quantity: l.quantity, cost: l.cost, value: l.value, unitCost: l.unitCost, unitValue: l.unitValue })),
    },
  );
}
