import { DefaultRenderer, type ListrTask, type ListrTaskWrapper } from 'listr2';
import type { Task } from '../plan/types.js';
import type { TaskRecord } from '../state/journal.js';
import type { RunContext } from './context.js';

export type Wrapper = ListrTaskWrapper<unknown, never, never>;

/** How often a live terminal redraws countdowns and task progress (ms). */
const TICK_MS = 1000;

/**
 * The default (live) renderer, drawing on stderr: listr2 allows it only when *stdout* is a TTY;
 * here the stream it draws on decides (stdout may be a pipe for `--json` while stderr is a terminal).
 */
class StderrDefaultRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/**
 * The renderer for a progress stream: the live one where it is a terminal, plain lines
 * elsewhere (cron, CI, a file), silent or test as asked.
 */
export function rendererFor(kind: string, stream: { isTTY?: boolean } = process.stderr): typeof StderrDefaultRenderer | 'simple' | 'silent' | 'verbose' | 'test' {
  if (kind === 'default') return stream.isTTY === true ? StderrDefaultRenderer : 'simple';
  return kind as 'simple' | 'silent' | 'verbose' | 'test';
}

const TERMINAL = new Set(['completed', 'failed', 'skipped']);

function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A ship's step with its countdown, redrawn every second in a live terminal. */
export class StepDisplay {
  #text = '';
  #until?: number;
  #timer?: NodeJS.Timeout;
  #shown = '';

  constructor(
    private readonly out: Wrapper,
    private readonly symbol: string,
    /** Plain lines (no live redraw): every line names the ship, no countdown ticks. */
    private readonly plain: boolean,
  ) {}

  show(text: string, untilMs?: number): void {
    this.#text = text;
    this.#until = untilMs;
    this.#draw();
    if (!this.plain && untilMs !== undefined && !this.#timer) {
      this.#timer = setInterval(() => this.#draw(), TICK_MS);
      this.#timer.unref();
    }
  }

  #draw(): void {
    const left = this.#until !== undefined ? this.#until - Date.now() : undefined;
    if (left !== undefined && left <= 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    const countdown = left !== undefined && left > 0 && !this.plain ? ` (${mmss(left)} left)` : '';
    const line = this.plain ? `${this.symbol}: ${this.#text}` : `${this.#text}${countdown}`;
    if (line === this.#shown) return;
    this.#shown = line;
    this.out.output = line;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** Units of a task done: kept in the hold, or handed to its destination. */
function unitsDone(task: Task, rec: TaskRecord): number {
  return task.destination.kind === 'hold' ? Math.min(task.quantity, rec.acquired) : rec.delivered;
}

function taskTitle(task: Task, rec: TaskRecord): string {
  const what = task.clear ? 'sold to make room' : task.source.kind === 'aboard' ? 'carried from the hold' : task.destination.kind === 'hold' ? 'in the hold' : 'delivered';
  const state = (rec.status === 'waiting' ? ', waiting for production' : '') + (rec.ship && rec.ship !== task.ship ? `, on ${rec.ship}` : '');
  return `${task.id}: ${unitsDone(task, rec)}/${task.quantity} ${task.good} ${what}${state}`;
}

/**
 * One subtask per plan task of a ship: its units done/wanted, redrawn as the journal changes;
 * ✔ when completed, ✖ with the reason when failed, skipped (never ✔) when it could not start,
 * was handed to another ship, or the run stopped first.
 */
export async function watchTask(ctx: RunContext, task: Task, out: Wrapper, runEnded: () => boolean): Promise<void> {
  for (;;) {
    const rec = ctx.tasks.get(task.id)!;
    out.title = taskTitle(task, rec);
    if (rec.status === 'completed') return;
    if (rec.status === 'failed') throw new Error(`${task.id}: ${rec.reason ?? 'failed'}`);
    if (rec.status === 'skipped') return out.skip(`${task.id}: skipped (${rec.reason ?? 'a dependency did not complete'})`);
    if (runEnded() && !TERMINAL.has(rec.status)) {
      return out.skip(`${task.id}: ${ctx.signal.aborted ? 'interrupted' : 'not finished'} at ${unitsDone(task, rec)}/${task.quantity} ${task.good}`);
    }
    await ctx.changed(TICK_MS);
  }
}

/**
 * A ship's lane as listr2 subtasks (its worker and one per plan task, all at once), ending as
 * the ship's work did: ✔ only when every task of the ship completed and its worker finished;
 * ✖ when its worker failed or one of its tasks did; skipped when the run was interrupted.
 * (listr2 marks a parent ✔ after failed subtasks when errors do not stop the run.)
 */
export function laneOutcome(ctx: RunContext, symbol: string, t: Wrapper, subtasks: Array<ListrTask<unknown, never, never>>): ReturnType<Wrapper['newListr']> {
  const sub = t.newListr(subtasks, { concurrent: true, exitOnError: false, rendererOptions: { collapseSubtasks: false, collapseErrors: false, collapseSkips: false } as never });
  const run = sub.run.bind(sub);
  sub.run = async (c?: unknown) => {
    const r = await run(c as never);
    const mine = ctx.plan.tasks.filter((pt) => pt.ship === symbol).map((pt) => ctx.tasks.get(pt.id)!);
    const failed = mine.filter((rec) => rec.status === 'failed' || rec.status === 'skipped');
    const workerFailed = ctx.ships.get(symbol)?.state === 'failed';
    if (ctx.signal.aborted && !mine.every((rec) => rec.status === 'completed')) {
      t.skip(`${symbol}: interrupted`);
      return r;
    }
    if (workerFailed || failed.length) {
      const why = `${symbol}: ${workerFailed ? 'the ship failed' : `${failed.length} of its ${mine.length} task(s) did not complete`}`;
      t.output = why; // plain lines show a failed parent only through its output
      throw new Error(why);
    }
    return r;
  };
  return sub;
}
