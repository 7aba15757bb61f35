import fs from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';

/**
 * The one SQLite file behind st-goods' state: runs, the journal, locks and the market cache,
 * each in its own keyv namespace. Open one Store per process and pass it down.
 */
export class Store {
  readonly file: string;
  readonly #adapter: KeyvSqlite;
  readonly #spaces = new Map<string, Keyv>();

  private constructor(file: string, adapter: KeyvSqlite) {
    this.file = file;
    this.#adapter = adapter;
  }

  static async open(file: string): Promise<Store> {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const adapter = new KeyvSqlite({ uri: `sqlite://${path.resolve(file)}`, busyTimeout: 10_000 });
    const store = new Store(file, adapter);
    await store.namespace('meta').get('ping');
    // WAL: readers (status) never block the writer (apply); synchronous=NORMAL is safe against a
    // killed process (only an OS crash may lose the last transactions) and much faster.
    await adapter.query('PRAGMA journal_mode=WAL');
    await adapter.query('PRAGMA synchronous=NORMAL');
    return store;
  }

  /** A keyv view on one namespace (e.g. 'journal', 'locks', 'market'). */
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

  /** Deletes `key` only if its stored text is still `expected`. Returns whether it did. */
  async deleteIf(namespace: string, key: string, expected: string): Promise<boolean> {
    const rows = (await this.#adapter.query(`DELETE FROM keyv WHERE key = ? AND value = ? RETURNING key`, `${namespace}:${key}`, expected)) as unknown[];
    return rows.length === 1;
  }

  async close(): Promise<void> {
    await this.#adapter.disconnect();
  }
}
