import { failpoint } from '../cli/failpoint.js';
import type { Intent, ShipRecord, TaskRecord } from '../state/journal.js';
import { RunContext, ShipFailure, TaskFailure } from './context.js';
import {
  gameErrorCode,
  gameErrorData,
  isOutcomeUnknown,
  isShipGone,
  systemOf,
  unitsInHold,
  type Market,
  type MarketTransaction,
  type Ship,
} from './ports.js';
import { crossTo, reconcileJump } from '../routing/travel.js';

const MAX_TRANSIT_RETRIES = 8;

/**
 * One ship of a run: its last known state (from the responses, not re-read) and the step runners
 * (navigate, dock, refuel, buy, sell). Buy, sell and refuel are journaled as an intent before the
 * call and as a result after it; an unknown outcome is reconciled on the spot.
 */
export class ShipWorker {
  ship!: Ship;
  /** The waypoint whose market this ship has read during its current stay there (none once it leaves). */
  #visit?: string;
  /** Progress display: the step, and when it ends (wall ms) for a countdown (flights, production waits). */
  onStep?: (text: string, untilMs?: number) => void;

  constructor(readonly ctx: RunContext, readonly symbol: string) {}

  get record(): ShipRecord {
    return this.ctx.ships.get(this.symbol) ?? { ship: this.symbol, state: 'idle', fuelSpent: 0, updatedAt: new Date().toISOString() };
  }

  get freeHold(): number {
    return this.ship.cargo.capacity - this.ship.cargo.units;
  }

  held(good: string): number {
    return unitsInHold(this.ship.cargo, good);
  }

  /**
   * The ship's state: from apply's pre-flight list call the first time (no request), else (or
   * with `fresh`) read from the game. A ship that sits at a market read before the lanes started
   * begins its stay with that read.
   */
  async load(fresh = false): Promise<void> {
    const known = fresh ? undefined : this.ctx.takeKnownShip(this.symbol);
    try {
      this.ship = known ?? (await this.ctx.client.getShip(this.symbol));
    } catch (e) {
      if (isShipGone(e)) throw new ShipFailure(`ship ${this.symbol} is gone (${(e as Error).message})`);
      throw e;
    }
    const here = this.ship.nav.route.destination;
    await this.ctx.step(this.symbol, 'position', { waypoint: this.ship.nav.waypointSymbol, position: { symbol: here.symbol, x: here.x, y: here.y } });
    const at = this.ship.nav.waypointSymbol;
    const read = known && this.ship.nav.status !== 'IN_TRANSIT' ? this.ctx.prereadMarket(at) : undefined;
    if (read) {
      this.#visit = at;
      await this.#journalMarket(at, read);
    }
    const rec = this.record;
    if (rec.pending?.kind === 'jump') await reconcileJump(this, rec.pending);
    else if (rec.pending) await this.reconcileRefuel(rec.pending);
  }

  async setStep(text: string, taskId?: string, untilMs?: number): Promise<void> {
    this.onStep?.(text, untilMs);
    await this.ctx.saveShip({ ...this.record, state: 'working', step: text, taskId });
    this.ctx.events.emit('step', text, { ship: this.symbol, taskId });
  }

  /** Waits out a flight: the route's arrival when we know it, else the server's secondsToArrival. */
  async settle(): Promise<void> {
    for (let i = 0; i < MAX_TRANSIT_RETRIES && this.ship.nav.status === 'IN_TRANSIT'; i++) {
      this.ctx.checkpoint();
      try {
        const { nav } = await this.ctx.client.orbit(this.symbol);
        this.ship.nav = nav;
      } catch (e) {
        if (gameErrorCode(e) !== 4214) throw e;
        await this.#waitTransit(e, i);
      }
    }
    if (this.ship.nav.status === 'IN_TRANSIT') throw new ShipFailure(`ship ${this.symbol} is still in transit after ${MAX_TRANSIT_RETRIES} waits`);
  }

