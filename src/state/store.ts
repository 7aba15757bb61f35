/**
 * The store's entry point: `Store.open(location)` opens the backend the location names (a
 * `postgres://` URL: PostgresStore; anything else: a SQLite file). Everything outside src/state
 * imports Store from here and never knows which backend it has.
 */
import fs from 'node:fs';
import { Store, registerOpener } from './store-base.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Whether a store is there without creating one (a SQLite file exists; a Postgres URL: yes, opening tells). */
export function storeExists(location: string): boolean {
  return isPostgresUrl(location) || fs.existsSync(location);
}

registerOpener((location) => (isPostgresUrl(location) ? PostgresStore.connect(location) : SqliteStore.openFile(location)));

export { Store, isStoreFailure, lastStoreFile, storeError, type LockRow, type StoredRow } from './store-base.js';
