/**
 * Apply's extraction crews (issue 14): one loop for every task whose source is `extract`, by role.
 *
 *   haul    flies to the crew's site, pulls the wanted good from the miners there by transfer (the
 *           hauler pulls: one call at a time into its hold, no transfer race, BEYOND.md b.4),
 *           mines and surveys itself when it can, and delivers each load to the destination
 *           (feed, sell, contract; a target kept in the hold stays there). Done when the quantity
 *           is delivered (or held).
 *   mine    extracts (or siphons) at the site, with the crew's best survey while it lasts, waits
 *           out each cooldown, jettisons unwanted yields (policy unwantedYield: jettison), stops
 *           once the crew holds what the haul still needs, and ends with the haul task.
 *   survey  surveys the site until the crew has a good survey for the wanted good; ends with the haul.
 *
 * An asteroid found unstable (4253) sends the crew to the next alternate site (or waits it out).
 * Every extraction, transfer and jettison is an intent before the call and a result after it
 * (calls.ts); an open one is reconciled from the hold before anything else on resume.
 */
import { getMaxListeners, setMaxListeners } from 'node:events';
import type { Task } from '../../plan/types.js';
import type { TaskRecord } from '../../state/journal.js';
import { TaskFailure, type RunContext } from '../context.js';
import { gameErrorCode, gameErrorData } from '../ports.js';
import type { ShipWorker } from '../ship-worker.js';
import { deliver, finish } from '../task-runner.js';
import { boardOf, surveyScore, type CrewBoard, type ExtractSource } from './board.js';
import { extractOnce, jettisonOnce, journalCooldown, noteCooldown, progressOf, pullOnce, reconcileOpen, surveyOnce } from './calls.js';

const TERMINAL = new Set(['completed', 'failed', 'skipped']);
/** Longest wait between looks (wall ms): a crew ship wakes at every task change anyway. */
const MAX_WAIT_MS = 30_000;
/** Game seconds a crew may go without any progress (extraction, transfer, sale) before its task fails. */
const STALL_GAME_SECONDS = 3 * 3600;
const SURVEY_CODES = new Set([4220, 4221, 4224, 4270]);

export async function runExtraction(ctx: RunContext, worker: ShipWorker, task: Task): Promise<TaskRecord> {
  const src = task.source as ExtractSource;
  // Every crew ship waits on the run's signal at once (ctx.changed): more than node's default 10.
  setMaxListeners(Math.max(getMaxListeners(ctx.signal), 20 + 2 * ctx.plan.fleet.length), ctx.signal);
  const board = boardOf(ctx, task);
  const crew = new Crew(ctx, worker, task, src, board);
  return crew.run();
}

class Crew {
  readonly haul: boolean;
  readonly mines: boolean;
  readonly surveys: boolean;
  readonly keep: boolean;
  rec: TaskRecord;
  #lastStep = '';
  #progress = -1;
  #progressAt = 0;

  constructor(
    readonly ctx: RunContext,
    readonly worker: ShipWorker,
    readonly task: Task,
    readonly src: ExtractSource,
    readonly board: CrewBoard,
  ) {
    this.haul = src.role === 'haul';
    this.mines = src.miners.includes(worker.symbol);
    this.surveys = src.method === 'EXTRACT' && src.surveyor === worker.symbol;
    this.keep = task.destination.kind === 'hold';
    this.rec = ctx.tasks.get(task.id)!;
  }

  get good(): string {
    return this.task.good;
  }

  /** The crew's other tasks (mine and survey), by ship. */
  crewTasks(): Array<{ task: Task; rec: TaskRecord }> {
    return this.ctx.plan.tasks
      .filter((t) => t.source.kind === 'extract' && t.source.crew === this.src.crew && t.id !== this.src.crew)
      .map((t) => ({ task: t, rec: this.ctx.tasks.get(t.id)! }));
  }

  async save(r: TaskRecord): Promise<void> {
    this.rec = r;
    await this.ctx.saveTask(r);
  }

