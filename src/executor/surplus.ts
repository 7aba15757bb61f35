import { readListings, readObservations } from '../market/cache.js';
import type { Point } from '../game/nav.js';
import { DEFAULT_FUEL_PRICE } from '../planner/constants.js';
import { median } from '../planner/pricing.js';
import type { TaskRecord } from '../state/journal.js';
import { chooseSales, journalSurplus, surplusOf, type Held, type ShipNow, type SurplusSale } from '../surplus/choose.js';
import { Interrupted, ShipFailure, TaskFailure, type RunContext } from './context.js';
import { gameErrorCode, unitsInHold, type Ship } from './ports.js';
import { ShipWorker } from './ship-worker.js';

export interface SurplusOutcome {
  sold: Array<SurplusSale & { sold: number; credits: number }>;
  /** Surplus left in the holds: no known market in reach buys it, or its sale failed (why). */
  left: Array<{ ship: string; good: string; units: number; why: string }>;
  /** policy.surplus keep: the surplus found, left in the holds as the policy asks. */
  kept?: Held[];
}

class NotSold extends Error {}

/** Surplus sales of this run whose call's outcome was never journaled (a crash): reconciled before anything else. */
async function openSurplusSales(ctx: RunContext): Promise<TaskRecord[]> {
  const goods = [...new Set(ctx.plan.tasks.map((t) => t.good))];
  const ships = [...new Set([...ctx.plan.tasks.map((t) => t.ship), ...ctx.plan.fleet.map((f) => f.symbol)])];
  const ids = goods.flatMap((g) => ships.map((s) => surplusTaskId(g, s)));
  return [...(await ctx.journal.getTasks(ctx.runId, ids)).values()].filter((r) => r.pending);
}

/** The journal's task id of a surplus sale (not a plan task: status counts it in the P&L as surplus). */
export const surplusTaskId = (good: string, ship: string): string => `surplus-${good}@${ship}`;

/**
 * policy.surplus (default sell): once every task of a run is done, what its ships hold of the plan's
 * goods beyond what the run keeps (src/surplus) is sold at the best bid in reach, each sale
 * journaled like any other (intent, result, reconciled on resume) under a `surplus-GOOD@SHIP`
 * record. A sale the game refuses leaves that cargo where it is, with a warning; it never fails
 * the run. With `keep`, the same surplus is found and reported as kept, and nothing is sold.
 */