  /**
   * Waits out a flight a 4214 told us about: until its `arrival` (real time) when the server gave
   * one, else `secondsToArrival`; a little longer on each retry.
   */
  async #waitTransit(e: unknown, attempt: number): Promise<void> {
    const data = gameErrorData(e);
    let ms = Number(data.secondsToArrival ?? 1) * 1000;
    const arrival = typeof data.arrival === 'string' ? Date.parse(data.arrival) : NaN;
    if (Number.isFinite(arrival)) ms = Math.min(ms, Math.max(0, arrival - this.ctx.clock.nowMs()));
    await this.ctx.clock.sleepWall(ms + 50 * 2 ** attempt, this.ctx.signal);
  }

  /**
   * Runs a ship action, waiting out a flight (4214) a bounded number of times. `idempotent`
   * actions (orbit, dock, flight mode) are simply retried when their outcome is unknown.
   */
  async #act<T>(fn: () => Promise<T>, idempotent = true): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (idempotent && isOutcomeUnknown(e) && i < MAX_TRANSIT_RETRIES) {
          this.ctx.checkpoint();
          continue;
        }
        if (gameErrorCode(e) === 4214 && i < MAX_TRANSIT_RETRIES) {
          await this.#waitTransit(e, i);
          this.ctx.checkpoint();
          continue;
        }
        if (isShipGone(e)) throw new ShipFailure(`ship ${this.symbol} is gone (${(e as Error).message})`);
        throw e;
      }
    }
  }

  async dock(): Promise<void> {
    if (this.ship.nav.status === 'DOCKED') return;
    const { nav } = await this.#act(() => this.ctx.client.dock(this.symbol));
    this.ship.nav = nav;
    await this.ctx.step(this.symbol, 'dock', { taskId: this.record.taskId, waypoint: nav.waypointSymbol });
  }

  async orbit(): Promise<void> {
    if (this.ship.nav.status === 'IN_ORBIT') return;
    const { nav } = await this.#act(() => this.ctx.client.orbit(this.symbol));
    this.ship.nav = nav;
  }

  /** Flies to `waypoint` and waits for arrival. Refuels on 4203 where it can; drifts as a last resort. */
  async goTo(waypoint: string, taskId?: string): Promise<void> {
    if (this.ship.nav.status === 'IN_TRANSIT') await this.settle();
    if (this.ship.nav.waypointSymbol === waypoint) return;
    // Another system (issue 13): jump there over the plan's gates first (src/routing/travel.ts).
    if (systemOf(waypoint) !== systemOf(this.ship.nav.waypointSymbol)) {
      await crossTo(this, waypoint, taskId);
      if (this.ship.nav.waypointSymbol === waypoint) return;
    }
    await this.setStep(`navigate ${this.ship.nav.waypointSymbol} → ${waypoint}`, taskId);
    let drifting = false;
    const mode = this.ctx.plan.spec.policy.flightMode ?? 'CRUISE';
    for (let attempt = 0; attempt < 3; attempt++) {
      this.ctx.checkpoint();
      await this.orbit();
      if (!drifting && this.ship.nav.flightMode !== mode) await this.#setMode(mode);
      try {
        const res = await this.#navigate(waypoint);
        this.#visit = undefined;
        this.ship.nav = res.nav;
        this.ship.fuel = res.fuel;
        // The route's times are the server's (real time): wait for the flight's duration.
        const route = res.nav.route;
        this.onStep?.(`fly ${route.origin.symbol} → ${waypoint}`, this.ctx.clock.nowMs() + Math.max(0, Date.parse(route.arrival) - Date.parse(route.departureTime)));
        const nav = { from: pointOf(route.origin), to: pointOf(route.destination), departure: route.departureTime, arrival: route.arrival, mode: res.nav.flightMode };
        await this.ctx.step(this.symbol, 'navigate', { taskId, waypoint, nav });
        await this.ctx.clock.sleepWall(Math.max(0, Date.parse(route.arrival) - Date.parse(route.departureTime)) + 20, this.ctx.signal);
        this.ctx.checkpoint();
        // Use the state the response gave us: after arrival the ship is in orbit at the destination.
        this.ship.nav = { ...res.nav, status: 'IN_ORBIT', waypointSymbol: waypoint };
        return;
      } catch (e) {
        if (gameErrorCode(e) === 4204) {
          this.ship.nav = { ...this.ship.nav, waypointSymbol: waypoint };
          return;
        }
        if (gameErrorCode(e) !== 4203) throw e;
        if (attempt === 0 && (await this.tryRefuel(taskId, true))) continue;
        if (!drifting) {
          drifting = true;
          this.ctx.events.emit('warning', `not enough fuel to reach ${waypoint}: drifting`, { ship: this.symbol, taskId });
          await this.#setMode('DRIFT');
          continue;
        }
        throw new ShipFailure(`ship ${this.symbol} cannot reach ${waypoint}: out of fuel (${(e as Error).message})`);
      }
    }
    throw new ShipFailure(`ship ${this.symbol} could not reach ${waypoint}`);
  }

  /** navigate, reconciled when its outcome is unknown: the ship's nav says whether it left. */
  async #navigate(waypoint: string): Promise<{ nav: Ship['nav']; fuel: Ship['fuel'] }> {
    for (let i = 0; ; i++) {
      try {
        return await this.#act(() => this.ctx.client.navigate(this.symbol, waypoint), false);
      } catch (e) {
        if (!isOutcomeUnknown(e) || i >= 3) throw e;
        const ship = await this.ctx.client.getShip(this.symbol);
        this.ctx.events.emit('reconcile', `navigate to ${waypoint}: ${ship.nav.waypointSymbol === waypoint ? 'the ship had left' : 'the ship had not left'}`, { ship: this.symbol });
        if (ship.nav.waypointSymbol === waypoint) {
          // Departed (or even arrived): wait the rest of the flight from the route's times.
          const left = ship.nav.status === 'IN_TRANSIT' ? Date.parse(ship.nav.route.arrival) - this.ctx.clock.nowMs() : 0;
          const departure = this.ctx.clock.nowMs();
          return {
            nav: { ...ship.nav, route: { ...ship.nav.route, departureTime: new Date(departure).toISOString(), arrival: new Date(departure + Math.max(0, left)).toISOString() } },
            fuel: ship.fuel,
          };
        }
        this.ship = ship;
        this.ctx.checkpoint();
      }
    }
  }

  async #setMode(mode: NonNullable<Ship['nav']['flightMode']>): Promise<void> {
    if (this.ship.nav.flightMode === mode) return;
    const res = await this.#act(() => this.ctx.client.setFlightMode(this.symbol, mode));
    this.ship.nav = res.nav;
    if (res.fuel) this.ship.fuel = res.fuel;
  }

  /** Reads the market here (a ship is present: prices and transactions are visible) and caches it. */
  async market(waypoint: string): Promise<Market> {
    const m = await this.ctx.client.getMarket(systemOf(waypoint), waypoint);
    if (this.ctx.onObservation) await this.ctx.onObservation(m).catch(() => undefined);
    this.ctx.quotes.observe(waypoint, m);
    if (this.ship?.nav.waypointSymbol === waypoint && this.ship.nav.status !== 'IN_TRANSIT') this.#visit = waypoint;
    await this.#journalMarket(waypoint, m);
    return m;
  }

  /**
   * The market here for a guard: at most one read per stay. After the first read of this stay,
   * the run's quote (that read, moved by the trades made there since, from their responses) is
   * used; `estimated` says the prices are such a quote, not a read.
   */
  async quote(waypoint: string): Promise<{ market: Market; estimated: boolean }> {
    const known = this.#visit === waypoint ? this.ctx.quotes.get(waypoint) : undefined;
    if (known) return known;
    return { market: await this.market(waypoint), estimated: false };
  }

  /** Journals the plan's goods of a market read when they differ from the last read there (a production wait polls the same market). */
  async #journalMarket(waypoint: string, m: Market): Promise<void> {
    const seen = (m.tradeGoods ?? [])
      .filter((g) => this.ctx.goods.has(g.symbol))
      .map((g) => ({ good: g.symbol, supply: g.supply, activity: g.activity, purchasePrice: g.purchasePrice, sellPrice: g.sellPrice }));
    const text = JSON.stringify(seen);
    if (seen.length && this.ctx.lastSeen.get(waypoint) !== text) {
      this.ctx.lastSeen.set(waypoint, text);
      await this.ctx.step(this.symbol, 'market', { taskId: this.record.taskId, waypoint, market: seen });
    }
  }

  /**
   * Refuels when docked at a market that sells FUEL and the tank is below half (or `force`).
   * Returns whether it refuelled.
   */
  async tryRefuel(taskId?: string, force = false, market?: Market): Promise<boolean> {
    const fuel = this.ship.fuel;
    if (fuel.capacity <= 0) return false;
    if (!force && fuel.current >= fuel.capacity / 2) return false;
    if (fuel.current >= fuel.capacity) return false;
    // A waypoint without a market (an asteroid, a gas giant: issue 14) sells no fuel.
    const m = market ?? (await this.quote(this.ship.nav.waypointSymbol).then((q) => q.market, (e: unknown) => {
      if (gameErrorCode(e) === 4603 || (e as { status?: number }).status === 404) return undefined;
      throw e;
    }));
    const fuelGood = m?.tradeGoods?.find((g) => g.symbol === 'FUEL');
    if (!fuelGood) return false;
    const marketUnits = Math.ceil((fuel.capacity - fuel.current) / 100);
    if (this.ctx.affordableUnits(fuelGood.purchasePrice) < marketUnits) {
      this.ctx.events.emit('warning', 'refuel skipped: the budget does not allow it', { ship: this.symbol, taskId });
      return false;
    }
    const release = this.ctx.commit(marketUnits * fuelGood.purchasePrice);
    try {
      return await this.#refuel(marketUnits, fuelGood.purchasePrice, taskId);
    } finally {
      release();
    }
  }

  /** The refuel call itself: intent, call, result; reconciled if the outcome is unknown. */
  async #refuel(marketUnits: number, unitPrice: number, taskId?: string): Promise<boolean> {
    await this.dock();
    const intent: Intent = {
      id: this.ctx.newIntentId(),
      kind: 'refuel',
      ship: this.symbol,
      waypoint: this.ship.nav.waypointSymbol,
      good: 'FUEL',
      units: marketUnits,
      cargoBefore: this.ship.fuel.current,
      expectedUnitPrice: unitPrice,
      at: new Date().toISOString(),
    };
    await this.ctx.saveShip({ ...this.record, pending: intent });
    await this.ctx.step(this.symbol, 'refuel.intent', { taskId, intent });
    try {
      const res = await this.ctx.client.refuel(this.symbol);
      this.ctx.quotes.traded(intent.waypoint, 'buy', res.transaction);
      this.ship.fuel = res.fuel;
      this.ctx.credits = res.agent.credits;
      await this.ctx.saveShip({ ...this.record, pending: undefined, fuelSpent: this.record.fuelSpent + res.transaction.totalPrice });
      await this.ctx.step(this.symbol, 'refuel.result', { taskId, intent, result: txResult(res.transaction, true), credits: res.agent.credits });
      return true;
    } catch (e) {
      if (isOutcomeUnknown(e)) {
        await this.reconcileRefuel(intent);
        return true;
      }
      if (gameErrorCode(e) === undefined) throw e;
      await this.ctx.saveShip({ ...this.record, pending: undefined });
      await this.ctx.step(this.symbol, 'refuel.error', { taskId, intent, error: (e as Error).message });
      if (gameErrorCode(e) === 4601) return false;
      throw e;
    }
  }

  async reconcileRefuel(intent: Intent): Promise<void> {
    const ship = await this.ctx.client.getShip(this.symbol);
    this.ship = ship;
    const happened = ship.fuel.current > intent.cargoBefore;
    let total = 0;
    if (happened) {
      const tx = await this.#findTransaction(intent, 'PURCHASE');
      total = tx?.totalPrice ?? intent.units * intent.expectedUnitPrice;
    }
    await this.ctx.saveShip({ ...this.record, pending: undefined, fuelSpent: this.record.fuelSpent + total });
    await this.ctx.step(this.symbol, 'refuel.reconciled', { intent, result: { units: happened ? intent.units : 0, totalPrice: total, pricePerUnit: intent.expectedUnitPrice, happened, reconciled: true } });
    this.ctx.events.emit('reconcile', `refuel ${happened ? 'had happened' : 'had not happened'}`, { ship: this.symbol });
  }

  /** Buys `units` of `good` for `task` (one tranche): intent, call, result; reconciled if the outcome is unknown. */
  async buy(rec: TaskRecord, good: string, units: number, unitPrice: number): Promise<TaskRecord> {
    return this.#trade('buy', rec, good, units, unitPrice);
  }

  /** `unwanted`: a yield the plan does not want (issue 14): its sale is earned, not delivered. */
  async sell(rec: TaskRecord, good: string, units: number, unitPrice: number, opts: { unwanted?: true } = {}): Promise<TaskRecord> {
    return this.#trade('sell', rec, good, units, unitPrice, opts.unwanted);
  }

  /**
   * Docks and journals the intent of a cargo call (buy, sell, deliver) on the task before the call
   * is sent, so that a crash at any point leaves something to reconcile.
   */
  async #openIntent(rec: TaskRecord, fields: Pick<Intent, 'kind' | 'good' | 'units' | 'expectedUnitPrice'> & Partial<Intent>): Promise<{ intent: Intent; r: TaskRecord }> {
    await this.dock();
    const intent: Intent = {
      id: this.ctx.newIntentId(),
      ship: this.symbol,
      waypoint: this.ship.nav.waypointSymbol,
      cargoBefore: this.held(fields.good),
      at: new Date().toISOString(),
      ...fields,
    };
    const r: TaskRecord = { ...rec, pending: intent };
    await this.ctx.saveTask(r);
    await this.ctx.step(this.symbol, `${intent.kind}.intent`, { taskId: rec.taskId, intent });
    return { intent, r };
  }

  /** The game definitely refused the call: close the intent (nothing happened) and journal why. */
  async #closeRefused(r: TaskRecord, intent: Intent, e: unknown): Promise<TaskRecord> {
    const closed: TaskRecord = { ...r, pending: undefined };
    await this.ctx.saveTask(closed);
    await this.ctx.step(this.symbol, `${intent.kind}.error`, { taskId: r.taskId, intent, error: (e as Error).message });
    return closed;
  }

  async #trade(kind: 'buy' | 'sell', rec: TaskRecord, good: string, units: number, unitPrice: number, unwanted?: true): Promise<TaskRecord> {
    const opened = await this.#openIntent(rec, { kind, good, units, expectedUnitPrice: unitPrice, ...(unwanted ? { unwanted } : {}) });
    const intent = opened.intent;
    let r = opened.r;
    this.ctx.events.emit('intent', `${kind} ${units} ${good} at ${intent.waypoint} (~${unitPrice}/u)`, { ship: this.symbol, taskId: rec.taskId, data: { ...intent } });
    try {
      const res = kind === 'buy' ? await this.ctx.client.purchaseCargo(this.symbol, good, units) : await this.ctx.client.sellCargo(this.symbol, good, units);
      this.ctx.quotes.traded(intent.waypoint, kind, res.transaction);
      this.ship.cargo = res.cargo;
      this.ctx.credits = res.agent.credits;
      r = applyResult(r, intent, res.transaction.units, res.transaction.totalPrice);
      this.#countTrade(kind);
      await this.ctx.saveTask(r);
      await this.ctx.step(this.symbol, `${kind}.result`, { taskId: rec.taskId, intent, result: txResult(res.transaction, true), credits: res.agent.credits });
      this.ctx.events.emit('result', `${kind === 'buy' ? 'bought' : 'sold'} ${res.transaction.units} ${good} for ${res.transaction.totalPrice}`, {
        ship: this.symbol,
        taskId: rec.taskId,
        data: { units: res.transaction.units, totalPrice: res.transaction.totalPrice, pricePerUnit: res.transaction.pricePerUnit },
      });
      return r;
    } catch (e) {
      if (isOutcomeUnknown(e)) return this.reconcileTrade(r, intent);
      // Only a definite refusal by the game closes the intent; anything else leaves it open for
      // reconciliation on the next run (the call may have been committed).
      if (gameErrorCode(e) === undefined) throw e;
      r = await this.#closeRefused(r, intent, e);
      const code = gameErrorCode(e);
      if (code === 4600) throw new TaskFailure(`the agent has too few credits to ${kind} ${units} ${good}`, true);
      if (code !== undefined && code >= 4000) throw new TaskFailure(`the game refused to ${kind} ${units} ${good} at ${intent.waypoint}: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Delivers `units` of `good` to a contract: intent, call, result; reconciled by the hold if the outcome is unknown. */
  async deliverContract(rec: TaskRecord, contractId: string, good: string, units: number): Promise<TaskRecord> {
    const deliverFn = this.ctx.client.deliverContract;
    if (!deliverFn) throw new TaskFailure('this client cannot deliver to contracts');
    const opened = await this.#openIntent(rec, { kind: 'deliver', good, units, expectedUnitPrice: 0, contractId });
    const intent = opened.intent;
    let r = opened.r;
    try {
      const res = await deliverFn.call(this.ctx.client, contractId, this.symbol, good, units);
      this.ship.cargo = res.cargo;
      r = { ...r, pending: undefined, delivered: r.delivered + units };
      await this.ctx.saveTask(r);
      await this.ctx.step(this.symbol, 'deliver.result', { taskId: rec.taskId, intent, result: { units, totalPrice: 0, pricePerUnit: 0, happened: true } });
      this.ctx.events.emit('result', `delivered ${units} ${good} to contract ${contractId}`, { ship: this.symbol, taskId: rec.taskId });
      return r;
    } catch (e) {
      if (isOutcomeUnknown(e)) return this.reconcileTrade(r, intent);
      if (gameErrorCode(e) === undefined) throw e;
      await this.#closeRefused(r, intent, e);
      throw new TaskFailure(`the game refused to deliver ${units} ${good} to contract ${contractId}: ${(e as Error).message}`);
    }
  }

  /**
   * Supplies `units` of `good` to the construction site here (docked): intent, call, result,
   * like a sale. The site takes no more than it still needs, so the units delivered are what
   * left the hold. 4801 (the material is met) closes the intent and returns the record
   * unchanged: the site's progress says the task is over. An unknown outcome is reconciled by
   * the hold.
   */
  async supplyConstruction(rec: TaskRecord, waypoint: string, good: string, units: number): Promise<TaskRecord> {
    const supplyFn = this.ctx.client.supplyConstruction;
    if (!supplyFn) throw new TaskFailure('this client cannot supply construction sites');
    const opened = await this.#openIntent(rec, { kind: 'deliver', good, units, expectedUnitPrice: 0, constructionSite: waypoint });
    const intent = opened.intent;
    let r = opened.r;
    try {
      const res = await supplyFn.call(this.ctx.client, systemOf(waypoint), waypoint, this.symbol, good, units);
      failpoint('construction-supplied');
      this.ship.cargo = res.cargo;
      const taken = Math.max(0, intent.cargoBefore - unitsInHold(res.cargo, good));
      r = { ...r, pending: undefined, delivered: r.delivered + taken };
      await this.ctx.saveTask(r);
      await this.ctx.step(this.symbol, 'deliver.result', { taskId: rec.taskId, intent, result: { units: taken, totalPrice: 0, pricePerUnit: 0, happened: true } });
      const seen = this.ctx.site?.update(res.construction);
      if (seen) await this.ctx.step(this.symbol, 'construction', { taskId: rec.taskId, waypoint, construction: seen });
      this.ctx.events.emit('result', `supplied ${taken} ${good} to the construction at ${waypoint}${taken < units ? ` (it needed only ${taken})` : ''}`, { ship: this.symbol, taskId: rec.taskId, data: { units: taken } });
      return r;
    } catch (e) {
      if (isOutcomeUnknown(e)) return this.reconcileTrade(r, intent);
      if (gameErrorCode(e) === undefined) throw e;
      r = await this.#closeRefused(r, intent, e);
      if (gameErrorCode(e) === 4801) {
        this.ctx.site?.markMet(good);
        this.ctx.events.emit('result', `the construction at ${waypoint} needs no more ${good} (4801: met); ${this.held(good)} stay in ${this.symbol}'s hold`, { ship: this.symbol, taskId: rec.taskId });
        return r;
      }
      throw new TaskFailure(`the game refused to supply ${units} ${good} to the construction at ${waypoint}: ${(e as Error).message}`);
    }
  }

  /**
   * An intent without a result: did the call happen? Decided by the ship's cargo (one call at a
   * time per ship, so a change of exactly the intent's units is this call), priced from the
   * market's transaction log (the ship is at that market), never by retrying.
   */
  async reconcileTrade(rec: TaskRecord, intent: Intent): Promise<TaskRecord> {
    const ship = await this.ctx.client.getShip(this.symbol);
    this.ship = ship;
    const now = unitsInHold(ship.cargo, intent.good);
    // A construction site takes no more than it needs: any units gone from the hold were supplied.
    const supplied = intent.constructionSite ? Math.min(intent.units, Math.max(0, intent.cargoBefore - now)) : 0;
    const happened = intent.constructionSite ? supplied > 0 : intent.kind === 'buy' ? now >= intent.cargoBefore + intent.units : now <= intent.cargoBefore - intent.units;
    const units = intent.constructionSite ? supplied : intent.units;
    let total = 0;
    if (happened && intent.kind !== 'deliver') {
      const tx = await this.#findTransaction(intent, intent.kind === 'buy' ? 'PURCHASE' : 'SELL');
      total = tx?.totalPrice ?? intent.units * intent.expectedUnitPrice;
    }
    const r = happened ? applyResult(rec, intent, units, total) : { ...rec, pending: undefined };
    if (happened && intent.kind !== 'deliver') this.#countTrade(intent.kind);
    await this.ctx.saveTask(r);
    await this.ctx.step(this.symbol, `${intent.kind}.reconciled`, {
      taskId: rec.taskId,
      intent,
      result: { units: happened ? units : 0, totalPrice: total, pricePerUnit: happened ? Math.round(total / units) : 0, happened, reconciled: true },
    });
    this.ctx.events.emit('reconcile', `${intent.kind} of ${intent.units} ${intent.good} ${happened ? `had happened (${intent.constructionSite ? `${units} supplied` : `${total} credits`})` : 'had not happened'}`, {
      ship: this.symbol,
      taskId: rec.taskId,
    });
    return r;
  }

  #countTrade(kind: Intent['kind']): void {
    if (kind === 'buy') this.ctx.trades.purchases++;
    else if (kind === 'sell') this.ctx.trades.sales++;
  }

  async #findTransaction(intent: Intent, type: 'PURCHASE' | 'SELL'): Promise<MarketTransaction | undefined> {
    try {
      const m = await this.market(intent.waypoint);
      const matches = (m.transactions ?? []).filter(
        (t) => t.shipSymbol === this.symbol && t.tradeSymbol === intent.good && t.type === type && t.units === intent.units,
      );
      return matches.sort((a, b) => a.timestamp.localeCompare(b.timestamp)).at(-1);
    } catch {
      return undefined;
    }
  }
}

function applyResult(rec: TaskRecord, intent: Intent, units: number, total: number): TaskRecord {
  if (intent.unwanted) return { ...rec, pending: undefined, earned: rec.earned + total };
  if (intent.kind === 'buy') return { ...rec, pending: undefined, acquired: rec.acquired + units, spent: rec.spent + total };
  if (intent.kind === 'deliver') return { ...rec, pending: undefined, delivered: rec.delivered + units };
  return { ...rec, pending: undefined, delivered: rec.delivered + units, earned: rec.earned + total };
}

function txResult(tx: MarketTransaction, happened: boolean): { units: number; totalPrice: number; pricePerUnit: number; happened: boolean } {
  return { units: tx.units, totalPrice: tx.totalPrice, pricePerUnit: tx.pricePerUnit, happened };
}

function pointOf(w: { symbol: string; x: number; y: number }): { symbol: string; x: number; y: number } {
  return { symbol: w.symbol, x: w.x, y: w.y };
}
