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

  async close(): Promise<void> {
    await this.#adapter.disconnect();
  }
}
