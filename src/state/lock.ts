import os from 'node:os';
import type { Store } from './store.js';
import type { Fence } from './fence.js';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { parseDuration } from '../spec/duration.js';

/** Who holds the apply lock of one agent. */
export interface LockHolder {
  runId: string;
  pid: number;
  host: string;
  acquiredAt: string;
  heartbeatAt: string;
}

export interface LockOptions {
  /** A holder whose heartbeat is older than this is dead (ms). */
  staleAfterMs?: number;
  /** How long to wait for a live holder before giving up (ms); 0 = do not wait. */
  waitMs?: number;
  /** Injectable for tests. */
  now?: () => number;
  host?: string;
  pid?: number;
  isPidAlive?: (pid: number) => boolean;
  sleep?: (ms: number) => Promise<void>;
}

/** Heartbeats come at least three times per lease (and at most every 5 s). */
export function heartbeatEveryMs(env: NodeJS.ProcessEnv = process.env): number {
  return Math.min(5_000, Math.floor(leaseMs(env) / 3));
}

/**
 * The lock's lease: a holder whose heartbeat is older than this is dead and may be taken over
 * (ST_GOODS_LOCK_LEASE, a duration such as 30s or 2m; default 30s). Every host sharing a store
 * should use the same lease.
 */
export function leaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.ST_GOODS_LOCK_LEASE;
  const s = text ? parseDuration(text) : undefined;
  if (text && (s === undefined || s < 1)) {
    throw new UserError({
      code: 'INVALID_INPUT',
      exitCode: ExitCode.INVALID_INPUT,
      message: `ST_GOODS_LOCK_LEASE=${text} is not a lease duration.`,
      hint: 'Use a duration of at least one second, e.g. ST_GOODS_LOCK_LEASE=30s (the default) or 2m.',
    });
  }
  return (s ?? 30) * 1000;
}

