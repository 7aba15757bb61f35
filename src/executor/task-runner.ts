import type { Task } from '../plan/types.js';
import type { TaskRecord } from '../state/journal.js';
import { supplyAtLeast, supplyRank, type SupplyLevel } from '../game/market.js';
import { BUDGET_WALK_MARGIN, CEILING_MARGIN, GATED_CEILING_MARGIN, PRICE_STEP_PER_TRANCHE, SELL_STEP_PER_TRANCHE } from '../planner/constants.js';
import { lossGuardOf } from '../pnl/loss-guard.js';
import { RunContext, TaskFailure } from './context.js';
import { ShipWorker } from './ship-worker.js';
import { runExtraction } from './extraction/crew.js';

/**
 * Carries one task out on one ship: buy at the source (after waiting for a factory's supply),
 * carry, sell into the destination (feed/sell) or keep in hold, in as many trips as the hold needs.
 * Every loop is bounded; every purchase is one tranche; progress lives in the journal, so a
 * re-run picks up from the task record and the ship's actual hold.
 */
export async function runTask(ctx: RunContext, worker: ShipWorker, task: Task): Promise<TaskRecord> {
  // Mined or siphoned (issue 14): the crew's own loop, intents and reconciliation.
  if (task.source.kind === 'extract') return runExtraction(ctx, worker, task);
  let rec = ctx.tasks.get(task.id)!;
  if (rec.pending && rec.pending.kind !== 'refuel') {
    // A call from a previous process whose result never reached the journal.
    if (rec.pending.ship === worker.symbol) {
      await worker.goTo(rec.pending.waypoint, task.id);
      rec = await worker.reconcileTrade(rec, rec.pending);
    } else {
      // The task was handed over with a call of its previous ship still open: decide it from that
      // ship's hold (it stayed where the call was made), so its cost is counted either way.
      const open = rec.pending;
      try {
        const previous = new ShipWorker(ctx, open.ship);
        await previous.load(true);
        rec = await previous.reconcileTrade(rec, open);
      } catch (e) {
        ctx.events.emit('warning', `could not reconcile ${open.kind} of ${open.units} ${open.good} on ${open.ship}: ${(e as Error).message}`, { taskId: task.id });
        rec = { ...rec, pending: undefined };
        await ctx.saveTask(rec);
      }
    }
  }
  // A construction material already met (or the site complete): nothing left to do.
  const over = ctx.site?.ended(task.id);
  if (over) return finish(ctx, { ...rec, reason: over }, 'completed');
  rec = { ...rec, status: 'running', ship: worker.symbol, startedAt: rec.startedAt ?? new Date().toISOString(), reason: undefined };
  await ctx.saveTask(rec);
  ctx.events.emit('task.start', `${task.id} on ${worker.symbol}`, { ship: worker.symbol, taskId: task.id });

  const keep = task.destination.kind === 'hold';
  const maxIterations = 50 + 20 * Math.max(1, task.trips.length) + Math.ceil(task.quantity / Math.max(1, task.tradeVolume)) * 4;
  const gate = new FactoryGate(task, rec.gate);

  for (let i = 0; i < maxIterations; i++) {
    ctx.checkpoint();
    const ended = ctx.site?.ended(task.id);
    if (ended) {
      const left = Math.min(rec.acquired - rec.delivered, worker.held(task.good));
      if (left > 0) ctx.events.emit('warning', `${ended}: ${left} ${task.good} of ${task.id} stay in ${worker.symbol}'s hold`, { ship: worker.symbol, taskId: task.id });
      return finish(ctx, { ...rec, reason: ended }, 'completed');
    }
    // Units this task owns are the ones in the hold (never more than the journal says it bought).
    const owned = Math.max(0, Math.min(rec.acquired - rec.delivered, worker.held(task.good)));
    if (owned < rec.acquired - rec.delivered && task.source.kind === 'aboard') {
      // Cargo that was aboard when planned cannot be bought again: a clear sells what is left of
      // it; a carry the plan counted on fails, naming what is missing.
      const missing = rec.acquired - rec.delivered - owned;
      if (!task.clear) throw new TaskFailure(`${missing} ${task.good} the plan counted on are no longer in ${worker.symbol}'s hold; re-plan (\`st-goods plan\`) to buy them`, false, true);
      rec = { ...rec, acquired: rec.acquired - missing };
      await ctx.saveTask(rec);
      if (owned === 0) return finish(ctx, rec, 'completed');
    } else if (owned < rec.acquired - rec.delivered) {
      const lost = rec.acquired - rec.delivered - owned;
      ctx.events.emit('warning', `${lost} ${task.good} of ${task.id} are not in ${worker.symbol}'s hold (left on another ship); buying them again`, {
        ship: worker.symbol,
        taskId: task.id,
      });
      rec = { ...rec, acquired: rec.acquired - lost };
      await ctx.saveTask(rec);
    }
    if (keep) {
      if (rec.acquired >= task.quantity) return finish(ctx, { ...rec, delivered: rec.acquired }, 'completed');
    } else if (rec.delivered >= task.quantity || (task.clear && rec.delivered >= rec.acquired)) {
      return finish(ctx, rec, 'completed');
    }
    const toBuy = Math.min(task.quantity - rec.acquired, siteRoom(ctx, task));
    if (toBuy <= 0 && owned === 0 && rec.acquired < task.quantity) {
      // A construction material whose remaining units other ships of the run already carry.
      return finish(ctx, { ...rec, reason: `the construction at ${task.destination.kind === 'construction' ? task.destination.waypoint : ''} needs no more ${task.good} than the run's other ships carry` }, 'completed');
    }
    const mustDeliver = !keep && owned > 0 && (toBuy <= 0 || worker.freeHold <= 0);
    if (mustDeliver) {
      try {
        rec = await deliver(ctx, worker, task, rec, owned);
      } catch (e) {
        if (!(e instanceof SellFloorReached) || task.destination.kind !== 'feed') throw e;
        return feedStopped(ctx, worker, task, e);
      }
      continue;
    }
    if (worker.freeHold <= 0) {
      const other = worker.ship.cargo.inventory.filter((i) => i.units > 0).map((i) => `${i.units} ${i.symbol}`).join(', ');
      throw new TaskFailure(`${worker.symbol}'s hold is full of other cargo (${other}); re-plan (\`st-goods plan\`) so that the plan sells it first (policy.clearHolds)`, false, true);
    }
    rec = await buyTranche(ctx, worker, task, rec, gate);
  }
  throw new TaskFailure(`${task.id} made no progress after ${maxIterations} steps`);
}

