import type { Contract } from '../api/types.js';
import { isUserError } from '../cli/errors.js';
import { closedBecause } from '../contracts/resolve.js';
import type { MarketView } from '../market/view.js';
import { expectedPnl } from '../pnl/expected.js';
import type { FleetShip, PlanBody, PlanContract, PlanPolicy } from '../plan/types.js';
import { buildPlanBody } from '../planner/build.js';
import { SPEC_DEFAULTS } from '../spec/types.js';

/**
 * `st-goods opportunities`: what would pay, from the markets as the planner sees them (observed,
 * or estimated and marked). Pure: every row is the planner's own plan for it (buildPlanBody, no
 * I/O), judged by its expected P&L (src/pnl/expected.ts):
 *
 * - make: each good a factory of the system can make (it EXPORTS it and IMPORTS an input), made
 *   here (policy.make) in a batch of one hold-load of the largest ship, sold at the market with the
 *   best bid for it;
 * - contract: each open contract's remaining delivery, sourced the cheapest way (mode cheapest),
 *   paid per unit (onAccepted + onFulfilled) / unitsRequired.
 *
 * Rows are ranked by expected profit per game hour (the plan's schedule), with profit per API
 * request (the plan's estimate) beside it. A good or contract that cannot be planned (nothing to
 * buy an input from, the budget) is listed apart with why.
 */

export interface Opportunity {
  kind: 'make' | 'contract';
  good: string;
  quantity: number;
  /** make: the market with the best bid; contract: the delivery waypoint. */
  deliverTo: string;
  contractId?: string;
  /** The factory (make) or the decision's waypoint. */
  waypoint: string;
  action: 'BUY' | 'MAKE';
  revenue: number;
  cost: number;
  profit: number;
  margin: number;
  gameSeconds: number;
  requests: number;
  profitPerHour: number;
  profitPerRequest: number;
  /** Per unit: what the target earns and what it costs. */
  unitValue: number;
  unitCost: number;
  /** A price it rests on is an estimate (no ship has seen that market). */
  estimated: boolean;
  /** The spec that plans it (st-goods' spec file form), for --spec-out. */
  spec: Record<string, unknown>;
}

export interface Skipped {
  kind: 'make' | 'contract';
  good: string;
  contractId?: string;
  why: string;
}

export interface RankInput {
  system: string;
  view: MarketView;
  fleet: FleetShip[];
  inputsOf: (good: string) => readonly string[];
  agentCredits: number;
  lineage: PlanBody['lineage'];
  contracts: readonly Contract[];
  now: Date;
  /** Only these goods (default: every good a factory of the system makes, and every contract). */
  goods?: readonly string[];
}

function policyFor(agentCredits: number, mode: PlanPolicy['mode'], make?: string[]): PlanPolicy {
  return {
    mode,
    minSupplyToBuy: SPEC_DEFAULTS.minSupply,
    maxCredits: Math.max(1, agentCredits - SPEC_DEFAULTS.reserveCredits),
    maxUnitPrice: {},
    reserveCredits: SPEC_DEFAULTS.reserveCredits,
    productionTimeoutSeconds: SPEC_DEFAULTS.productionTimeoutSeconds,
    pollSeconds: SPEC_DEFAULTS.pollSeconds,
    flightMode: SPEC_DEFAULTS.flightMode,
    ...(make ? { make } : {}),
  };
}

/** Goods the system can make: exported by a market that imports at least one of its inputs. */
export function makeableGoods(view: MarketView, inputsOf: (good: string) => readonly string[]): string[] {
  const out = new Set<string>();
  for (const l of view.listings()) {
    for (const g of l.exports) {
      const inputs = inputsOf(g);
      if (inputs.length && view.exporters(g).some((e) => inputs.some((i) => e.imports.includes(i)))) out.add(g);
    }
  }
  return [...out].sort();
}

/** The market paying most for a good (its bid), observed quotes first among equals. */
function bestBid(view: MarketView, good: string): { waypoint: string; bid: number; estimated: boolean } | undefined {
  let best: { waypoint: string; bid: number; estimated: boolean } | undefined;
  for (const { listing } of view.marketsListing(good)) {
    const q = view.quote(listing.waypoint, good);
    if (!q || q.sellPrice <= 0) continue;
    if (!best || q.sellPrice > best.bid || (q.sellPrice === best.bid && best.estimated && !q.estimated)) best = { waypoint: listing.waypoint, bid: q.sellPrice, estimated: q.estimated };
  }
  return best;
}

function hasEstimates(d: PlanBody['decisions']): boolean {
  return d.priceBasis === 'estimated' || d.inputs.some(hasEstimates);
}