/** This process's host id in locks and runs: ST_GOODS_HOST_ID, else the machine's host name. */
export function hostId(env: NodeJS.ProcessEnv = process.env): string {
  return env.ST_GOODS_HOST_ID || os.hostname();
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a holder counts as dead, or undefined when it looks alive. */
export function deadReason(holder: LockHolder, opts: Required<Pick<LockOptions, 'now' | 'host' | 'isPidAlive' | 'staleAfterMs'>>): string | undefined {
  if (holder.host === opts.host && !opts.isPidAlive(holder.pid)) return `process ${holder.pid} on ${holder.host} is gone`;
  const age = opts.now() - Date.parse(holder.heartbeatAt);
  if (age > opts.staleAfterMs) return `its last heartbeat was ${Math.round(age / 1000)}s ago`;
  return undefined;
}

export function lockedError(agent: string, holder: LockHolder): UserError {
  return new UserError({
    code: 'LOCKED',
    exitCode: ExitCode.LOCKED,
    message: `Another apply holds the lock for agent ${agent}: run ${holder.runId}, pid ${holder.pid} on ${holder.host}, last heartbeat ${holder.heartbeatAt}.`,
    hint: `Wait for it to finish (st-goods status ${holder.runId}), stop it with \`st-goods stop ${holder.runId}\`, or if its process is gone run \`st-goods unlock --force\`.`,
    details: { holder },
  });
}

/**
 * One apply per agent at a time. The lock is a row of the store's own `locks` table (never
 * keyv's private layout), changed only by compare-and-set, so two processes racing for a dead
 * holder's lock cannot both win. Each acquisition increments the row's generation: the holder's
 * fencing token (`fence`), which every journal write of the holder names.
 */
export class AgentLock {
  readonly agent: string;
  readonly token: number;
  #raw: string;
  #timer?: NodeJS.Timeout;
  #lost = false;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: Store,
    agent: string,
    raw: string,
    token: number,
    readonly holder: LockHolder,
    private readonly now: () => number,
  ) {
    this.agent = agent;
    this.#raw = raw;
    this.token = token;
  }

  static async read(store: Store, agent: string): Promise<LockHolder | undefined> {
    const row = await store.lockRow(agent);
    return row === undefined ? undefined : (JSON.parse(row.holder) as LockHolder);
  }

  /** The fencing token journal writes of this holder name. */
  get fence(): Fence {
    return { agent: this.agent, token: this.token };
  }

  static async acquire(store: Store, agent: string, runId: string, options: LockOptions = {}): Promise<AgentLock> {
    const o = {
      staleAfterMs: options.staleAfterMs ?? leaseMs(),
      waitMs: options.waitMs ?? 0,
      now: options.now ?? Date.now,
      host: options.host ?? hostId(),
      pid: options.pid ?? process.pid,
      isPidAlive: options.isPidAlive ?? pidAlive,
      sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    };
    const deadline = o.now() + o.waitMs;
    for (let attempt = 0; ; attempt++) {
      const at = new Date(o.now()).toISOString();
      const mine: LockHolder = { runId, pid: o.pid, host: o.host, acquiredAt: at, heartbeatAt: at };
      const text = JSON.stringify(mine);
      const current = await store.lockRow(agent);
      if (current === undefined) {
        const token = await store.lockTake(agent, undefined, text);
        if (token !== undefined) return new AgentLock(store, agent, text, token, mine, o.now);
        continue; // someone else just took it: look again
      }
      const holder = JSON.parse(current.holder) as LockHolder;
      if (holder.runId === runId && holder.host === o.host && holder.pid === o.pid) {
        return new AgentLock(store, agent, current.holder, current.token, holder, o.now);
      }
      if (deadReason(holder, o) !== undefined) {
        const token = await store.lockTake(agent, current.holder, text);
        if (token !== undefined) return new AgentLock(store, agent, text, token, mine, o.now);
        continue;
      }
      if (o.now() >= deadline || attempt > 10_000) throw lockedError(agent, holder);
      await o.sleep(Math.min(1000, Math.max(50, deadline - o.now())));
    }
  }

  /** True once a heartbeat found that someone else took the lock (it was judged dead). */
  get lost(): boolean {
    return this.#lost;
  }

  async heartbeat(): Promise<boolean> {
    return this.#update({});
  }

  /** Names the run this lock is held for (a lock may be taken before the run is known). */
  async setRun(runId: string): Promise<boolean> {
    return this.#update({ runId });
  }

  /** The run the lock is held for now. */
  get runId(): string {
    return (JSON.parse(this.#raw) as LockHolder).runId;
  }

  /** One compare-and-set of the holder row; serialised, so that a heartbeat and setRun never race each other. */
  #update(change: Partial<LockHolder>): Promise<boolean> {
    const next = this.#queue.then(async () => {
      if (this.#lost) return false;
      const holder: LockHolder = { ...(JSON.parse(this.#raw) as LockHolder), ...change, heartbeatAt: new Date(this.now()).toISOString() };
      const text = JSON.stringify(holder);
      const ok = await this.store.lockUpdate(this.agent, this.token, this.#raw, text);
      if (ok) this.#raw = text;
      else this.#lost = true;
      return ok;
    });
    this.#queue = next.catch(() => false);
    return next;
  }

  /** Heartbeat every `everyMs` until release; `onLost` is called if the lock was taken from us. */
  startHeartbeat(everyMs = heartbeatEveryMs(), onLost?: () => void): void {
    this.#timer = setInterval(() => {
      this.heartbeat()
        .then((ok) => {
          if (!ok) onLost?.();
        })
        .catch(() => undefined);
    }, everyMs);
    this.#timer.unref();
  }

  stopHeartbeat(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async release(): Promise<void> {
    this.stopHeartbeat();
    await this.#queue;
    if (!this.#lost) await this.store.lockFree(this.agent, this.#raw);
  }
}

/** `st-goods unlock`: removes a dead holder's lock; a live one only with force. */
export async function unlockAgent(
  store: Store,
  agent: string,
  opts: { force?: boolean } & LockOptions = {},
): Promise<{ removed: boolean; holder?: LockHolder; reason?: string }> {
  const row = await store.lockRow(agent);
  if (row === undefined) return { removed: false };
  const raw = row.holder;
  const holder = JSON.parse(raw) as LockHolder;
  const reason = deadReason(holder, {
    staleAfterMs: opts.staleAfterMs ?? leaseMs(),
    now: opts.now ?? Date.now,
    host: opts.host ?? hostId(),
    isPidAlive: opts.isPidAlive ?? pidAlive,
  });
  if (reason === undefined && !opts.force) {
    throw new UserError({
      code: 'LOCK_HELD',
      exitCode: ExitCode.LOCKED,
      message: `The lock for agent ${agent} is held by a live apply: run ${holder.runId}, pid ${holder.pid} on ${holder.host}, heartbeat ${holder.heartbeatAt}.`,
      hint: `Stop it with \`st-goods stop ${holder.runId}\`, or if you are sure it is gone, run \`st-goods unlock --force\`.`,
      details: { holder },
    });
  }
  const removed = await store.lockFree(agent, raw);
  return { removed, holder, reason: reason ?? 'forced' };
}

export async function listLocks(store: Store): Promise<Array<{ agent: string; holder: LockHolder }>> {
  return (await store.lockRows()).map((r) => ({ agent: r.agent, holder: JSON.parse(r.holder) as LockHolder }));
}