export async function sellSurplus(ctx: RunContext, holdsAtStart?: readonly Held[]): Promise<SurplusOutcome> {
  const out: SurplusOutcome = { sold: [], left: [] };
  const keep = ctx.plan.spec.policy.surplus === 'keep';
  // What the journal says the run still has of its goods: nothing (the common case) needs no call.
  const expected = journalSurplus(ctx.plan, ctx.tasks, await ctx.journal.steps(ctx.runId));
  const open = keep ? [] : await openSurplusSales(ctx);
  if (!expected.size && !open.length) return out;
  const symbols = [...new Set([...ctx.plan.fleet.map((f) => f.symbol), ...ctx.plan.tasks.map((t) => t.ship), ...[...ctx.tasks.values()].map((r) => r.ship)].filter(Boolean))].sort();
  const workers = new Map<string, ShipWorker>();
  for (const s of symbols) {
    const w = new ShipWorker(ctx, s);
    try {
      await w.load(true); // fresh: the pre-flight state of a ship is from before the run
      workers.set(s, w);
    } catch (e) {
      if (e instanceof Interrupted) throw e;
      ctx.events.emit('warning', `surplus: cannot read ship ${s}: ${(e as Error).message}`, { ship: s });
    }
  }
  const ships: ShipNow[] = [...workers.values()].map((w) => ({
    symbol: w.symbol,
    waypoint: w.ship.nav.waypointSymbol,
    fuelCapacity: w.ship.fuel.capacity,
    cargo: w.ship.cargo.inventory.map((i) => ({ good: i.symbol, units: i.units })),
  }));
  // A sale interrupted by a crash is reconciled first (its record holds the open intent).
  for (const rec of open) {
    const w = workers.get(rec.pending!.ship);
    if (!w) continue;
    await w.goTo(rec.pending!.waypoint, rec.taskId);
    await w.reconcileTrade(rec, rec.pending!);
  }
  const surplus = surplusOf(ctx.plan, ctx.tasks, ships, holdsAtStart, journalSurplus(ctx.plan, ctx.tasks, await ctx.journal.steps(ctx.runId)));
  if (!surplus.length) return out;
  if (keep) {
    out.kept = surplus;
    for (const k of surplus) ctx.events.emit('step', `surplus: ${k.units} ${k.good} kept on ${k.ship} (policy.surplus: keep)`, { ship: k.ship, data: { ...k } });
    return out;
  }

  const listings = await readListings(ctx.store, ctx.plan.spec.system);
  const points = new Map<string, Point>((listings?.markets ?? []).map((m) => [m.waypoint, { x: m.x, y: m.y }]));
  for (const w of workers.values()) points.set(w.ship.nav.waypointSymbol, { x: w.ship.nav.route.destination.x, y: w.ship.nav.route.destination.y });
  const cached = await readObservations(ctx.store, [...points.keys()]);
  const bids = [...ctx.plan.observations, ...cached];
  const fuel = bids.filter((o) => o.good === 'FUEL').map((o) => o.purchasePrice);
  const { sales, unsold } = chooseSales(surplus, ships, bids, points, { mode: ctx.plan.spec.policy.flightMode, fuelPrice: fuel.length ? Math.round(median(fuel)) : DEFAULT_FUEL_PRICE });
  for (const u of unsold) {
    out.left.push({ ...u, why: 'no market known within reach buys it' });
    ctx.events.emit('warning', `surplus: ${u.units} ${u.good} left on ${u.ship}: no market known within its reach buys it`, { ship: u.ship });
  }
  for (const sale of sales) {
    ctx.checkpoint();
    const w = workers.get(sale.ship)!;
    const id = surplusTaskId(sale.good, sale.ship);
    const now = new Date().toISOString();
    let rec: TaskRecord = (await ctx.journal.getTask(ctx.runId, id)) ?? { taskId: id, status: 'pending', ship: sale.ship, acquired: 0, delivered: 0, spent: 0, earned: 0, trips: 0, startedAt: now, updatedAt: now };
    const before = { delivered: rec.delivered, earned: rec.earned };
    rec = { ...rec, status: 'running', acquired: rec.delivered + sale.units, reason: undefined };
    try {
      ctx.events.emit('step', `surplus: selling ${sale.units} ${sale.good} from ${sale.ship} at ${sale.waypoint} (bid ${sale.bid})`, { ship: sale.ship, taskId: id });
      await w.goTo(sale.waypoint, id);
      await w.dock();
      let left = Math.min(sale.units, w.held(sale.good));
      for (let i = 0; left > 0 && i < 100; i++) {
        ctx.checkpoint();
        const good = (await w.market(sale.waypoint)).tradeGoods?.find((g) => g.symbol === sale.good);
        if (!good) throw new NotSold(`${sale.waypoint} no longer trades ${sale.good}`);
        const units = Math.min(left, good.tradeVolume);
        await w.setStep(`sell surplus ${units} ${sale.good} at ${sale.waypoint}`, id);
        rec = await w.sell(rec, sale.good, units, good.sellPrice);
        left = Math.min(left - units, w.held(sale.good));
      }
      rec = { ...rec, status: 'completed', acquired: rec.delivered, step: undefined, endedAt: new Date().toISOString() };
      await ctx.saveTask(rec);
      out.sold.push({ ...sale, sold: rec.delivered - before.delivered, credits: rec.earned - before.earned });
    } catch (e) {
      // Only what the game refused (or a ship that cannot go on) leaves the cargo; anything else is the run's error.
      const leaves = e instanceof NotSold || e instanceof TaskFailure || e instanceof ShipFailure || gameErrorCode(e) !== undefined;
      if (!leaves) throw e;
      const why = (e as Error).message;
      await ctx.saveTask({ ...rec, status: 'failed', acquired: rec.delivered, reason: why, pending: undefined });
      out.left.push({ ship: sale.ship, good: sale.good, units: w.held(sale.good), why });
      ctx.events.emit('warning', `surplus: ${sale.good} on ${sale.ship} not sold: ${why}`, { ship: sale.ship, taskId: id });
    }
  }
  return out;
}

/** The plan's goods in its ships' holds, from the ships apply read at start (a ship it could not read holds nothing here). */
export function holdsIn(plan: RunContext['plan'], ships: ReadonlyMap<string, Ship>): Held[] {
  const goods = new Set(plan.tasks.map((t) => t.good));
  const out: Held[] = [];
  for (const [symbol, ship] of ships) {
    for (const good of goods) {
      const units = unitsInHold(ship.cargo, good);
      if (units > 0) out.push({ ship: symbol, good, units });
    }
  }
  return out;
}
