import fs from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../../cli/errors.js';

/**
 * The simulator's state file: the universe as JSON (Universe.toJSON()), written atomically
 * (temp file in the same folder, then rename) so a crash mid-save never leaves half a file.
 */

let counter = 0;

/** Writes `data` as JSON to `file` atomically; returns the number of bytes written. */
export async function writeStateFile(file: string, data: unknown): Promise<number> {
  const text = JSON.stringify(data);
  const dir = path.dirname(path.resolve(file));
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++counter}.tmp`);
  try {
    await fs.promises.writeFile(tmp, text, 'utf8');
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  return Buffer.byteLength(text);
}

/** Reads a state file; undefined when it does not exist. A corrupt file is a user error. */
export function readStateFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw invalidInput(`Cannot read the simulator state file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, 'Check the path and its permissions.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw invalidInput(
      `The simulator state file ${file} is not valid JSON (${(e as Error).message}).`,
      'Move it away to start a fresh universe, or pass another --state file.',
    );
  }
}