/**
 * A feed whose factory now pays less than its floor (guards.minSellPrice) has done what feeding
 * can: the factory's import is well supplied (more units would only crush the bid), so the feed
 * ends, completed, and the factory's collect goes on. It buys no more; what it bought and did not
 * sell stays aboard, and is the run's surplus (sold or kept at the end, policy.surplus).
 */
async function feedStopped(ctx: RunContext, worker: ShipWorker, task: Task, floor: SellFloorReached): Promise<TaskRecord> {
  const rec = ctx.tasks.get(task.id)!;
  const left = Math.max(0, Math.min(rec.acquired - rec.delivered, worker.held(task.good)));
  const reason = `feeding stopped at the sell floor after ${rec.delivered} of ${task.quantity} ${task.good}: ${floor.waypoint} pays ${floor.bid}, below the plan's floor ${floor.floor} (its import is well supplied)${left > 0 ? `; ${left} ${task.good} stay aboard ${worker.symbol}${task.source.kind === 'aboard' ? ' (its cargo from before the run)' : ' as surplus'}` : ''}`;
  ctx.events.emit('warning', `${task.id}: ${reason}`, { ship: worker.symbol, taskId: task.id, data: { bid: floor.bid, floor: floor.floor, left } });
  return finish(ctx, { ...rec, reason }, 'completed');
}

export async function finish(ctx: RunContext, rec: TaskRecord, status: 'completed'): Promise<TaskRecord> {
  const done: TaskRecord = { ...rec, status, step: undefined, endedAt: new Date().toISOString() };
  await ctx.saveTask(done);
  ctx.events.emit('task.end', `${rec.taskId} ${status}: ${rec.acquired} acquired, ${done.delivered} delivered, ${rec.spent} spent`, {
    ship: rec.ship,
    taskId: rec.taskId,
    data: { acquired: rec.acquired, delivered: done.delivered, spent: rec.spent, earned: rec.earned },
  });
  return done;
}

