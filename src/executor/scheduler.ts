import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { Task } from '../plan/types.js';
import { Interrupted, RunContext, ShipFailure, TaskFailure } from './context.js';
import { ShipWorker } from './ship-worker.js';
import { runTask } from './task-runner.js';
import { gameErrorCode, isShipGone, type Ship } from './ports.js';
import { StepDisplay, laneOutcome, rendererFor, watchTask, type Wrapper } from './progress.js';
import { FleetWatch } from './fleet-watch.js';

export type RendererKind = 'default' | 'simple' | 'verbose' | 'silent' | 'test';

const TERMINAL = new Set(['completed', 'failed', 'skipped']);
/** Longest a lane sleeps waiting for another lane's task before it looks again (ms). */
const IDLE_MAX_MS = 5_000;

/** Progress goes to stderr (listr2's simple renderer writes through a logger with its own output). */
const toStderr = (): ProcessOutput => new ProcessOutput(process.stderr, process.stderr);
const stderrLogger = (): ListrLogger => new ListrLogger({ useIcons: true, processOutput: toStderr() });

/**
 * Runs the plan's tasks: one listr2 lane per ship, all lanes in parallel. A lane picks the next of
 * its tasks whose dependencies are complete; a task whose dependency failed is skipped. A lane
 * whose ship fails hands its unfinished tasks to the fleet: an idle lane whose hold is empty (or
 * holds only that good) claims them. Idle lanes wait for a task change, backing off.
 */
