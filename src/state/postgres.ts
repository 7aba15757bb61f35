import pg from 'pg';
import KeyvPostgres from '@keyv/postgres';
import { registerSecret } from '../config/redact.js';
import { Store, storeError } from './store-base.js';

/** The notification channel of Store.watch. */
const CHANNEL = 'st_goods_changes';

/** How long a statement keeps retrying while the server is unreachable or restarting (ms). */
const RECONNECT_FOR_MS = 60_000;

/** Connection-level failures: the statement never ran, or the server went away under it. */
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);

function transient(e: unknown): boolean {
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  if (TRANSIENT.has(code)) return true;
  return /Connection terminated|not queryable|terminating connection|connection timeout/i.test(String((e as Error)?.message ?? ''));
}

/** Maps a pg error to the store's codes (PG_*), which the CLI turns into a BAD_STORE user error. */
function classify(e: unknown): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = String((err as { code?: unknown }).code ?? '');
  const mapped = transient(err)
    ? 'PG_UNREACHABLE'
    : code.startsWith('28')
      ? 'PG_AUTH'
      : code === '3D000'
        ? 'PG_NO_DATABASE'
        : code === '42501'
          ? 'PG_DENIED'
          : code === 'ERR_INVALID_URL'
            ? 'PG_URL'
            : `PG_${code || 'ERROR'}`;
  return Object.assign(new Error(`postgres: ${err.message}`, { cause: err }), { code: mapped });
}

/**
 * keyv's Postgres adapter on st-goods' own pool (the adapter's module-wide pool has no error
 * listener, so a server restart would crash the process, and it does not retry).
 */
class PooledKeyvPostgres extends KeyvPostgres {
  override async connect(): Promise<(sql: string, values?: unknown[]) => Promise<unknown[]>> {
    const run = (this.opts as { run?: (sql: string, values: unknown[]) => Promise<unknown[]> }).run!;
    return (sql, values) => run(sql, values ?? []);
  }

  override async disconnect(): Promise<void> {
    // The pool is the store's: it ends it.
  }
}

/**
 * The Postgres backend: one database shared by every host. keyv's table comes from
 * `@keyv/postgres` (same layout as SQLite's: `keyv(key, value)`), the locks table is st-goods'.
 * Compare-and-set and the lock are conditional UPDATEs (one row each, atomic under concurrent
 * hosts); a fenced write share-locks the agent's lock row in the same statement, so a takeover
 * waits for it and every write after the takeover sees the new token and is refused.
 * Statements ride out a server restart: a connection failure is retried for up to a minute.
 */
export class PostgresStore extends Store {
  readonly backend = 'postgres' as const;
  protected readonly lockShare = 'FOR SHARE';
  protected readonly binary = ' COLLATE "C"';
  protected readonly adapter: KeyvPostgres;

  private constructor(
    readonly file: string,
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {
    super();
    this.adapter = new PooledKeyvPostgres({ uri: 'postgresql://', run: (sql: string, values: unknown[]) => this.#query(sql, values) } as ConstructorParameters<typeof KeyvPostgres>[0]);
    this.adapter.on('error', () => undefined); // the statements below report failures themselves
  }

  static async connect(url: string): Promise<PostgresStore> {
    let shown = url;
    let parsed: URL;
    try {
      parsed = new URL(url);
      if (parsed.password) {
        registerSecret(decodeURIComponent(parsed.password));
        parsed.password = '';
        shown = parsed.toString().replace(/:@/, '@');
      }
    } catch (e) {
      throw storeError(url.replace(/:[^:@/]*@/, ':***@'), Object.assign(new Error((e as Error).message), { code: 'PG_URL' }));
    }
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => undefined); // an idle connection dropped (server restart): the next statement reconnects
    try {
      // Two hosts creating the tables at once would race in the catalog: serialise on an advisory lock.
      await inTransaction(pool, async (c) => {
        await c.query(`SELECT pg_advisory_xact_lock(hashtext('st-goods schema'))`);
        await c.query(`CREATE TABLE IF NOT EXISTS keyv (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
        await c.query(`CREATE INDEX IF NOT EXISTS keyv_key_bytes ON keyv (key COLLATE "C")`);
        await c.query(`CREATE TABLE IF NOT EXISTS locks (agent TEXT PRIMARY KEY, holder TEXT NOT NULL, token BIGINT NOT NULL DEFAULT 0)`);
        // Every commit that changes keyv's table notifies CHANNEL (Store.watch: the dashboard's feed).
        await c.query(`CREATE OR REPLACE FUNCTION st_goods_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('${CHANNEL}', ''); RETURN NULL; END $$`);
        const trigger = await c.query(`SELECT 1 FROM pg_trigger WHERE tgname = 'st_goods_keyv_changed' AND tgrelid = 'keyv'::regclass`);
        if (!trigger.rowCount) await c.query(`CREATE TRIGGER st_goods_keyv_changed AFTER INSERT OR UPDATE OR DELETE ON keyv FOR EACH STATEMENT EXECUTE FUNCTION st_goods_notify()`);
      });
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw storeError(shown, classify(e));
    }
    // After the tables exist: keyv's adapter creates its table (IF NOT EXISTS) when constructed.
    const store = new PostgresStore(shown, pool, url);
    store.#opened = true;
    return store;
  }

  /** Set once open() succeeded: from then on a connection failure is waited out, not reported. */
  #opened = false;

  async #retrying<T>(fn: () => Promise<T>): Promise<T> {
    const until = Date.now() + (this.#opened ? RECONNECT_FOR_MS : 0);
    for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
      try {
        return await fn();
      } catch (e) {
        if (!transient(e) || Date.now() + wait > until) throw classify(e);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async #query(sql: string, values: unknown[]): Promise<Array<Record<string, unknown>>> {
    return this.#retrying(async () => (await this.pool.query(sql, values)).rows as Array<Record<string, unknown>>);
  }

  protected run(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    let n = 0;
    return this.#query(sql.replace(/\?/g, () => `$${++n}`), params);
  }

  /**
   * LISTENs on a dedicated connection (a session-level LISTEN cannot share a pool). A dropped
   * connection (server restart) is re-opened with backoff, and a change is reported then, since
   * notifications sent meanwhile are lost.
   */
  watch(onChange: () => void, opts: { debounceMs?: number } = {}): { close(): void } {
    const debounceMs = opts.debounceMs ?? 50;
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    let client: pg.Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    const fire = (): void => {
      if (timer || closed) return;
      timer = setTimeout(() => {
        timer = undefined;
        onChange();
      }, debounceMs);
    };
    const listen = (wait: number, reconnected: boolean): void => {
      if (closed) return;
      const c = new pg.Client({ connectionString: this.url });
      client = c;
      let dropped = false;
      const drop = (): void => {
        if (dropped) return;
        dropped = true;
        c.end().catch(() => undefined);
        if (!closed) retry = setTimeout(() => listen(Math.min(wait * 2, 5000), true), wait);
      };
      c.on('error', drop);
      c.on('end', drop);
      c.on('notification', fire);
      c.connect()
        .then(() => c.query(`LISTEN ${CHANNEL}`))
        .then(() => {
          if (reconnected) fire();
        })
        .catch(drop);
    };
    listen(250, false);
    return {
      close() {
        closed = true;
        if (timer) clearTimeout(timer);
        if (retry) clearTimeout(retry);
        client?.end().catch(() => undefined);
      },
    };
  }

  #closed = false;

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }
}

async function inTransaction(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<void>): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await fn(c);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}
