import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { lockLostError, type Fence } from './fence.js';

/** One stored row of keyv's table: the key without its namespace, and keyv's JSON envelope. */
export interface StoredRow {
  key: string;
  value: string;
}

/** One agent's lock row: the holder's text ('' when free) and the lock's generation (the fencing token). */
export interface LockRow {
  holder: string;
  token: number;
}

/**
 * st-goods' state, on one of two backends behind this one interface: a SQLite file (the
 * zero-setup default) or a shared Postgres database (`postgres://…`, for several hosts). It holds
 * runs, the journal and the market cache, each in its own keyv namespace of keyv's table
 * (`keyv(key, value)`, key = '<namespace>:<key>'), and the agents' apply locks in a table
 * st-goods owns (`locks(agent, holder, token)`). Open one Store per process and pass it down;
 * nothing outside src/state knows which backend it is.
 *
 * Every write may name a fence (an agent's lock token): the write and the check that the token is
 * still the agent's lock are one SQL statement, so a holder that lost its lock cannot write.
 * Compare-and-set and the lock are single conditional statements on both backends.
 */
export abstract class Store {
  /** Where the store is: the SQLite path, or the Postgres URL without its password. */
  abstract readonly file: string;
  abstract readonly backend: 'sqlite' | 'postgres';
  protected abstract readonly adapter: KeyvStoreAdapter;
  /** Postgres: `FOR SHARE` on the lock row a fenced write checks, so a takeover waits for the write. */
  protected abstract readonly lockShare: string;
  /** Postgres: `COLLATE "C"`, so key ranges compare bytes as SQLite does. */
  protected abstract readonly binary: string;
  readonly #spaces = new Map<string, Keyv>();

  /**
   * Opens (or creates) the store at `location`: a `postgres://` or `postgresql://` URL, else a
   * SQLite file path. A store that cannot be used is a UserError (exit 4) naming it and the fix.
   * (The backends register themselves in store.ts: import Store from there.)
   */
  static open(location: string): Promise<Store> {
    lastFile = location.replace(/^(\w+:\/\/[^:/@]*):[^@/]*@/, '$1@'); // never a password
    if (!opener) throw new Error('import Store from src/state/store.js, which registers the backends');
    return opener(location).then((s) => {
      lastFile = s.file;
      return s;
    });
  }

  /** Runs one SQL statement (`?` placeholders) and returns its rows. */
  protected abstract run(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>>;

  abstract close(): Promise<void>;

  /**
   * Calls `onChange` (debounced) after the store changed, whoever wrote it (the dashboard's live
   * feed): SQLite watches the file, Postgres listens for the notification a trigger on keyv's
   * table sends on every commit.
   */
  abstract watch(onChange: () => void, opts?: { debounceMs?: number }): { close(): void };

  /** A keyv view on one namespace (e.g. 'market'). */
  namespace(name: string): Keyv {
    let kv = this.#spaces.get(name);
    if (!kv) {
      kv = new Keyv({ store: this.adapter, namespace: name });
      this.#spaces.set(name, kv);
    }
    return kv;
  }

  /** Encodes a value the way keyv stores it, so that keyv reads what the store wrote. */
  static encode(value: unknown): string {
    return JSON.stringify({ value });
  }

  static decode<T>(raw: string | undefined): T | undefined {
    if (raw === undefined) return undefined;
    return (JSON.parse(raw) as { value: T }).value;
  }

  /** The raw stored text of one key (keyv's `{"value":...}` envelope); `undefined` when absent. */
  async getRaw(namespace: string, key: string): Promise<string | undefined> {
    const rows = await this.run(`SELECT value FROM keyv WHERE key = ?`, [`${namespace}:${key}`]);
    return rows[0]?.value as string | undefined;
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    return Store.decode<T>(await this.getRaw(namespace, key));
  }

  /** Several keys at once, in the order asked (undefined where absent). */
  async getMany<T>(namespace: string, keys: string[]): Promise<Array<T | undefined>> {
    if (!keys.length) return [];
    const full = keys.map((k) => `${namespace}:${k}`);
    const rows = await this.run(`SELECT key, value FROM keyv WHERE key IN (${full.map(() => '?').join(', ')})`, full);
    const byKey = new Map(rows.map((r) => [r.key as string, r.value as string]));
    return full.map((k) => Store.decode<T>(byKey.get(k)));
  }

  /** The SQL that yields one row while `fence` is the agent's lock (and, on Postgres, share-locks it). */
  #fenceCte(fence: Fence): { sql: string; params: unknown[] } {
    return { sql: `WITH f AS (SELECT 1 AS ok FROM locks WHERE agent = ? AND token = ? AND holder <> '' ${this.lockShare}) `, params: [fence.agent, fence.token] };
  }

