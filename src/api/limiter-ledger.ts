/**
 * The rate-limit pools of one server as every st-goods process on this host sees them. The
 * server limits by IP address as well as by agent (MECHANICS.md §4.1), so a `plan` just before an
 * `apply`, a `status --watch` next to a cron apply, or two agents' applies on one machine all
 * spend the same 2 requests/s and 30-per-minute burst. Each process's limiter (limiter.ts) keeps
 * its lanes and queue to itself but takes every slot from, and writes every change back to, this
 * ledger: a small JSON file per server origin in the user's temp directory, read and written under
 * a lock directory (mkdir is atomic on every file system Node runs on).
 *
 * The ledger is a help, never a point of failure: a lock that cannot be had in LOCK_WAIT_MS, an
 * unreadable or garbled file, or a read-only temp directory make the limiter carry on with its
 * own model (and the server's headers), as it did before the ledger existed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The two pools' state, in epoch milliseconds. */
export interface PoolState {
  staticRemaining: number;
  staticEnd?: number;
  burstRemaining: number;
  burstEnd?: number;
  pausedUntil: number;
  /** When a process last wrote the state. */
  writtenAt: number;
}

export interface LimiterLedger {
  /**
   * Runs `fn` on the shared state (undefined when there is none yet, or it cannot be read) and
   * stores what it returns, all under the ledger's lock. Returns false when the lock could not be
   * had (fn did not run): the caller goes on with its own state.
   */
  transact(fn: (s: PoolState | undefined) => PoolState): boolean;
}

const LOCK_WAIT_MS = 250;
/** A lock older than this was left by a process that died inside its few-microsecond critical section. */
const LOCK_STALE_MS = 2000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** The ledger directory: `ST_GOODS_RUNTIME_DIR`, else `<tmpdir>/st-goods-<uid>`. */
export function ledgerDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ST_GOODS_RUNTIME_DIR ?? path.join(os.tmpdir(), `st-goods-${os.userInfo().uid}`);
}

/** One ledger per server origin (scheme, host, port): the server's IP pool is per origin for us. */
export function ledgerFileFor(baseUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  const origin = new URL(baseUrl).origin;
  const id = crypto.createHash('sha256').update(origin).digest('hex').slice(0, 16);
  return path.join(ledgerDir(env), `ratelimit-${id}.json`);
}

export class FileLedger implements LimiterLedger {
  readonly #lock: string;

  constructor(readonly file: string) {
    this.#lock = `${file}.lock`;
  }

  transact(fn: (s: PoolState | undefined) => PoolState): boolean {
    if (!this.#acquire()) return false;
    try {
      const next = fn(this.#read());
      try {
        const tmp = `${this.file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
        fs.renameSync(tmp, this.file);
      } catch {
        // not shared this time; the caller's own state is right
      }
      return true;
    } finally {
      fs.rmSync(this.#lock, { recursive: true, force: true });
    }
  }

  #read(): PoolState | undefined {
    try {
      const s = JSON.parse(fs.readFileSync(this.file, 'utf8')) as PoolState;
      return Number.isFinite(s.staticRemaining) && Number.isFinite(s.burstRemaining) && Number.isFinite(s.writtenAt) ? s : undefined;
    } catch {
      return undefined;
    }
  }

  #acquire(): boolean {
    const end = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        fs.mkdirSync(this.#lock);
        return true;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          if (!this.#makeDir()) return false;
          continue;
        }
        if (code !== 'EEXIST') return false;
      }
      this.#breakStale();
      if (Date.now() > end) return false;
      Atomics.wait(pause, 0, 0, 1); // the holder needs microseconds: sleep 1 ms, synchronously
    }
  }

  #makeDir(): boolean {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      return true;
    } catch {
      return false;
    }
  }

  #breakStale(): void {
    try {
      if (Date.now() - fs.statSync(this.#lock).mtimeMs > LOCK_STALE_MS) fs.rmSync(this.#lock, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}
