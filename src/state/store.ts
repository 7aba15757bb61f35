import fs from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';

/**
 * The one SQLite file behind st-goods' state: runs, the journal and the market cache, each in its
 * own keyv namespace (keyv's table), and the agents' apply locks in a table st-goods owns
 * (`locks`). Open one Store per process and pass it down.
 *
 * Durability: WAL with synchronous=FULL, so every write (an intent, a result) is on disk before
 * the call that follows it is made: a killed process, an OS crash or a power loss loses nothing
 * that was journaled.
 */
export class Store {
  readonly file: string;
  readonly #adapter: KeyvSqlite;
  readonly #spaces = new Map<string, Keyv>();

  private constructor(file: string, adapter: KeyvSqlite) {
    this.file = file;
    this.#adapter = adapter;
  }

  /**
   * Opens (or creates) the store. A store that cannot be used (garbage or truncated, read-only,
   * a directory, a parent that is a file) is a UserError (exit 4) naming the path and the fix.
   */
  static async open(file: string): Promise<Store> {
    lastFile = file;
    const abs = path.resolve(file);
    try {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
    } catch (e) {
      throw storeError(file, e);
    }
    if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) throw storeError(file, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    const adapter = new KeyvSqlite({ uri: `sqlite://${abs}`, busyTimeout: 10_000 });
    adapter.on('error', () => undefined); // the failed query below reports it
    const store = new Store(file, adapter);
    try {
      await adapter.query('PRAGMA journal_mode=WAL');
      await adapter.query('PRAGMA synchronous=FULL');
      const check = (await adapter.query('PRAGMA quick_check')) as Array<Record<string, string>>;
      const verdict = check.map((r) => Object.values(r)[0]).join('; ');
      if (verdict !== 'ok') throw Object.assign(new Error(`integrity check: ${verdict.slice(0, 200)}`), { code: 'SQLITE_CORRUPT' });
      await adapter.query('CREATE TABLE IF NOT EXISTS locks (agent TEXT PRIMARY KEY, holder TEXT NOT NULL)');
      await store.namespace('meta').get('ping');
    } catch (e) {
      await adapter.disconnect().catch(() => undefined);
      throw storeError(file, e);
    }
    return store;
  }

  /** A keyv view on one namespace (e.g. 'journal', 'market'). */
  namespace(name: string): Keyv {
    let kv = this.#spaces.get(name);
    if (!kv) {
      kv = new Keyv({ store: this.#adapter, namespace: name });
      this.#spaces.set(name, kv);
    }
    return kv;
  }

  /**
   * The raw stored text of one key (keyv's `{"value":...}` envelope), for compare-and-set.
   * `undefined` when the key is absent.
   */
  async getRaw(namespace: string, key: string): Promise<string | undefined> {
    const rows = (await this.#adapter.query(`SELECT value FROM keyv WHERE key = ?`, `${namespace}:${key}`)) as Array<{ value: string }>;
    return rows[0]?.value;
  }

  /** A read-only SQL query on the store's one table (`keyv`: key = '<namespace>:<key>', value = keyv's JSON envelope). */
  async query(sql: string, ...params: unknown[]): Promise<unknown[]> {
    return (await this.#adapter.query(sql, ...params)) as unknown[];
  }

  /** Encodes a value the way keyv stores it, so that keyv reads what compareAndSet wrote. */
  static encode(value: unknown): string {
    return JSON.stringify({ value });
  }

  static decode<T>(raw: string | undefined): T | undefined {
    if (raw === undefined) return undefined;
    return (JSON.parse(raw) as { value: T }).value;
  }

  /**
   * Atomically replaces `key` with `value` only if its stored text is still `expected`
   * (`undefined`: only if the key is absent). One SQL statement, so two processes cannot both win.
   * Returns whether this call won.
   */
  async compareAndSet(namespace: string, key: string, expected: string | undefined, value: unknown): Promise<boolean> {
    const k = `${namespace}:${key}`;
    const next = Store.encode(value);
    const rows =
      expected === undefined
        ? ((await this.#adapter.query(`INSERT INTO keyv (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING RETURNING key`, k, next)) as unknown[])
        : ((await this.#adapter.query(`UPDATE keyv SET value = ? WHERE key = ? AND value = ? RETURNING key`, next, k, expected)) as unknown[]);
    return rows.length === 1;
  }

  /** The `locks` table (st-goods' own): the holder text of an agent's lock, or undefined. */
  async lockRow(agent: string): Promise<string | undefined> {
    const rows = (await this.#adapter.query(`SELECT holder FROM locks WHERE agent = ?`, agent)) as Array<{ holder: string }>;
    return rows[0]?.holder;
  }

  /** Every row of the `locks` table. */
  async lockRows(): Promise<Array<{ agent: string; holder: string }>> {
    return (await this.#adapter.query(`SELECT agent, holder FROM locks ORDER BY agent`)) as Array<{ agent: string; holder: string }>;
  }

  /**
   * Compare-and-set on an agent's lock row: insert when `expected` is undefined (and no row
   * exists), else replace only if the row still holds `expected`. One statement; returns whether it won.
   */
  async lockCompareAndSet(agent: string, expected: string | undefined, holder: string): Promise<boolean> {
    const rows =
      expected === undefined
        ? ((await this.#adapter.query(`INSERT INTO locks (agent, holder) VALUES (?, ?) ON CONFLICT(agent) DO NOTHING RETURNING agent`, agent, holder)) as unknown[])
        : ((await this.#adapter.query(`UPDATE locks SET holder = ? WHERE agent = ? AND holder = ? RETURNING agent`, holder, agent, expected)) as unknown[]);
    return rows.length === 1;
  }

  /** Deletes an agent's lock row only if it still holds `expected`. Returns whether it did. */
  async lockDeleteIf(agent: string, expected: string): Promise<boolean> {
    const rows = (await this.#adapter.query(`DELETE FROM locks WHERE agent = ? AND holder = ? RETURNING agent`, agent, expected)) as unknown[];
    return rows.length === 1;
  }

  async close(): Promise<void> {
    await this.#adapter.disconnect();
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
};

let lastFile: string | undefined;

/** The store this process opened last (named in the message of a store failure). */
export function lastStoreFile(): string | undefined {
  return lastFile;
}

/** True for an error of SQLite or of the file system under the store. */
export function isStoreFailure(e: unknown): boolean {
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  return code.startsWith('SQLITE_');
}

/** The UserError (exit 4) for a store that cannot be used: names the path, what is wrong, and the fix. */
export function storeError(file: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  const problem = STORE_PROBLEMS[code] ?? `cannot be used (${code || (e as Error).message})`;
  const damaged = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
  return new UserError({
    code: 'BAD_STORE',
    exitCode: ExitCode.INVALID_INPUT,
    message: `The st-goods store ${file} ${problem}.`,
    hint: damaged
      ? `Move it aside (e.g. \`mv ${file} ${file}.damaged\`; keep it: it holds the journal of your runs), then run the command again; apply then compares the game with the empty journal before it buys anything (see \`st-goods apply --help\`, --adopt).`
      : 'Pass a writable file path with --store or ST_GOODS_STORE (its folder is created if missing).',
    details: { store: file, cause: code || undefined },
    cause: e,
  });
}