  /** Throws the LOCK_LOST error when `fence` is no longer its agent's lock. */
  async checkFence(fence: Fence): Promise<void> {
    const rows = await this.run(`SELECT 1 AS ok FROM locks WHERE agent = ? AND token = ? AND holder <> ''`, [fence.agent, fence.token]);
    if (!rows.length) throw lockLostError(fence);
  }

  /** Writes one key; with a fence, only while it is the agent's lock (else LOCK_LOST, nothing written). */
  async put(namespace: string, key: string, value: unknown, fence?: Fence): Promise<void> {
    const params = [`${namespace}:${key}`, Store.encode(value)];
    if (!fence) {
      await this.run(`INSERT INTO keyv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, params);
      return;
    }
    const f = this.#fenceCte(fence);
    const rows = await this.run(`${f.sql}INSERT INTO keyv (key, value) SELECT ?, ? FROM f WHERE true ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING key`, [...f.params, ...params]);
    if (rows.length !== 1) throw lockLostError(fence);
  }

  /** Deletes one key; with a fence, only while it is the agent's lock. */
  async remove(namespace: string, key: string, fence?: Fence): Promise<void> {
    const k = `${namespace}:${key}`;
    if (!fence) {
      await this.run(`DELETE FROM keyv WHERE key = ?`, [k]);
      return;
    }
    const f = this.#fenceCte(fence);
    const rows = await this.run(`${f.sql}DELETE FROM keyv WHERE key = ? AND EXISTS (SELECT 1 FROM f) RETURNING key`, [...f.params, k]);
    if (!rows.length) await this.checkFence(fence); // nothing deleted: absent key, or a lost lock
  }

  /**
   * Atomically replaces `key` with `value` only if its stored text is still `expected`
   * (`undefined`: only if the key is absent). One SQL statement, so two processes cannot both win.
   * Returns whether this call won; with a fence, a lost lock throws LOCK_LOST.
   */
  async compareAndSet(namespace: string, key: string, expected: string | undefined, value: unknown, fence?: Fence): Promise<boolean> {
    const k = `${namespace}:${key}`;
    const next = Store.encode(value);
    const f = fence ? this.#fenceCte(fence) : { sql: '', params: [] };
    const guard = fence ? ' AND EXISTS (SELECT 1 FROM f)' : '';
    const rows =
      expected === undefined
        ? await this.run(`${f.sql}INSERT INTO keyv (key, value) SELECT ?, ? ${fence ? 'FROM f ' : ''}WHERE true ON CONFLICT (key) DO NOTHING RETURNING key`, [...f.params, k, next])
        : await this.run(`${f.sql}UPDATE keyv SET value = ? WHERE key = ? AND value = ?${guard} RETURNING key`, [...f.params, next, k, expected]);
    if (rows.length === 1) return true;
    if (fence) await this.checkFence(fence);
    return false;
  }

  /**
   * The keys of `namespace` that start with `prefix`, in byte order of the key: after `after`
   * (a full key without namespace) when given; `last`: only the greatest one.
   */
  async scan(namespace: string, prefix: string, opts: { after?: string; last?: boolean } = {}): Promise<StoredRow[]> {
    const lo = `${namespace}:${prefix}`;
    const hi = lo + '\u{10FFFF}';
    const params: unknown[] = [lo, hi];
    let sql = `SELECT key, value FROM keyv WHERE key${this.binary} >= ? AND key${this.binary} < ?`;
    if (opts.after !== undefined) {
      sql += ` AND key${this.binary} > ?`;
      params.push(`${namespace}:${opts.after}`);
    }
    sql += ` ORDER BY key${this.binary}${opts.last ? ' DESC LIMIT 1' : ''}`;
    const rows = await this.run(sql, params);
    return rows.map((r) => ({ key: (r.key as string).slice(namespace.length + 1), value: r.value as string }));
  }

  /** An agent's lock row, or undefined when no apply holds it. */
  async lockRow(agent: string): Promise<LockRow | undefined> {
    const rows = await this.run(`SELECT holder, token FROM locks WHERE agent = ? AND holder <> ''`, [agent]);
    return rows[0] ? { holder: rows[0].holder as string, token: Number(rows[0].token) } : undefined;
  }

  /** Every held lock. */
  async lockRows(): Promise<Array<{ agent: string } & LockRow>> {
    const rows = await this.run(`SELECT agent, holder, token FROM locks WHERE holder <> '' ORDER BY agent${this.binary}`, []);
    return rows.map((r) => ({ agent: r.agent as string, holder: r.holder as string, token: Number(r.token) }));
  }

  /**
   * Takes an agent's lock: when `expected` is undefined only if it is free, else only if its holder
   * is still `expected` (breaking a dead holder). One statement; it increments the lock's
   * generation and returns it (the new fencing token), or undefined when another process won.
   */
  async lockTake(agent: string, expected: string | undefined, holder: string): Promise<number | undefined> {
    const rows =
      expected === undefined
        ? await this.run(`INSERT INTO locks (agent, holder, token) VALUES (?, ?, 1) ON CONFLICT (agent) DO UPDATE SET holder = excluded.holder, token = locks.token + 1 WHERE locks.holder = '' RETURNING token`, [agent, holder])
        : await this.run(`UPDATE locks SET holder = ?, token = token + 1 WHERE agent = ? AND holder = ? RETURNING token`, [holder, agent, expected]);
    return rows[0] ? Number(rows[0].token) : undefined;
  }

  /** Rewrites the holder (heartbeat, run name) while it is still `expected` at generation `token`. */
  async lockUpdate(agent: string, token: number, expected: string, holder: string): Promise<boolean> {
    const rows = await this.run(`UPDATE locks SET holder = ? WHERE agent = ? AND token = ? AND holder = ? RETURNING agent`, [holder, agent, token, expected]);
    if (rows.length === 1) return true;
    // A statement retried after a lost connection may have won the first time.
    return (await this.lockRow(agent))?.holder === holder;
  }

  /** Frees an agent's lock only if it still holds `expected`; its generation is kept. */
  async lockFree(agent: string, expected: string): Promise<boolean> {
    const rows = await this.run(`UPDATE locks SET holder = '' WHERE agent = ? AND holder = ? RETURNING agent`, [agent, expected]);
    return rows.length === 1;
  }
}

const STORE_PROBLEMS: Record<string, string> = {
  SQLITE_NOTADB: 'is not an SQLite database (garbage or truncated)',
  SQLITE_CORRUPT: 'is damaged (truncated or overwritten)',
  SQLITE_READONLY: 'is read-only',
  SQLITE_CANTOPEN: 'cannot be opened (a directory, or a folder that does not exist or is not writable)',
  SQLITE_PERM: 'is not accessible (permissions)',
  SQLITE_FULL: 'cannot grow: the disk is full',
  SQLITE_IOERR: 'gave an I/O error',
  EISDIR: 'is a directory',
  ENOTDIR: 'has a parent that is a file, not a folder',
  EEXIST: 'has a parent that is a file, not a folder',
  EACCES: 'is in a folder you may not write',
  EROFS: 'is on a read-only file system',
  PG_UNREACHABLE: 'cannot be reached (no Postgres server answers at that host and port, or it kept refusing for a minute)',
  PG_AUTH: 'refused the user name or password',
  PG_NO_DATABASE: 'names a database that does not exist',
  PG_DENIED: 'does not let this user create or write the tables st-goods needs (keyv, locks)',
  PG_URL: 'is not a valid Postgres URL',
};

let lastFile: string | undefined;
let opener: ((location: string) => Promise<Store>) | undefined;

/** store.ts: the function that opens the backend a location names. */
export function registerOpener(open: (location: string) => Promise<Store>): void {
  opener = open;
}

/** The store this process opened last (named in the message of a store failure). */
export function lastStoreFile(): string | undefined {
  return lastFile;
}

/** True for an error of the store's backend (SQLite, Postgres) or of the file system under it. */
export function isStoreFailure(e: unknown): boolean {
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  return code.startsWith('SQLITE_') || code.startsWith('PG_');
}

/** The UserError (exit 4) for a store that cannot be used: names where it is, what is wrong, and the fix. */
export function storeError(file: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  const problem = STORE_PROBLEMS[code] ?? `cannot be used (${code || (e as Error).message})`;
  const damaged = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
  const postgres = code.startsWith('PG_');
  return new UserError({
    code: 'BAD_STORE',
    exitCode: ExitCode.INVALID_INPUT,
    message: `The st-goods store ${file} ${problem}.`,
    hint: damaged
      ? `Move it aside (e.g. \`mv ${file} ${file}.damaged\`; keep it: it holds the journal of your runs), then run the command again; apply then compares the game with the empty journal before it buys anything (see \`st-goods apply --help\`, --adopt).`
      : postgres
        ? 'Check the URL given with --store or ST_GOODS_STORE (postgres://USER:PASSWORD@HOST:PORT/DATABASE), that the server runs and that the user may create tables in that database; or pass a SQLite file path instead.'
        : 'Pass a writable file path with --store or ST_GOODS_STORE (its folder is created if missing), or a postgres:// URL.',
    details: { store: file, cause: code || undefined },
    cause: e,
  });
}