export async function schedule(ctx: RunContext, renderer: RendererKind): Promise<{ internalErrors: Error[] }> {
  // A lane per ship with tasks, and per other fleet ship: those take tasks a failed ship releases.
  const ships = [...new Set([...ctx.plan.tasks.map((t) => t.ship), ...[...ctx.tasks.values()].map((r) => r.ship).filter(Boolean), ...ctx.plan.fleet.map((f) => f.symbol)])];
  const failedShips = new Set<string>();
  const internalErrors: Error[] = [];
  const plain = rendererFor(renderer) === 'simple';

  /**
   * A ship's lane: its worker, shown as the ship's first subtask (its step, with a countdown for
   * flights and production waits). It ends ✔ only when the ship finished its work: a failed
   * ship, an unexpected error or an interruption never shows as a green ✔.
   */
  const lane = async (symbol: string, out: Wrapper): Promise<void> => {
    const worker = new ShipWorker(ctx, symbol);
    // Without a TTY (the simple renderer) lines are printed one after another and a lane's title
    // changes are not: name the ship on every line so parallel lanes stay readable.
    const display = new StepDisplay(out, symbol, plain);
    const show = (text: string, untilMs?: number): void => display.show(text, untilMs);
    worker.onStep = show;
    try {
      // A ship is read (one request) when it has work: at once if it owns tasks, else on its first claim.
      let loaded = false;
      const ensureLoaded = async (): Promise<void> => {
        if (loaded) return;
        await worker.load();
        loaded = true;
      };
      if ([...ctx.tasks.values()].some((r) => r.ship === symbol && !TERMINAL.has(r.status))) await ensureLoaded();
      let idleMs = 250;
      for (let guard = 0; guard < 100_000; guard++) {
        ctx.checkpoint();
        const version = ctx.version;
        skipBlocked(ctx);
        if (!loaded && (orphans(ctx, failedShips).length > 0 || stealable(ctx, failedShips).length > 0)) await ensureLoaded();
        const next = loaded || ownOpen(ctx, symbol) ? pickTask(ctx, worker, failedShips) : idleOutcome(ctx, failedShips);
        if (next === 'finished') break;
        if (next === undefined) {
          await ctx.saveShip({ ...worker.record, state: 'idle', step: 'waiting for other tasks', taskId: undefined });
          out.title = `${symbol}: waiting for other tasks`; // its last task is finished: do not show it as the current one
          show('waiting for other tasks');
          await ctx.changed(idleMs, version);
          idleMs = Math.min(IDLE_MAX_MS, idleMs * 2);
          continue;
        }
        idleMs = 250;
        out.title = `${symbol}: ${next.id}${next.ship !== symbol ? ` (taken over from ${next.ship})` : ''}`;
        if (plain) show(`task ${next.id}`);
        try {
          await runTask(ctx, worker, next);
        } catch (e) {
          // A refusal by the game (GameError) fails this task, not the lane; a rejected token
          // (a server reset, a revoked token) is the run's end, not a task's (AuthError, exit 3).
          if (e instanceof TaskFailure || (gameErrorCode(e) !== undefined && !isShipGone(e) && (e as Error).name !== 'AuthError')) {
            const rec = ctx.tasks.get(next.id)!;
            const message = (e as Error).message;
            await ctx.saveTask({ ...rec, status: 'failed', reason: message, step: undefined, endedAt: new Date().toISOString() });
            ctx.events.emit('task.end', `${next.id} failed: ${message}`, { ship: symbol, taskId: next.id });
            if (e instanceof TaskFailure && e.budget) ctx.budgetExhausted ??= message;
            if (e instanceof TaskFailure && e.replan) ctx.needsReplan.add(next.id);
            continue;
          }
          throw e;
        }
      }
      await ctx.saveShip({ ...worker.record, state: 'done', step: undefined, taskId: undefined });
      // Its state as the last responses left it: what runs after the lanes (surplus) starts from it.
      if (loaded) ctx.knowShip(worker.ship);
      out.title = `${symbol}: done`;
    } catch (e) {
      display.stop();
      if (e instanceof Interrupted) {
        await ctx.saveShip({ ...worker.record, state: 'idle', step: 'interrupted' }).catch(() => undefined);
        out.skip(`${symbol}: interrupted`);
        return;
      }
      if (e instanceof ShipFailure) {
        failedShips.add(symbol);
        await ctx.saveShip({ ...worker.record, state: 'failed', reason: e.message, step: undefined });
        // Hand its unfinished tasks to the fleet.
        for (const [id, rec] of ctx.tasks) {
          if (rec.ship === symbol && !TERMINAL.has(rec.status)) {
            await ctx.saveTask({ ...rec, status: 'pending', ship: '', reason: `handed off: ${e.message}` });
            ctx.events.emit('handoff', `${id} released by ${symbol}: ${e.message}`, { ship: symbol, taskId: id });
          }
        }
        throw new Error(`${symbol}: failed (${e.message}); its tasks went to the fleet`);
      }
      // The store refused this run's fence (another apply took the lock): stop, write nothing more.
      if (ctx.lockLost) {
        out.skip(`${symbol}: stopped (lock lost)`);
        return;
      }
      internalErrors.push(e as Error);
      // Unexpected: leave its tasks for a re-run, with the reason.
      for (const rec of ctx.tasks.values()) {
        if (rec.ship === symbol && (rec.status === 'running' || rec.status === 'waiting')) {
          await ctx.saveTask({ ...rec, status: 'failed', reason: (e as Error).message, step: undefined });
        }
      }
      await ctx.saveShip({ ...worker.record, state: 'failed', reason: (e as Error).message, step: undefined });
      throw new Error(`${symbol}: error (${(e as Error).message})`);
    } finally {
      display.stop();
    }
  };

  // One lane per ship, all at once; under each, its worker (the step) and one subtask per plan task.
  let lanesRunning = ships.length;
  const runEnded = (): boolean => lanesRunning === 0;

  /**
   * With a `fleet.select` plan: between tasks, the rule is re-evaluated (FleetWatch) and each ship
   * that joins gets a lane of its own, run beside listr2's (which cannot add lanes once running);
   * its steps show on this line. It takes tasks the way a free ship does (queued or released ones).
   */
  const rule = ctx.plan.spec.fleet;
  const watch = rule?.kind === 'select' ? new FleetWatch(ctx, rule, new Set(ships)) : undefined;
  const recruiter = async (t: Wrapper): Promise<void> => {
    const joined: Promise<void>[] = [];
    const completed = (): number => [...ctx.tasks.values()].filter((r) => TERMINAL.has(r.status)).length;
    let seen = completed();
    // First with the fleet apply listed before the lanes started (no call): ships added since the plan was made.
    let listed: Ship[] | undefined = ctx.fleetAtStart.length ? ctx.fleetAtStart : undefined;
    while (!runEnded() && !ctx.signal.aborted && !ctx.lockLost) {
      const version = ctx.version;
      const now = completed();
      // Between tasks: a task ended since the last look, and some work is still open.
      if (listed || (now !== seen && now < ctx.plan.tasks.length && watch!.due())) {
        seen = now;
        const fresh = await watch!.recheck(listed);
        listed = undefined;
        for (const ship of fresh) {
          lanesRunning++;
          joined.push(
            lane(ship.symbol, relayTo(t, ship.symbol))
              .catch((e: unknown) => ctx.events.emit('warning', `${(e as Error).message}`, { ship: ship.symbol }))
              .finally(() => {
                lanesRunning--;
                ctx.nudge();
              }),
          );
        }
        t.title = `fleet: ${watch!.joined.length} ship(s) joined (fleet.select re-checked between tasks)`;
      }
      await ctx.changed(IDLE_MAX_MS, version);
    }
    await Promise.all(joined);
  };
  const listr = new Listr(
    ships.map((s) => ({
      title: s,
      task: (_: unknown, t: Wrapper) =>
        laneOutcome(ctx, s, t, [
          {
              title: `${s}: starting`,
              task: async (_c: unknown, w: Wrapper) => {
                try {
                  await lane(s, w);
                } finally {
                  lanesRunning--;
                  ctx.nudge();
                }
              },
            },
            ...ctx.plan.tasks.filter((pt) => pt.ship === s).map((pt) => ({ title: pt.id, task: (_c: unknown, w: Wrapper) => watchTask(ctx, pt, w, runEnded) })),
          ]),
    })).concat(watch ? [{ title: 'fleet: fleet.select re-checked between tasks', task: (_: unknown, t: Wrapper) => recruiter(t) as never }] : []),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: rendererFor(renderer) as never,
      fallbackRenderer: 'simple' as never,
      // Progress goes to stderr: stdout carries data (the summary, --json, NDJSON with --log-json -).
      // (The simple renderer writes through its logger, which takes its own processOutput.)
      rendererOptions: { collapseSubtasks: false, collapseErrors: false, collapseSkips: false, processOutput: toStderr(), logger: stderrLogger() } as never,
      fallbackRendererOptions: { processOutput: toStderr(), logger: stderrLogger() } as never,
    },
  );
  await listr.run();
  return { internalErrors };
}