  async run(): Promise<TaskRecord> {
    const { ctx, worker, task, board } = this;
    board.cargo.set(worker.symbol, worker.ship.cargo);
    board.at.set(worker.symbol, { waypoint: worker.ship.nav.waypointSymbol, inOrbit: worker.ship.nav.status === 'IN_ORBIT' });
    if (this.rec.pending) this.rec = await reconcileOpen(ctx, worker, board, task, this.rec, this.haul);
    await this.save({ ...this.rec, status: 'running', ship: worker.symbol, startedAt: this.rec.startedAt ?? new Date().toISOString(), reason: undefined, extraction: progressOf(this.rec, board) });
    ctx.events.emit('task.start', `${task.id} on ${worker.symbol} (${this.src.role} at ${board.site})`, { ship: worker.symbol, taskId: task.id });
    this.#progressAt = ctx.clock.nowMs();
    for (let i = 0; i < 100_000; i++) {
      ctx.checkpoint();
      const version = ctx.version;
      // The hauler's pulls change a miner's hold from another lane: the board has its latest hold.
      const held = board.cargo.get(worker.symbol);
      if (!this.haul && held) worker.ship.cargo = held;
      this.#checkStall();
      const done = await this.#doneYet();
      if (done) return done;
      if (this.haul && (await this.#deliverIfLoaded())) continue;
      await this.#toSite();
      if (this.haul && (await this.#pull())) continue;
      if (this.surveys && !this.#crewHasEnough() && board.wantsSurvey(ctx.clock.nowMs()) && (await this.#cooldownReady())) {
        await this.#survey();
        continue;
      }
      if (this.mines && !this.#crewHasEnough()) {
        if (await this.#mine()) continue;
      }
      if (this.haul && !this.mines && !this.#crewAlive()) {
        throw new TaskFailure(`the crew of ${task.id} stopped (${this.src.miners.join(', ')} no longer mine) with ${this.rec.acquired} of ${task.quantity} ${this.good} collected`);
      }
      await this.#pause(this.#waitText(), version);
    }
    throw new TaskFailure(`${task.id} made no progress`);
  }

  /** Completed: the haul when its quantity is delivered (or held); a crew ship when its haul task ended. */
  async #doneYet(): Promise<TaskRecord | undefined> {
    const { ctx, task } = this;
    if (this.haul) {
      if (this.keep && this.rec.acquired >= task.quantity) return finish(ctx, { ...this.rec, delivered: this.rec.acquired }, 'completed');
      if (!this.keep && this.rec.delivered >= task.quantity) return finish(ctx, this.rec, 'completed');
      return undefined;
    }
    const haul = ctx.tasks.get(this.src.crew)!;
    if (!TERMINAL.has(haul.status)) return undefined;
    const reason = haul.status === 'completed' ? undefined : `its haul task ${this.src.crew} ${haul.status}`;
    return finish(ctx, { ...this.rec, ...(reason ? { reason } : {}) }, 'completed');
  }

  /** Units the haul task owns now: in its hold, never more than it collected and has not delivered. */
  #owned(): number {
    const owned = Math.max(0, Math.min(this.rec.acquired - this.rec.delivered, this.worker.held(this.good)));
    return owned;
  }

  /** The haul delivers when it holds the rest of the quantity, or its hold is full. */
  async #deliverIfLoaded(): Promise<boolean> {
    const { ctx, worker, task } = this;
    const expected = this.rec.acquired - this.rec.delivered;
    const owned = this.#owned();
    if (owned < expected) {
      // Units it counted are not in its hold: collect them again (they were never delivered).
      const lost = expected - owned;
      ctx.events.emit('warning', `${lost} ${this.good} of ${task.id} are not in ${worker.symbol}'s hold; collecting them again`, { ship: worker.symbol, taskId: task.id });
      await this.save({ ...this.rec, acquired: this.rec.acquired - lost });
    }
    if (this.keep) return false;
    const need = task.quantity - this.rec.acquired;
    if (!(owned > 0 && (need <= 0 || worker.freeHold <= 0))) return false;
    let r = await deliver(ctx, worker, task, this.rec, owned);
    this.board.at.set(worker.symbol, { waypoint: worker.ship.nav.waypointSymbol, inOrbit: false });
    if (this.src.unwanted === 'sell') r = await this.#sellUnwanted(r);
    this.board.cargo.set(worker.symbol, worker.ship.cargo);
    await this.save(r);
    return true;
  }

  /** Unwanted yields aboard, sold where the good was delivered when that market trades them, else jettisoned. */
  async #sellUnwanted(rec: TaskRecord): Promise<TaskRecord> {
    const { worker, task } = this;
    let r = rec;
    const here = worker.ship.nav.waypointSymbol;
    const market = await worker.market(here).catch(() => undefined);
    for (const item of worker.ship.cargo.inventory.filter((i) => i.symbol !== this.good && i.units > 0)) {
      let left = item.units;
      const g = market?.tradeGoods?.find((x) => x.symbol === item.symbol);
      for (let k = 0; g && left > 0 && k < 100; k++) {
        const units = Math.min(left, g.tradeVolume);
        await worker.setStep(`sell unwanted ${units} ${item.symbol} at ${here}`, task.id);
        r = await worker.sell(r, item.symbol, units, g.sellPrice, { unwanted: true });
        left = worker.held(item.symbol);
      }
      if (left > 0) r = await jettisonOnce(this.ctx, worker, this.board, task, r, item.symbol, left);
    }
    return r;
  }

  /** At the crew's site, in orbit (transfers need both ships in orbit); the site is journaled when it moved. */
  async #toSite(): Promise<void> {
    const { worker, board, task } = this;
    if (worker.ship.nav.waypointSymbol !== board.site || worker.ship.nav.status === 'IN_TRANSIT') {
      board.at.set(worker.symbol, { waypoint: '', inOrbit: false });
      await worker.goTo(board.site, task.id);
    }
    await worker.orbit();
    board.at.set(worker.symbol, { waypoint: board.site, inOrbit: true });
    const p = progressOf(this.rec, board);
    if (p.site !== board.site) await this.save({ ...this.rec, extraction: { ...p, site: board.site, siteAt: board.siteAt || new Date().toISOString() } });
  }