/** One purchase (one tranche) at the source, after the factory gate and the guards. */
async function buyTranche(ctx: RunContext, worker: ShipWorker, task: Task, rec: TaskRecord, gate: FactoryGate): Promise<TaskRecord> {
  const src = task.source.waypoint;
  await worker.goTo(src, task.id);
  await worker.dock();
  // A market's ask is quoted from this stay's read and the responses since, until it nears the
  // ceiling. A factory's gate needs its export's supply, which no trade response gives: it goes
  // by the quote's prediction (the read's supply lowered by the tranches bought since), read
  // again when that could be below the gate, and after every wait.
  let fresh = false;
  for (;;) {
    ctx.checkpoint();
    // Another ship may meet the material while this one waits on the supply gate.
    if (ctx.site?.ended(task.id)) return rec;
    const { market, estimated } = fresh ? { market: await worker.market(src), estimated: false } : await worker.quote(src);
    fresh = false;
    const good = market.tradeGoods?.find((g) => g.symbol === task.good);
    const ceilingNow = rec.ceiling?.maxUnitPrice ?? task.guards.maxUnitPrice;
    const predicted = task.source.kind === 'factory' && estimated ? ctx.quotes.supply(src, task.good) : undefined;
    const gateUnsure = task.source.kind === 'factory' && estimated && (!predicted || !supplyAtLeast(predicted, task.source.minSupply));
    if (estimated && (!good || gateUnsure || good.purchasePrice * (1 + PRICE_STEP_PER_TRANCHE) > ceilingNow)) {
      fresh = true;
      continue;
    }
    await worker.tryRefuel(task.id, false, market);
    if (!good) throw new TaskFailure(`${task.good} is not traded at ${src}`);
    if (task.guards.estimated && !rec.ceiling) rec = await rederiveCeiling(ctx, worker, task, rec, good.purchasePrice);
    const ceiling = rec.ceiling?.maxUnitPrice ?? task.guards.maxUnitPrice;
    const wait = gate.check(predicted ?? (good.supply as SupplyLevel), good.purchasePrice, ceiling);
    if (wait) {
      const untilMs = ctx.clock.nowMs() + (wait.seconds * 1000) / ctx.clock.timeScale;
      await worker.setStep(`waiting at ${src}: ${wait.why}`, task.id, untilMs);
      rec = { ...rec, status: 'waiting', step: wait.why, gate: gate.state };
      await ctx.saveTask(rec);
      ctx.events.emit('wait', wait.why, { ship: worker.symbol, taskId: task.id, data: { seconds: wait.seconds } });
      const until = new Date(untilMs).toISOString();
      await ctx.step(worker.symbol, 'wait', { taskId: task.id, waypoint: src, wait: { seconds: wait.seconds, reason: wait.why, until } });
      await ctx.clock.sleepGame(wait.seconds, ctx.signal);
      fresh = true;
      continue;
    }
    if (good.purchasePrice > ceiling) {
      const cap = ctx.plan.spec.policy.maxUnitPrice[task.good];
      const which = cap !== undefined && ceiling >= cap ? `policy.maxUnitPrice ${cap}` : rec.ceiling ? `the ceiling ${ceiling} re-derived from the first real ask ${rec.ceiling.observedAsk}` : `the plan's ceiling ${ceiling}`;
      throw new TaskFailure(`price guard: ${task.good} costs ${good.purchasePrice} at ${src}, above ${which}`);
    }
    // Never buy more of a construction material than the site still takes.
    const need = Math.min(task.quantity - rec.acquired, siteRoom(ctx, task));
    const loss = lossGuardOf(ctx.plan).check(task.id, Math.min(worker.freeHold, good.tradeVolume, need), good.purchasePrice, ctx.tasks);
    if (loss) throw new TaskFailure(loss, false, true);
    const affordable = ctx.affordableUnits(Math.ceil(good.purchasePrice * (1 + BUDGET_WALK_MARGIN)));
    const units = Math.min(worker.freeHold, good.tradeVolume, need, affordable);
    if (affordable <= 0) {
      ctx.budgetExhausted = `the budget is spent: ${ctx.spent()} of ${ctx.maxCredits} credits (reserve ${ctx.reserveCredits})`;
      throw new TaskFailure(`budget guard: ${ctx.budgetExhausted}`, true);
    }
    if (units <= 0) return rec;
    const release = ctx.commit(units * Math.ceil(good.purchasePrice * (1 + BUDGET_WALK_MARGIN)));
    try {
      await worker.setStep(`buy ${units} ${task.good} at ${src}`, task.id);
      gate.bought();
      return await worker.buy({ ...rec, status: 'running', step: undefined, gate: task.source.kind === 'factory' ? gate.state : undefined }, task.good, units, good.purchasePrice);
    } finally {
      release();
    }
  }
}

/**
 * Units of a construction material the site can still take beyond what the run's ships already
 * carry for it (bought, not yet supplied): buying more would only leave units aboard once it is
 * met. Unlimited for any other task.
 */
