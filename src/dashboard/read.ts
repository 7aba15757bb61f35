import { loadStatus } from '../executor/status-view.js';
import { Journal, type RunRecord, type StepRecord } from '../state/journal.js';
import { AgentLock, leaseMs } from '../state/lock.js';
import type { Store } from '../state/store.js';
import { runView, type RunView } from './view.js';

/** One row of the runs list. */
export interface RunSummary {
  runId: string;
  planId: string;
  agentSymbol: string;
  status: string;
  target: { good: string; quantity: number };
  startedAt: string;
  endedAt?: string;
  percent: number;
  lock?: { host: string; pid: number; heartbeatAt: string; heartbeatAgeSeconds: number; stale: boolean };
}

/**
 * Reads runs for the dashboard from the store apply writes, through the journal and the status
 * view only. Keeps each run's step log in memory and reads only the steps appended since.
 */
export class RunReader {
  readonly journal: Journal;
  readonly #steps = new Map<string, StepRecord[]>();
  /** Summaries of runs that have ended, by their last update (they change only if resumed). */
  readonly #ended = new Map<string, { updatedAt: string; summary: RunSummary }>();

  constructor(readonly store: Store, readonly maxRuns = 50) {
    this.journal = new Journal(store);
  }

  async runs(now = Date.now()): Promise<RunSummary[]> {
    const runs = (await this.journal.runs()).slice(0, this.maxRuns);
    return Promise.all(
      runs.map(async (r) => {
        const hit = this.#ended.get(r.runId);
        if (hit && hit.updatedAt === r.updatedAt) return hit.summary;
        const summary = await this.#summary(r, now);
        if (r.status !== 'running') this.#ended.set(r.runId, { updatedAt: r.updatedAt, summary });
        else this.#ended.delete(r.runId);
        return summary;
      }),
    );
  }

  async #summary(run: RunRecord, now: number): Promise<RunSummary> {
    const report = await loadStatus(this.store, run.runId);
    const holder = await AgentLock.read(this.store, run.agentSymbol);
    const age = holder ? Math.max(0, Math.round((now - Date.parse(holder.heartbeatAt)) / 1000)) : 0;
    return {
      runId: run.runId,
      planId: run.planId,
      agentSymbol: run.agentSymbol,
      status: report.status,
      target: report.target,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      percent: report.progress.percent,
      lock: holder && holder.runId === run.runId ? { host: holder.host, pid: holder.pid, heartbeatAt: holder.heartbeatAt, heartbeatAgeSeconds: age, stale: age * 1000 > leaseMs() } : undefined,
    };
  }

  /** The run's whole step log (cached; only new steps are read). */
  async steps(runId: string): Promise<StepRecord[]> {
    const have = this.#steps.get(runId) ?? [];
    const more = await this.journal.stepsAfter(runId, have.at(-1)?.seq ?? 0);
    const all = more.length ? have.concat(more) : have;
    this.#steps.set(runId, all);
    return all;
  }

  /** The run page's view, or undefined when there is no such run. */
  async view(runId: string, now = Date.now()): Promise<RunView | undefined> {
    const run = await this.journal.getRun(runId);
    if (!run) return undefined;
    const [report, steps, map] = await Promise.all([loadStatus(this.store, runId), this.steps(runId), this.journal.getMap(runId)]);
    return runView({ report, run, steps, map, now });
  }
}
