import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import type { PlanFile } from '../plan/types.js';
import type { Journal } from '../state/journal.js';
import { systemOf, unitsInHold, type GameClient, type Market, type MarketTransaction, type Ship } from './ports.js';

/** How far before a plan was made its ships' trades still count as possibly its own (documented in README). */
export const ACTIVITY_LOOKBACK_MS = 2 * 3600_000;

export interface UnjournaledActivity {
  /** Plan goods in the plan's ships (per good; `ship` lists the ships holding it) that neither a run of the journal nor the plan explains. */
  cargo: Array<{ ship: string; good: string; units: number }>;
  /** Trades of plan goods by the plan's ships at the plan's markets that the journal has no step for. */
  trades: Array<{ ship: string; waypoint: string; good: string; type: string; units: number; at: string }>;
  credits: number;
  /** The markets read for the check (where a plan ship sits at a plan market), by waypoint: the run reuses them. */
  markets: Map<string, Market>;
}

/** What apply already read before the check: the agent's credits and its ships (one list call). */
export interface KnownGame {
  credits: number;
  ships: ReadonlyMap<string, Ship>;
  /** Markets read just before (apply's drift check), by waypoint: not read again. */
  markets?: ReadonlyMap<string, Market>;
}

/**
 * Before a new run of `plan` starts work: what the game shows for the plan (its goods in its
 * ships' holds; its ships' trades at its markets, visible where a ship is now, since
 * createdAt − ACTIVITY_LOOKBACK_MS) that the journal does not explain. A lost, deleted or
 * replaced journal shows up here instead of buying everything again.
 */
