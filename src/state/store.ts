/**
 * The store's entry point: `Store.open(location)` opens the backend the location names (a
 * `postgres://` URL: PostgresStore; anything else: a SQLite file). Everything outside src/state
 * imports Store from here and never knows which backend it has.
 */
import { Store, registerOpener } from './store-base.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

registerOpener((location) => (isPostgresUrl(location) ? PostgresStore.connect(location) : SqliteStore.openFile(location)));

export { Store, isStoreFailure, lastStoreFile, storeError, type LockRow, type StoredRow } from './store-base.js';