export function rankOpportunities(input: RankInput): { rows: Opportunity[]; skipped: Skipped[] } {
  const rows: Opportunity[] = [];
  const skipped: Skipped[] = [];
  const refCargo = Math.max(0, ...input.fleet.map((s) => s.cargoCapacity));
  const wanted = input.goods ? new Set(input.goods) : undefined;
  const plan = (kind: Opportunity['kind'], good: string, quantity: number, deliver: PlanBody['spec']['target']['deliver'], policy: PlanPolicy, contract?: PlanContract, contractId?: string): void => {
    try {
      const body = buildPlanBody({
        spec: { name: `${kind}-${good.toLowerCase()}`, system: input.system, target: { good, quantity, deliver }, policy },
        lineage: input.lineage,
        specHash: '',
        supplyChainHash: '',
        fleet: input.fleet,
        view: input.view,
        inputsOf: input.inputsOf,
        agentCredits: input.agentCredits,
        ...(contract ? { contract } : {}),
      });
      const p = expectedPnl(body);
      if (!p) {
        skipped.push({ kind, good, ...(contractId ? { contractId } : {}), why: 'no known price for what the target earns' });
        return;
      }
      const seconds = Math.max(1, body.estimates.makespanSeconds ?? body.estimates.criticalPathSeconds);
      const requests = Math.max(1, body.estimates.apiRequests);
      rows.push({
        kind,
        good,
        quantity,
        deliverTo: 'waypoint' in deliver ? deliver.waypoint : '',
        ...(contractId ? { contractId } : {}),
        waypoint: body.decisions.waypoint,
        action: body.decisions.action,
        revenue: p.revenue,
        cost: p.cost,
        profit: p.net,
        margin: Math.round(p.margin * 1000) / 1000,
        gameSeconds: seconds,
        requests,
        profitPerHour: Math.round((p.net * 3600) / seconds),
        profitPerRequest: Math.round(p.net / requests),
        unitValue: p.nodes.unitValue,
        unitCost: p.nodes.unitCost,
        estimated: p.nodes.estimated || hasEstimates(body.decisions),
        spec: specOf(kind, good, quantity, deliver, contractId, input.system, p.cost, policy),
      });
    } catch (e) {
      if (!isUserError(e)) throw e;
      skipped.push({ kind, good, ...(contractId ? { contractId } : {}), why: e.message });
    }
  };

  if (refCargo > 0) {
    for (const good of makeableGoods(input.view, input.inputsOf)) {
      if (wanted && !wanted.has(good)) continue;
      const sale = bestBid(input.view, good);
      if (!sale) {
        skipped.push({ kind: 'make', good, why: `no market of ${input.system} buys it` });
        continue;
      }
      plan('make', good, refCargo, { kind: 'sell', waypoint: sale.waypoint }, policyFor(input.agentCredits, 'prefer-buy', [good]));
    }
  }
  for (const c of input.contracts) {
    if (closedBecause(c, input.now)) continue;
    for (const d of c.terms.deliver ?? []) {
      const left = d.unitsRequired - d.unitsFulfilled;
      if (left <= 0 || (wanted && !wanted.has(d.tradeSymbol))) continue;
      const pc: PlanContract = {
        id: c.id,
        accepted: c.accepted,
        onAccepted: c.terms.payment.onAccepted,
        onFulfilled: c.terms.payment.onFulfilled,
        deadline: c.terms.deadline,
        unitsRequired: d.unitsRequired,
        unitsFulfilled: d.unitsFulfilled,
        fulfils: true,
      };
      plan('contract', d.tradeSymbol, left, { kind: 'contract', contractId: c.id, waypoint: d.destinationSymbol }, policyFor(input.agentCredits, 'cheapest'), pc, c.id);
    }
  }
  rows.sort((a, b) => b.profitPerHour - a.profitPerHour || b.profitPerRequest - a.profitPerRequest || (a.good < b.good ? -1 : 1));
  return { rows, skipped };
}

/** The row as a production spec in the file's own form (validates, and plans the same thing). */
function specOf(kind: Opportunity['kind'], good: string, quantity: number, deliver: PlanBody['spec']['target']['deliver'], contractId: string | undefined, system: string, cost: number, policy: PlanPolicy): Record<string, unknown> {
  return {
    name: `${kind}-${good.toLowerCase().replace(/_/g, '-')}-${quantity}`,
    system,
    target: { good, quantity, deliver: deliver.kind === 'sell' ? { sell: deliver.waypoint } : { contract: contractId } },
    policy: {
      mode: policy.mode,
      ...(policy.make ? { make: policy.make } : {}),
      // The plan's estimate with room for the price walk moving against it; a guard, not a target.
      maxCredits: Math.max(1000, Math.ceil((cost * 1.5) / 1000) * 1000),
      minProfit: 0,
    },
  };
}