function siteRoom(ctx: RunContext, task: Task): number {
  if (!ctx.site || task.destination.kind !== 'construction') return Number.POSITIVE_INFINITY;
  let carried = 0;
  for (const t of ctx.plan.tasks) {
    if (t.good !== task.good || t.destination.kind !== 'construction') continue;
    const r = ctx.tasks.get(t.id);
    if (r) carried += Math.max(0, r.acquired - r.delivered);
  }
  return Math.max(0, ctx.site.remaining(task.good) - carried);
}

/**
 * The plan's ceiling rested on estimated asks: derive it again, with the planner's rule, from the
 * first real ask seen at the source (ask × CEILING_MARGIN, or GATED_CEILING_MARGIN for long work;
 * capped by policy.maxUnitPrice), and
 * journal it. A guess must not stop a task; only the policy cap or the budget may.
 */
async function rederiveCeiling(ctx: RunContext, worker: ShipWorker, task: Task, rec: TaskRecord, ask: number): Promise<TaskRecord> {
  const cap = ctx.plan.spec.policy.maxUnitPrice[task.good];
  // Long work (a construction material behind the supply gate) has the planner's wider margin.
  const gated = task.source.kind === 'factory' && task.destination.kind === 'construction';
  const derived = Math.round(ask * (gated ? GATED_CEILING_MARGIN : CEILING_MARGIN));
  const maxUnitPrice = cap !== undefined ? Math.min(cap, derived) : derived;
  const ceiling = { maxUnitPrice, planned: task.guards.maxUnitPrice, observedAsk: ask, waypoint: task.source.waypoint, at: new Date().toISOString() };
  const r: TaskRecord = { ...rec, ceiling };
  await ctx.saveTask(r);
  await ctx.step(worker.symbol, 'ceiling.rederived', { taskId: task.id, result: { units: 0, totalPrice: 0, pricePerUnit: maxUnitPrice, happened: true } });
  ctx.events.emit('step', `${task.good} ceiling ${task.guards.maxUnitPrice} (from estimates) re-derived as ${maxUnitPrice} from the first real ask ${ask} at ${task.source.waypoint}${cap !== undefined && maxUnitPrice === cap ? ' (policy.maxUnitPrice)' : ''}`, {
    ship: worker.symbol,
    taskId: task.id,
    data: { ...ceiling },
  });
  return r;
}

/** Carries what the task owns to its destination and sells it there in tradeVolume-sized calls. */
export async function deliver(ctx: RunContext, worker: ShipWorker, task: Task, rec: TaskRecord, owned: number): Promise<TaskRecord> {
  const dest = task.destination;
  if (dest.kind === 'hold') return rec;
  if (dest.kind === 'construction' || dest.kind === 'contract') {
    // A construction site or a contract takes the units in one call at its waypoint (no price walk).
    let r: TaskRecord = { ...rec, trips: rec.trips + (rec.step === 'delivering' ? 0 : 1), step: 'delivering' };
    await ctx.saveTask(r);
    await worker.goTo(dest.waypoint, task.id);
    await worker.dock();
    const units = Math.min(owned, task.quantity - r.delivered);
    if (units > 0 && dest.kind === 'construction') {
      await worker.setStep(`supply ${units} ${task.good} to the construction at ${dest.waypoint}`, task.id);
      r = await worker.supplyConstruction(r, dest.waypoint, task.good, units);
    } else if (units > 0 && dest.kind === 'contract') {
      await worker.setStep(`deliver ${units} ${task.good} to contract ${dest.contractId} at ${dest.waypoint}`, task.id);
      r = await worker.deliverContract(r, dest.contractId, task.good, units);
    }
    r = { ...r, step: undefined };
    await ctx.saveTask(r);
    return r;
  }
  let r: TaskRecord = { ...rec, trips: rec.trips + (rec.step === 'delivering' ? 0 : 1), step: 'delivering' };
  await ctx.saveTask(r);
  await worker.goTo(dest.waypoint, task.id);
  await worker.dock();
  let left = owned;
  let fresh = false;
  for (let i = 0; left > 0 && i < 1000; i++) {
    ctx.checkpoint();
    // One read per stay; the bid after each sale is quoted from its response, until it nears the floor.
    const { market, estimated } = fresh ? { market: await worker.market(dest.waypoint), estimated: false } : await worker.quote(dest.waypoint);
    const good = market.tradeGoods?.find((g) => g.symbol === task.good);
    if (estimated && (!good || good.sellPrice * (1 - SELL_STEP_PER_TRANCHE) < task.guards.minSellPrice)) {
      fresh = true;
      continue;
    }
    fresh = false;
    if (i === 0) await worker.tryRefuel(task.id, false, market);
    if (!good) throw new TaskFailure(`${task.good} cannot be sold at ${dest.waypoint}`);
    if (task.guards.minSellPrice > 0 && good.sellPrice < task.guards.minSellPrice) {
      throw new SellFloorReached(dest.waypoint, task.good, good.sellPrice, task.guards.minSellPrice);
    }
    const units = Math.min(left, good.tradeVolume, task.quantity - r.delivered);
    if (units <= 0) break;
    await worker.setStep(`sell ${units} ${task.good} at ${dest.waypoint}`, task.id);
    r = await worker.sell(r, task.good, units, good.sellPrice);
    left = Math.min(left - units, worker.held(task.good));
  }
  r = { ...r, step: undefined };
  await ctx.saveTask(r);
  return r;
}