/** The wrapper of a lane that runs beside listr2's (a ship that joined): its lines show on `t`. */
function relayTo(t: Wrapper, symbol: string): Wrapper {
  let title = symbol;
  return {
    get title(): string {
      return title;
    },
    set title(v: string) {
      title = v;
    },
    set output(v: string) {
      t.output = `${symbol}: ${v}`;
    },
    skip(message?: string): void {
      t.output = message ?? `${symbol}: skipped`;
    },
  } as unknown as Wrapper;
}

function depsOf(task: Task, ctx: RunContext): Array<'completed' | 'failed' | 'open'> {
  return task.dependsOn.map((d) => {
    const s = ctx.tasks.get(d)?.status;
    if (s === 'completed') return 'completed';
    if (s === 'failed' || s === 'skipped') return 'failed';
    return 'open';
  });
}

/** Marks pending tasks whose dependencies failed as skipped (they can never start). */
function skipBlocked(ctx: RunContext): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const t of ctx.plan.tasks) {
      const rec = ctx.tasks.get(t.id)!;
      if (rec.status !== 'pending') continue;
      if (depsOf(t, ctx).includes('failed')) {
        const failed = t.dependsOn.filter((d) => ['failed', 'skipped'].includes(ctx.tasks.get(d)!.status));
        ctx.tasks.set(t.id, { ...rec, status: 'skipped', reason: `depends on ${failed.join(', ')}, which did not complete` });
        ctx.saveTask(ctx.tasks.get(t.id)!).catch(() => undefined);
        changed = true;
      }
    }
  }
}

const isOrphan = (ctx: RunContext, t: Task, failedShips: Set<string>): boolean => {
  const rec = ctx.tasks.get(t.id)!;
  return !TERMINAL.has(rec.status) && (rec.ship === '' || failedShips.has(rec.ship));
};

/** Tasks released by a failed ship whose dependencies are complete: ready to be claimed. */
function orphans(ctx: RunContext, failedShips: Set<string>): Task[] {
  return ctx.plan.tasks.filter((t) => isOrphan(ctx, t, failedShips) && depsOf(t, ctx).every((d) => d === 'completed'));
}

function ownOpen(ctx: RunContext, symbol: string): boolean {
  return [...ctx.tasks.values()].some((r) => r.ship === symbol && !TERMINAL.has(r.status));
}

/** A lane with no work of its own and its ship not read yet: wait while other ships still work. */
function idleOutcome(ctx: RunContext, failedShips: Set<string>): undefined | 'finished' {
  const open = ctx.plan.tasks.filter((t) => !TERMINAL.has(ctx.tasks.get(t.id)!.status));
  return open.some((t) => !isOrphan(ctx, t, failedShips)) ? undefined : 'finished';
}

/**
 * The next task for this lane: its own ready tasks first (one holding cargo first), else a ready
 * task released by a failed ship (claimed by setting its owner in the journal before any call).
 * A lane without work waits while another ship still works (it may fail and release its task);
 * it finishes when every open task is one it cannot take.
 */
