import type { PlanFile, Task } from '../plan/types.js';
import type { Store } from '../state/store.js';
import { isLockLost, type Fence } from '../state/fence.js';
import { fencedClient } from './fenced-client.js';
import { Journal, actualSpend, type Intent, type ShipRecord, type StepRecord, type TaskRecord } from '../state/journal.js';
import type { Clock } from './clock.js';
import type { EventSink } from './events.js';
import type { GameClient, Market, Ship } from './ports.js';
import { MarketQuotes } from './quotes.js';
import type { SiteProgress } from '../construction/progress.js';

/** Thrown at a step boundary once the run was asked to stop (SIGINT, SIGTERM, `st-goods stop`). */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

/** A task cannot go on (guard, timeout, game refusal); the lane moves to its next task. */
export class TaskFailure extends Error {
  /**
   * `replan`: re-running the same plan cannot get past this (the plan's picture of the world is
   * wrong: cargo it did not know of, units it counted on gone); a new plan can.
   */
  constructor(message: string, readonly budget = false, readonly replan = false) {
    super(message);
    this.name = 'TaskFailure';
  }
}

/** The ship cannot go on (gone, stranded); its task is handed to another ship. */
export class ShipFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShipFailure';
  }
}

/**
 * Everything the lanes of one run share: the plan, the journal (and its in-memory mirror of task
 * and ship records, written through on every change), the client, the clock and the abort signal.
 */
export class RunContext {
  readonly journal: Journal;
  /** The game client; with a fence, every call that changes the game first checks the lock. */
  readonly client: GameClient;
  readonly tasks = new Map<string, TaskRecord>();
  readonly ships = new Map<string, ShipRecord>();
  readonly taskById = new Map<string, Task>();
  /** Every good the plan trades (what the journal keeps of a market read). */
  readonly goods = new Set<string>();
  /** The plan's goods as last journaled per market (a market step is written only when they change). */
  readonly lastSeen = new Map<string, string>();
  #seq = 0;
  #waiters: Array<() => void> = [];
  /** Bumped at every task change: a lane that read it before deciding to wait never misses one. */
  version = 0;
  /** Last agent credits a response returned. */
  credits?: number;
  budgetExhausted?: string;
  /** Purchases and sales the game made in this process (not attempts: refused and retried calls do not count). */
  readonly trades = { purchases: 0, sales: 0 };
  /** Tasks that failed in a way only a new plan can get past (TaskFailure.replan). */
  readonly needsReplan = new Set<string>();
  /** (issue 13) The construction site the plan supplies, as the game last answered; set by apply. */
  site?: SiteProgress;
  /** Each market's prices as last read, moved by this run's trades there since. */
  readonly quotes = new MarketQuotes();
  /** Every ship apply's pre-flight read showed (the fleet rule's first evaluation uses it: no call). */
  fleetAtStart: Ship[] = [];
  /** Ships as apply's pre-flight list call showed them, until each lane takes its own. */
  #knownShips = new Map<string, Ship>();
  /** Markets read before the lanes started (the game check), by waypoint. */
  #prereadMarkets = new Map<string, Market>();

  constructor(
    readonly runId: string,
    readonly plan: PlanFile,
    client: GameClient,
    readonly store: Store,
    readonly clock: Clock,
    readonly events: EventSink,
    readonly signal: AbortSignal,
    readonly onObservation?: (market: import('./ports.js').Market) => Promise<void>,
    /** The lock's fencing token: every journal write of the run names it. */
    fence?: Fence,
  ) {
    this.journal = new Journal(store, fence);
    this.client = fence ? fencedClient(client, () => this.#fenced(() => store.checkFence(fence))) : client;
    for (const t of plan.tasks) {
      this.taskById.set(t.id, t);
      this.goods.add(t.good);
    }
  }

  async load(startSeq: number): Promise<void> {
    this.#seq = startSeq;
    const recs = await this.journal.getTasks(this.runId, [...this.taskById.keys()]);
    const now = new Date().toISOString();
    for (const t of this.plan.tasks) {
      // Units already aboard (source `aboard`) are the task's from the start: nothing is bought.
      const acquired = t.source.kind === 'aboard' ? t.quantity : 0;
      this.tasks.set(t.id, recs.get(t.id) ?? { taskId: t.id, status: 'pending', ship: t.ship, acquired, delivered: 0, spent: 0, earned: 0, trips: 0, updatedAt: now });
    }
    const shipSymbols = [...new Set(this.plan.tasks.map((t) => t.ship))];
    const shipRecs = await this.journal.getShips(this.runId, shipSymbols);
    for (const s of shipSymbols) this.ships.set(s, shipRecs.get(s) ?? { ship: s, state: 'idle', fuelSpent: 0, updatedAt: now });
  }

  /** What apply read before the lanes start: the fleet (one list call) and the markets some ships sit at. */
  preread(ships: ReadonlyMap<string, Ship>, markets: ReadonlyMap<string, Market>): void {
    this.#knownShips = new Map(ships);
    this.fleetAtStart = [...ships.values()];
    this.#prereadMarkets = new Map(markets);
    for (const [waypoint, m] of markets) this.quotes.observe(waypoint, m);
  }

  /** A ship as a list call showed it just now (one that joins the run): its lane starts from it. */
  knowShip(ship: Ship): void {
    this.#knownShips.set(ship.symbol, ship);
  }

  /** The pre-flight state of a ship, once (a second load of it reads the game again). */
  takeKnownShip(symbol: string): Ship | undefined {
    const s = this.#knownShips.get(symbol);
    this.#knownShips.delete(symbol);
    return s;
  }

  /** A market read before the lanes started (ships that sit there start their stay with it). */
  prereadMarket(waypoint: string): Market | undefined {
    return this.#prereadMarkets.get(waypoint);
  }

  checkpoint(): void {
    if (this.signal.aborted || this.#lost) throw new Interrupted();
  }

  /** Set once the store refused a write or a check of this run's fence: another apply holds the lock. */
  get lockLost(): Error | undefined {
    return this.#lost;
  }

  #lost?: Error;

  /** Runs a fenced store operation, remembering a LOCK_LOST so every lane stops at its next step. */
  async #fenced<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (isLockLost(e)) this.#lost ??= e as Error;
      throw e;
    }
  }

