/**
 * The store backends every journal/lock test runs against: a SQLite file in a temp dir and a
 * database of a real throwaway Postgres (test/helpers/postgres.ts).
 *
 *   for (const backend of BACKENDS) describe(`… (${backend.name})`, () => {
 *     const loc = await backend.location();   // a fresh, empty store location
 *     const store = await Store.open(loc);
 *   });
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedPostgres } from './postgres.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty store location (a file path or a postgres:// URL). */
  location(): Promise<string>;
}

const dirs: string[] = [];
process.on('exit', () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

export const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    async location() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-store-'));
      dirs.push(dir);
      return path.join(dir, 's.sqlite');
    },
  },
  {
    name: 'postgres',
    async location() {
      return (await sharedPostgres()).freshDatabase();
    },
  },
];
