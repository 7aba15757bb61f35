import fs from 'node:fs';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { Store, storeError } from './store-base.js';
import { watchStore } from './file-watch.js';

/**
 * The SQLite backend: one file, the zero-setup default. WAL with synchronous=FULL, so every write
 * (an intent, a result) is on disk before the call that follows it is made: a killed process, an
 * OS crash or a power loss loses nothing that was journaled. SQLite runs one writer at a time, so
 * each conditional statement (compare-and-set, lock, fenced write) is atomic across processes.
 */
export class SqliteStore extends Store {
  readonly backend = 'sqlite' as const;
  protected readonly lockShare = '';
  protected readonly binary = '';

  private constructor(
    readonly file: string,
    protected readonly adapter: KeyvSqlite,
  ) {
    super();
  }

  /**
   * Opens (or creates) the file. A store that cannot be used (garbage or truncated, read-only,
   * a directory, a parent that is a file) is a UserError (exit 4) naming the path and the fix.
   */
  static async openFile(file: string): Promise<SqliteStore> {
    const abs = path.resolve(file);
    try {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
    } catch (e) {
      throw storeError(file, e);
    }
    if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) throw storeError(file, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    const adapter = new KeyvSqlite({ uri: `sqlite://${abs}`, busyTimeout: 10_000 });
    adapter.on('error', () => undefined); // the failed query below reports it
    const store = new SqliteStore(file, adapter);
    try {
      await store.run('PRAGMA journal_mode=WAL', []);
      await store.run('PRAGMA synchronous=FULL', []);
      const check = await store.run('PRAGMA quick_check', []);
      const verdict = check.map((r) => Object.values(r)[0]).join('; ');
      if (verdict !== 'ok') throw Object.assign(new Error(`integrity check: ${verdict.slice(0, 200)}`), { code: 'SQLITE_CORRUPT' });
      await store.run(`CREATE TABLE IF NOT EXISTS locks (agent TEXT PRIMARY KEY, holder TEXT NOT NULL, token INTEGER NOT NULL DEFAULT 0)`, []);
      // Stores made before fencing tokens have no token column: add it (generation 0).
      const columns = await store.run(`PRAGMA table_info(locks)`, []);
      if (!columns.some((c) => c.name === 'token')) await store.run(`ALTER TABLE locks ADD COLUMN token INTEGER NOT NULL DEFAULT 0`, []);
      await store.namespace('meta').get('ping');
    } catch (e) {
      await adapter.disconnect().catch(() => undefined);
      throw storeError(file, e);
    }
    return store;
  }

  protected async run(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    return (await this.adapter.query(sql, ...params)) as Array<Record<string, unknown>>;
  }

  async close(): Promise<void> {
    await this.adapter.disconnect();
  }

  watch(onChange: () => void, opts: { debounceMs?: number } = {}): { close(): void } {
    return watchStore(this.file, onChange, opts);
  }
}