/**
 * The destination's bid fell below the task's floor (guards.minSellPrice): a failure for a sale
 * or a clear; for a feed, the end of feeding (runTask's feedStopped).
 */
export class SellFloorReached extends TaskFailure {
  constructor(
    readonly waypoint: string,
    good: string,
    readonly bid: number,
    readonly floor: number,
  ) {
    super(`sell guard: ${waypoint} pays ${bid} for ${good}, below the plan's floor ${floor}`);
  }
}

/**
 * When to buy a factory's output: open while supply is at least minSupply; once it falls below,
 * closed until supply climbs back to resumeSupply (hysteresis). Closed or above the price
 * ceiling, the caller waits pollSeconds, backing off to maxPollSeconds; with no progress (supply
 * not rising) for timeoutSeconds of game time, the task fails. "Listed" is never "done".
 */
export class FactoryGate {
  #open = true;
  #poll: number;
  #waited = 0;
  #best = -1;

  constructor(
    private readonly task: Task,
    saved?: { open: boolean; waited: number; best: number; poll: number },
  ) {
    this.#poll = task.source.kind === 'factory' ? task.source.pollSeconds : 0;
    if (saved) {
      this.#open = saved.open;
      this.#waited = saved.waited;
      this.#best = saved.best;
      this.#poll = saved.poll;
    }
  }

  /** What the journal keeps so that a resumed run continues the same wait. */
  get state(): { open: boolean; waited: number; best: number; poll: number } {
    return { open: this.#open, waited: this.#waited, best: this.#best, poll: this.#poll };
  }

  /** undefined: buy now. Else how long to wait and why. */
  check(supply: SupplyLevel, price: number, ceiling = this.task.guards.maxUnitPrice): { seconds: number; why: string } | undefined {
    const src = this.task.source;
    if (src.kind !== 'factory') return undefined;
    const rank = supplyRank(supply);
    if (rank > this.#best) {
      this.#best = rank;
      this.#waited = 0;
    }
    if (this.#open && !supplyAtLeast(supply, src.minSupply)) this.#open = false;
    if (!this.#open && supplyAtLeast(supply, src.resumeSupply)) this.#open = true;
    const priceOk = price <= ceiling;
    if (this.#open && priceOk) return undefined;
    if (this.#waited >= src.timeoutSeconds) {
      throw new TaskFailure(
        `production timeout: ${this.task.good} at ${src.waypoint} stayed at ${supply} supply (price ${price}) for ${Math.round(this.#waited)}s of game time without progress`,
      );
    }
    const seconds = Math.min(this.#poll, Math.max(1, src.timeoutSeconds - this.#waited));
    this.#waited += seconds;
    this.#poll = Math.min(src.maxPollSeconds, Math.max(1, this.#poll * 1.5));
    const why = this.#open
      ? `${this.task.good} costs ${price}, above the ceiling ${ceiling}; waiting for production`
      : `${this.task.good} supply is ${supply}; waiting for ${src.resumeSupply}`;
    return { seconds, why };
  }

  /**
   * A purchase is progress: the poll starts short again, and the timeout counts from here, with
   * the supply seen next as the new best (long work pauses many times, each below the first
   * supply it saw: cumulative waits must not add up to a timeout while it keeps buying).
   */
  bought(): void {
    if (this.task.source.kind !== 'factory') return;
    this.#poll = this.task.source.pollSeconds;
    this.#waited = 0;
    this.#best = -1;
  }
}