export async function unjournaledActivity(plan: PlanFile, client: GameClient, journal: Journal, known: KnownGame): Promise<UnjournaledActivity> {
  const goods = new Set(plan.tasks.map((t) => t.good));
  const shipSymbols = [...new Set([...plan.fleet.map((f) => f.symbol), ...plan.tasks.map((t) => t.ship)])];
  const markets = new Set<string>();
  for (const t of plan.tasks) {
    if ('waypoint' in t.source) markets.add(t.source.waypoint);
    if ('waypoint' in t.destination) markets.add(t.destination.waypoint);
  }

  // What the journal knows, over every run of this agent in the store: cargo per good, trades.
  const explainedCargo = new Map<string, number>();
  const journaledTrades = new Map<string, number>();
  const tradeKey = (ship: string, waypoint: string, good: string, type: string, units: number): string => `${ship}|${waypoint}|${good}|${type}|${units}`;
  for (const run of (await journal.runs()).filter((r) => r.agentSymbol === plan.lineage.agentSymbol)) {
    const recs = await journal.getTasks(run.runId, run.plan.tasks.map((t) => t.id));
    for (const t of run.plan.tasks) {
      const rec = recs.get(t.id);
      if (!rec) continue;
      const kept = t.destination.kind === 'hold' ? rec.acquired : rec.acquired - rec.delivered;
      explainedCargo.set(t.good, (explainedCargo.get(t.good) ?? 0) + Math.max(0, kept));
    }
    for (const step of await journal.steps(run.runId)) {
      const i = step.intent;
      if (!i || !step.result?.happened || (i.kind !== 'buy' && i.kind !== 'sell')) continue;
      const k = tradeKey(i.ship, i.waypoint, i.good, i.kind === 'buy' ? 'PURCHASE' : 'SELL', step.result.units);
      journaledTrades.set(k, (journaledTrades.get(k) ?? 0) + 1);
    }
  }

  // Cargo the planner found aboard (plan.fleet[].cargo): the plan knew of it (it uses it, or clears it).
  const recorded = plan.fleet.some((f) => f.cargo !== undefined);
  for (const c of plan.fleet.flatMap((f) => f.cargo ?? [])) explainedCargo.set(c.good, (explainedCargo.get(c.good) ?? 0) + c.units);
  // A plan from before cargo was recorded: a target kept in the hold found aboard already (it planned only the rest).
  if (!recorded && plan.spec.target.deliver.kind === 'hold') {
    const planned = plan.tasks.filter((t) => t.good === plan.spec.target.good && t.destination.kind === 'hold').reduce((a, t) => a + t.quantity, 0);
    const good = plan.spec.target.good;
    explainedCargo.set(good, (explainedCargo.get(good) ?? 0) + Math.max(0, plan.spec.target.quantity - planned));
  }

  const since = Date.parse(plan.createdAt) - ACTIVITY_LOOKBACK_MS;
  const found: UnjournaledActivity = { cargo: [], trades: [], credits: known.credits, markets: new Map() };
  const aboard: Array<{ ship: string; good: string; units: number }> = [];
  for (const symbol of shipSymbols) {
    const ship = known.ships.get(symbol);
    if (!ship) continue; // a ship that is gone is apply's own concern
    for (const good of goods) {
      const units = unitsInHold(ship.cargo, good);
      if (units > 0) aboard.push({ ship: symbol, good, units });
    }
    const here = ship.nav.waypointSymbol;
    if (!markets.has(here) || found.markets.has(here) || ship.nav.status === 'IN_TRANSIT') continue;
    let txs: MarketTransaction[] = [];
    try {
      const market = known.markets?.get(here) ?? (await client.getMarket(systemOf(here), here));
      found.markets.set(here, market);
      txs = market.transactions ?? [];
    } catch {
      continue;
    }
    for (const tx of txs) {
      if (!shipSymbols.includes(tx.shipSymbol) || !goods.has(tx.tradeSymbol) || Date.parse(tx.timestamp) < since) continue;
      const k = tradeKey(tx.shipSymbol, tx.waypointSymbol, tx.tradeSymbol, tx.type, tx.units);
      const left = journaledTrades.get(k) ?? 0;
      if (left > 0) journaledTrades.set(k, left - 1);
      else found.trades.push({ ship: tx.shipSymbol, waypoint: tx.waypointSymbol, good: tx.tradeSymbol, type: tx.type, units: tx.units, at: tx.timestamp });
    }
  }
  // Cargo per good over the plan's ships (a task may have moved between them), less what is explained.
  for (const good of goods) {
    const here = aboard.filter((c) => c.good === good);
    const units = here.reduce((a, c) => a + c.units, 0) - (explainedCargo.get(good) ?? 0);
    if (units > 0) found.cargo.push({ ship: here.map((c) => c.ship).join(', '), good, units });
  }
  return found;
}

/** The refusal when the game shows activity for the plan that the journal does not know (exit 12). */
export function unjournaledError(plan: PlanFile, store: string, found: UnjournaledActivity): UserError {
  const parts = [
    ...found.cargo.map((c) => `${c.units} ${c.good} aboard ${c.ship}`),
    ...found.trades.slice(0, 6).map((t) => `${t.type === 'PURCHASE' ? 'a purchase' : 'a sale'} of ${t.units} ${t.good} by ${t.ship} at ${t.waypoint} (${t.at})`),
  ];
  if (found.trades.length > 6) parts.push(`${found.trades.length - 6} more trades`);
  return new UserError({
    code: 'JOURNAL_MISMATCH',
    exitCode: ExitCode.DECISION_NEEDED,
    message: `Nothing was bought: the game shows activity for plan ${plan.planId.slice(0, 19)}… that the journal in ${store} does not know: ${parts.join('; ')} (credits now ${found.credits.toLocaleString('en-US')}). The journal of an earlier run was probably lost (a deleted, replaced or damaged store), and starting over would buy it all again.`,
    hint: 'If you have the old store, pass it with --store and re-run to resume. Otherwise re-run with --adopt to start this plan anyway, taking the cargo and trades above as not belonging to it (see `st-goods status` afterwards).',
    details: found,
  });
}