function pickTask(ctx: RunContext, worker: ShipWorker, failedShips: Set<string>): Task | undefined | 'finished' {
  const mine = ctx.plan.tasks.filter((t) => ctx.tasks.get(t.id)!.ship === worker.symbol && !TERMINAL.has(ctx.tasks.get(t.id)!.status));
  const ready = mine.filter((t) => depsOf(t, ctx).every((d) => d === 'completed'));
  // Cargo already aboard first (clears make room for the rest), then tasks whose good is in the hold.
  ready.sort((a, b) => Number(b.source.kind === 'aboard') - Number(a.source.kind === 'aboard') || worker.held(b.good) - worker.held(a.good));
  if (ready[0]) return ready[0];
  const orphan = orphans(ctx, failedShips).find((t) => suitable(worker, t));
  if (orphan) return claim(ctx, worker, orphan, `${orphan.id} claimed by ${worker.symbol}`);
  if (mine.length > 0) return undefined;
  // A ship with nothing of its own left takes a ready task queued behind another ship's current
  // one, unless requests are dearer than the flight that saves (a rate limit at a fast time scale):
  // the plan's schedule already weighed a second ship's stays against waiting for the first.
  const queued = stealingPays(ctx) ? stealable(ctx, failedShips).find((t) => suitable(worker, t)) : undefined;
  if (queued) return claim(ctx, worker, queued, `${queued.id} taken over by ${worker.symbol}, free while ${ctx.tasks.get(queued.id)!.ship} is busy`);
  // Still worth waiting: another live ship works on something, or a released task I could take
  // once its dependencies complete.
  const open = ctx.plan.tasks.filter((t) => !TERMINAL.has(ctx.tasks.get(t.id)!.status));
  const waitable = open.some((t) => !isOrphan(ctx, t, failedShips) || suitable(worker, t));
  return waitable ? undefined : 'finished';
}

/**
 * Gives `t` to this lane's ship, journaled before any call. Single-threaded within the process,
 * and one process per agent holds the lock, so no two lanes claim one task.
 */
function claim(ctx: RunContext, worker: ShipWorker, t: Task, message: string): Task {
  const rec = { ...ctx.tasks.get(t.id)!, ship: worker.symbol };
  ctx.tasks.set(t.id, rec);
  ctx.saveTask(rec).catch(() => undefined);
  ctx.events.emit('handoff', message, { ship: worker.symbol, taskId: t.id });
  return t;
}

/**
 * Game seconds a paced request may cost for taking over a queued task to pay: a takeover adds a
 * stay or two (about 8 requests) to save part of a flight. The real API (0.5 s a request) and a
 * simulator without limits (a few seconds) are below it; a limited simulator at 100x (40 s) is not.
 */
export const STEAL_MAX_SECONDS_PER_REQUEST = 5;

function stealingPays(ctx: RunContext): boolean {
  return (ctx.plan.estimates.pacing?.secondsPerRequest ?? 0) <= STEAL_MAX_SECONDS_PER_REQUEST;
}

/**
 * Ready tasks a free ship may take from a live one: not started (nothing bought, no open call),
 * not kept in a hold the plan chose or carried from one (hold destination, cargo aboard), and
 * queued behind another task its owner is working on now. One pass over the tasks.
 */
function stealable(ctx: RunContext, failedShips: Set<string>): Task[] {
  const busy = new Set<string>();
  for (const r of ctx.tasks.values()) if (r.status === 'running' || r.status === 'waiting') busy.add(r.ship);
  if (!busy.size) return [];
  return ctx.plan.tasks.filter((t) => {
    const rec = ctx.tasks.get(t.id)!;
    return (
      rec.status === 'pending' &&
      rec.acquired === 0 &&
      !rec.pending &&
      busy.has(rec.ship) &&
      !failedShips.has(rec.ship) &&
      t.source.kind !== 'aboard' &&
      t.source.kind !== 'extract' &&
      t.destination.kind !== 'hold' &&
      depsOf(t, ctx).every((d) => d === 'completed')
    );
  });
}

/** A ship may take a released task if it has a hold and no unrelated cargo in it. */
function suitable(worker: ShipWorker, task: Task): boolean {
  // An extraction crew's task needs that ship's mounts and the crew's place in it (issue 14).
  if (task.source.kind === 'extract') return false;
  const cargo = worker.ship.cargo;
  if (cargo.capacity <= 0) return false;
  return cargo.inventory.every((i) => i.symbol === task.good || i.units === 0);
}
