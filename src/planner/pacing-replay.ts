/**
 * The plan's makespan under the agent's rate limit (issue 12): the schedule replayed request by
 * request, every ship's requests drawn from the one pair of pools the server keeps per account
 * (static 2 per second, then a burst of 30 per minute: MECHANICS.md §4.1, modelled as apply's
 * limiter does in src/api/limiter.ts), each ship doing its tasks in the schedule's order, a task
 * starting once the tasks it depends on are done. Time is game seconds: a wall second of the
 * limiter is `timeScale` game seconds, which is what makes a paced request dear on a fast
 * simulator (150 game seconds each at 300×).
 *
 * Pure and deterministic: ships waiting at the same moment are served in the order of their
 * symbols, as a FIFO would serve requests sent in that order.
 */
import { DEFAULT_LIMITS } from '../api/limiter.js';

/** One step of a ship's work: `requests` calls one after the other, or `seconds` without calls (a flight, a wait). */
export type Step = { requests: number } | { seconds: number };

/** Appends a step, merging it into the last one of its kind; empty steps are dropped. */
export function pushStep(steps: Step[], step: Step): void {
  const n = 'requests' in step ? step.requests : step.seconds;
  if (!(n > 0)) return;
  const last = steps[steps.length - 1];
  if (last && 'requests' in last && 'requests' in step) last.requests += step.requests;
  else if (last && 'seconds' in last && 'seconds' in step) last.seconds += step.seconds;
  else steps.push({ ...step });
}

export interface ReplayTask {
  id: string;
  ship: string;
  dependsOn: string[];
  steps: Step[];
}

export interface ReplayPacing {
  timeScale: number;
  rateLimited: boolean;
  /** Wall seconds of one request: its round trip and apply's journal writes around it. */
  latencySeconds: number;
  /** Burst points the run may start with (default: the whole pool; a plan just made spends some). */
  burstAtStart?: number;
}

/** The two pools of apply's limiter, in game seconds. */
class Pools {
  #staticLeft: number = DEFAULT_LIMITS.staticLimit;
  #staticEnd: number | undefined;
  #burstLeft: number;
  #burstEnd: number | undefined;
  readonly #staticWindow: number;
  readonly #burstWindow: number;
  readonly #burstSize = DEFAULT_LIMITS.burstLimit - DEFAULT_LIMITS.burstReserve;

  constructor(timeScale: number, burstAtStart?: number) {
    this.#staticWindow = ((DEFAULT_LIMITS.staticWindowMs + DEFAULT_LIMITS.safetyMarginMs) / 1000) * timeScale;
    this.#burstWindow = ((DEFAULT_LIMITS.burstWindowMs + DEFAULT_LIMITS.safetyMarginMs) / 1000) * timeScale;
    this.#burstLeft = Math.max(0, Math.min(this.#burstSize, burstAtStart ?? this.#burstSize));
    // A pool not full at the start is in a window opened just before.
    if (this.#burstLeft < this.#burstSize) this.#burstEnd = this.#burstWindow;
  }

  /** The game second at which a request wanted at `t` is sent, its slot taken. */
  grant(t: number): number {
    for (;;) {
      if (this.#staticEnd !== undefined && this.#staticEnd <= t) [this.#staticLeft, this.#staticEnd] = [DEFAULT_LIMITS.staticLimit, undefined];
      if (this.#burstEnd !== undefined && this.#burstEnd <= t) [this.#burstLeft, this.#burstEnd] = [this.#burstSize, undefined];
      if (this.#staticLeft > 0) {
        this.#staticLeft--;
        this.#staticEnd ??= t + this.#staticWindow;
        return t;
      }
      if (this.#burstLeft > 0) {
        this.#burstLeft--;
        this.#burstEnd ??= t + this.#burstWindow;
        return t;
      }
      t = Math.min(this.#staticEnd ?? Infinity, this.#burstEnd ?? Infinity);
    }
  }
}

/**
 * Game seconds from the first request to the last task's end, and each task's end. Without a
 * rate limit a request costs its latency only.
 */
export function replay(tasks: readonly ReplayTask[], pacing: ReplayPacing): { makespan: number; finish: Map<string, number> } {
  const latency = pacing.latencySeconds * pacing.timeScale;
  const pools = pacing.rateLimited ? new Pools(pacing.timeScale, pacing.burstAtStart) : undefined;
  const byShip = new Map<string, ReplayTask[]>();
  for (const t of tasks) byShip.set(t.ship, [...(byShip.get(t.ship) ?? []), t]);
  const lanes = [...byShip.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ship, list]) => ({ ship, list, task: 0, step: 0, done: 0, at: 0, started: false }));
  const finish = new Map<string, number>();
  const ids = new Set(tasks.map((t) => t.id));
  for (;;) {
    // The lane that can act soonest: its current task started (or its dependencies all done).
    let next: (typeof lanes)[number] | undefined;
    let when = Infinity;
    for (const l of lanes) {
      const task = l.list[l.task];
      if (!task) continue;
      let at = l.at;
      if (!l.started) {
        const deps = task.dependsOn.filter((d) => ids.has(d));
        if (deps.some((d) => !finish.has(d))) continue;
        at = Math.max(at, ...deps.map((d) => finish.get(d)!));
      }
      if (at < when) [next, when] = [l, at];
    }
    if (!next) break;
    const task = next.list[next.task]!;
    next.started = true;
    next.at = when;
    const step = task.steps[next.step];
    if (step && 'requests' in step) {
      // One request at a time, so that the other lanes' requests interleave with this one's.
      next.at = (pools ? pools.grant(next.at) : next.at) + latency;
      if (++next.done < step.requests) continue;
    } else if (step) {
      next.at += step.seconds;
    }
    next.done = 0;
    if (++next.step < task.steps.length) continue;
    finish.set(task.id, next.at);
    [next.task, next.step, next.started] = [next.task + 1, 0, false];
  }
  if (finish.size < tasks.length) throw new Error(`pacing replay: ${tasks.length - finish.size} tasks wait on tasks that never end`);
  return { makespan: Math.round(Math.max(0, ...finish.values())), finish };
}