  get maxCredits(): number {
    return this.plan.spec.policy.maxCredits;
  }

  get reserveCredits(): number {
    return this.plan.spec.policy.reserveCredits;
  }

  /** Cumulative ACTUAL spend of this run (purchases + fuel), from the journal mirror. */
  spent(): number {
    return actualSpend(this.tasks.values(), this.ships.values());
  }

  /** Credits held by purchases and refuels that lanes have decided on but whose result is not journaled yet. */
  #committed = 0;

  /**
   * Units of `unitPrice` the budget still allows: the spend cap and the agent's treasury floor,
   * less what other lanes have already committed to calls still in flight (lanes run in parallel,
   * and each awaits its intent's journal write before the call).
   */
  affordableUnits(unitPrice: number): number {
    if (unitPrice <= 0) return Number.MAX_SAFE_INTEGER;
    const byCap = Math.floor((this.maxCredits - this.spent() - this.#committed) / unitPrice);
    const byReserve = this.credits === undefined ? Number.MAX_SAFE_INTEGER : Math.floor((this.credits - this.#committed - this.reserveCredits) / unitPrice);
    return Math.max(0, Math.min(byCap, byReserve));
  }

  /**
   * Holds `credits` against the budget from the moment a lane decides on a call until `release`
   * (after its result, or its failure, is journaled), so that two lanes cannot both spend the
   * last of the budget. Call it in the same synchronous step as `affordableUnits`.
   */
  commit(credits: number): () => void {
    const held = Math.max(0, credits);
    this.#committed += held;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#committed -= held;
    };
  }

  async saveTask(rec: TaskRecord): Promise<void> {
    this.tasks.set(rec.taskId, rec);
    await this.#fenced(() => this.journal.putTask(this.runId, rec));
    this.#notify();
  }

  async saveShip(rec: ShipRecord): Promise<void> {
    this.ships.set(rec.ship, rec);
    await this.#fenced(() => this.journal.putShip(this.runId, rec));
  }

  async step(ship: string, kind: string, extra: Partial<Omit<StepRecord, 'seq' | 'runId' | 'ship' | 'kind' | 'at'>> = {}): Promise<void> {
    this.#seq += 1;
    const seq = this.#seq;
    await this.#fenced(() => this.journal.appendStep({ seq, runId: this.runId, ship, kind, at: new Date().toISOString(), ...extra }));
  }

  newIntentId(): string {
    return `${this.runId}:${this.#seq + 1}:${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Resolves at the next task status change, or after `ms` (lanes waiting on dependencies). */
  changed(ms: number, since = this.version): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.version !== since) return resolve();
      const t = setTimeout(done, ms);
      const onAbort = (): void => done();
      this.signal.addEventListener('abort', onAbort, { once: true });
      const self = this;
      function done(): void {
        clearTimeout(t);
        self.signal.removeEventListener('abort', onAbort);
        self.#waiters = self.#waiters.filter((w) => w !== done);
        resolve();
      }
      this.#waiters.push(done);
    });
  }

  /** Wakes everything waiting in changed() (a lane ended). */
  nudge(): void {
    this.#notify();
  }

  #notify(): void {
    this.version++;
    const ws = this.#waiters;
    this.#waiters = [];
    for (const w of ws) w();
  }
}

export type { Intent };