  /**
   * The hauler pulls from each miner at the site: the wanted good when the miner is nearly full or
   * holds the rest of what is needed (fewer calls), then (unwanted: sell) the other yields.
   */
  async #pull(): Promise<boolean> {
    const { ctx, worker, board, task } = this;
    let pulled = false;
    for (const { task: t, rec } of this.crewTasks()) {
      if (!this.src.miners.includes(t.ship) || t.ship === worker.symbol) continue;
      if (rec.pending) continue; // its open call is reconciled by its own lane first
      const at = board.at.get(t.ship);
      if (!at || at.waypoint !== worker.ship.nav.waypointSymbol || !at.inOrbit) continue;
      const need = task.quantity - this.rec.acquired;
      const cargo = board.cargo.get(t.ship);
      if (!cargo) continue;
      const held = board.held(t.ship, this.good);
      const nearlyFull = cargo.capacity - cargo.units < 2 * Math.max(1, Math.ceil(cargo.capacity / 5));
      // The miners stop once the crew holds the rest: then every unit they hold is wanted now.
      const stopped = TERMINAL.has(rec.status) || this.#crewHasEnough();
      if (need > 0 && held > 0 && worker.freeHold > 0 && (held >= need || nearlyFull || stopped)) {
        this.rec = await pullOnce(ctx, worker, board, task, this.rec, t.ship, this.good, Math.min(held, need, worker.freeHold));
        pulled = true;
      }
      if (this.src.unwanted === 'sell' && nearlyFull) {
        for (const item of (board.cargo.get(t.ship)?.inventory ?? []).filter((i) => i.symbol !== this.good && i.units > 0)) {
          if (worker.freeHold <= 0) break;
          this.rec = await pullOnce(ctx, worker, board, task, this.rec, t.ship, item.symbol, Math.min(item.units, worker.freeHold));
          pulled = true;
        }
      }
    }
    return pulled;
  }

  /** What the crew holds toward the haul's quantity: collected by the haul, and in the miners' holds. */
  #crewHasEnough(): boolean {
    const haul = this.ctx.tasks.get(this.src.crew)!;
    const inMiners = this.src.miners.filter((m) => m !== haul.ship).reduce((s, m) => s + this.board.held(m, this.good), 0);
    return haul.acquired + inMiners >= this.ctx.taskById.get(this.src.crew)!.quantity;
  }

  /** Another crew ship still works (or will): its task is not ended and has a ship. */
  #crewAlive(): boolean {
    return this.crewTasks().some(({ task: t, rec }) => this.src.miners.includes(t.ship) && !TERMINAL.has(rec.status) && rec.ship !== '');
  }

  async #cooldownReady(): Promise<boolean> {
    const until = this.board.cooldown.get(this.worker.symbol) ?? 0;
    return until <= this.ctx.clock.nowMs();
  }

  async #waitCooldown(): Promise<void> {
    const until = this.board.cooldown.get(this.worker.symbol) ?? 0;
    const ms = until - this.ctx.clock.nowMs();
    if (ms <= 0) return;
    await this.#step(`cooling down at ${this.board.site}`, until);
    await this.ctx.clock.sleepWall(ms + 10, this.ctx.signal);
  }

  async #survey(): Promise<void> {
    const { ctx, worker, board, task } = this;
    await this.#step(`survey ${board.site} for ${this.good}`);
    try {
      await this.save(await surveyOnce(ctx, worker, board, task, this.rec));
    } catch (e) {
      if (!(await this.#cooldownRefusal(e))) throw this.#refusal(e, 'survey');
    }
  }

  /** One extraction (after the cooldown), then the unwanted yields jettisoned; false when there is nothing to do but wait. */
  async #mine(): Promise<boolean> {
    const { ctx, worker, board, task } = this;
    if (this.haul && this.rec.acquired >= task.quantity) return false;
    if (worker.freeHold <= 0) {
      if (await this.#jettisonUnwanted()) return true;
      return false; // full of the wanted good: wait for the hauler
    }
    if (!(await this.#cooldownReady())) {
      await this.#waitCooldown();
      return true;
    }
    const survey = board.source.method === 'EXTRACT' ? board.usableSurvey(ctx.clock.nowMs()) : undefined;
    await this.#step(`${this.src.method === 'SIPHON' ? 'siphon' : 'extract'} at ${board.site}${survey ? ` with survey ${survey.signature} (${Math.round(surveyScore(survey, this.good) * 100)}% ${this.good})` : ''}`);
    try {
      await this.save(await extractOnce(ctx, worker, board, task, this.rec, this.haul));
    } catch (e) {
      const code = gameErrorCode(e);
      if (await this.#cooldownRefusal(e)) return true;
      if (code === 4228) {
        const ship = await ctx.client.getShip(worker.symbol);
        worker.ship = ship;
        board.cargo.set(worker.symbol, ship.cargo);
        return true;
      }
      if (code === 4253) return this.#unstable(e);
      if (code !== undefined && SURVEY_CODES.has(code) && survey) {
        board.deadSurveys.add(survey.signature);
        ctx.events.emit('warning', `survey ${survey.signature} can no longer be used (${code}): extracting without it`, { ship: worker.symbol, taskId: task.id });
        return true;
      }
      throw this.#refusal(e, this.src.method === 'SIPHON' ? 'siphon' : 'extract');
    }
    await this.#jettisonUnwanted();
    return true;
  }

  /** Jettison mode: every yield but the wanted good leaves the hold (a haul in sell mode keeps them to sell). */
  async #jettisonUnwanted(): Promise<boolean> {
    if (this.src.unwanted === 'sell' && !this.keep) return false;
    let any = false;
    for (const item of this.worker.ship.cargo.inventory.filter((i) => i.symbol !== this.good && i.units > 0)) {
      await this.#step(`jettison ${item.units} ${item.symbol}`);
      await this.save(await jettisonOnce(this.ctx, this.worker, this.board, this.task, this.rec, item.symbol, item.units));
      any = true;
    }
    return any;
  }

  /** 4253: the crew moves to the next alternate site, or waits until the asteroid settles. */
  async #unstable(e: unknown): Promise<boolean> {
    const { ctx, board, task, worker } = this;
    const now = ctx.clock.nowMs();
    const data = gameErrorData(e);
    const parsed = typeof data.unstableUntil === 'string' ? Date.parse(data.unstableUntil) : NaN;
    const until = Number.isFinite(parsed) ? parsed : now + (3600 * 1000) / ctx.clock.timeScale;
    const was = board.site;
    board.unstableUntil.set(was, until);
    const moved = board.site !== was || board.moveOn(now);
    const p = progressOf(this.rec, board);
    await this.save({ ...this.rec, extraction: { ...p, unstable: { waypoint: was, until: new Date(until).toISOString() }, site: board.site, siteAt: board.siteAt || p.siteAt } });
    if (moved) {
      ctx.events.emit('warning', `${was} is unstable (4253) until ${new Date(until).toISOString()}: the crew moves to ${board.site}`, { ship: worker.symbol, taskId: task.id });
      return true;
    }
    ctx.events.emit('wait', `${was} is unstable (4253) and no other site yields ${this.good}: waiting until ${new Date(until).toISOString()}`, { ship: worker.symbol, taskId: task.id });
    await this.#step(`waiting: ${was} unstable`, until);
    await ctx.clock.sleepWall(Math.max(0, until - now) + 50, ctx.signal);
    return true;
  }

  /** 4000: the reactor is cooling down (a cooldown from before a restart): note it and wait. */
  async #cooldownRefusal(e: unknown): Promise<boolean> {
    if (gameErrorCode(e) !== 4000) return false;
    const cd = gameErrorData(e).cooldown as { remainingSeconds?: number } | undefined;
    const until = noteCooldown(this.ctx, this.board, this.worker.symbol, { remainingSeconds: cd?.remainingSeconds ?? 1 } as never);
    await journalCooldown(this.ctx, this.worker, this.task.id, until, 'an earlier call');
    return true;
  }

  #refusal(e: unknown, what: string): Error {
    return gameErrorCode(e) !== undefined ? new TaskFailure(`the game refused to ${what} at ${this.board.site}: ${(e as Error).message}`) : (e as Error);
  }

  #waitText(): string {
    if (this.haul) return `waiting at ${this.board.site} for ${this.src.miners.filter((m) => m !== this.worker.symbol).join(', ') || 'the crew'} (${this.rec.acquired}/${this.task.quantity} ${this.good} collected)`;
    if (this.#crewHasEnough()) return `waiting for ${this.src.crew} to collect and deliver`;
    return this.mines ? `hold full: waiting at ${this.board.site} for the hauler` : `waiting at ${this.board.site}`;
  }

  async #step(text: string, untilMs?: number): Promise<void> {
    if (text === this.#lastStep && untilMs === undefined) return;
    this.#lastStep = text;
    await this.worker.setStep(text, this.task.id, untilMs);
  }

  /** Waits for a task change (another crew ship's call), the next cooldown's end, or MAX_WAIT_MS. */
  async #pause(text: string, version: number): Promise<void> {
    const now = this.ctx.clock.nowMs();
    const ends = [...this.board.cooldown.values()].filter((t) => t > now);
    const ms = Math.max(20, Math.min(MAX_WAIT_MS, ends.length ? Math.min(...ends) - now + 20 : MAX_WAIT_MS));
    await this.#step(text);
    await this.ctx.changed(ms, version);
  }

  /** Fails the task after STALL_GAME_SECONDS of game time in which no crew record moved. */
  #checkStall(): void {
    const all = [this.ctx.tasks.get(this.src.crew)!, ...this.crewTasks().map((c) => c.rec)];
    // A crew ship still busy elsewhere (its task pending) is not a stall: the crew waits for it.
    if (all.some((r) => r.status === 'pending')) {
      this.#progressAt = this.ctx.clock.nowMs();
      return;
    }
    const progress = all.reduce((s, r) => s + r.acquired + r.delivered + (r.extraction?.extractions ?? 0) + (r.extraction?.surveys ?? 0), 0);
    const now = this.ctx.clock.nowMs();
    if (progress !== this.#progress) {
      this.#progress = progress;
      this.#progressAt = now;
      return;
    }
    if (now - this.#progressAt > (STALL_GAME_SECONDS * 1000) / this.ctx.clock.timeScale) {
      throw new TaskFailure(`the crew of ${this.src.crew} made no progress for ${STALL_GAME_SECONDS / 3600} game hours (${this.rec.acquired}/${this.task.quantity} ${this.good})`);
    }
  }
}
