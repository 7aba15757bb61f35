import fs from 'node:fs';
import { invalidInput } from './errors.js';

/** The largest plan file st-goods reads (a real one is tens to a few hundred kB). */
export const MAX_PLAN_BYTES = 16 * 1024 * 1024;
/** The largest production spec st-goods reads (a real one is under 2 kB). */
export const MAX_SPEC_BYTES = 256 * 1024;

/**
 * Reads a spec or plan file as UTF-8: only a regular file (a FIFO, a device or a directory would
 * hang or mislead), at most `maxBytes`. Anything else is a UserError (exit 4) naming the file.
 */
export function readInputFile(file: string, what: string, hint: string, maxBytes = MAX_PLAN_BYTES): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw invalidInput(`Cannot read the ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, hint);
  }
  if (!st.isFile()) throw invalidInput(`The ${what} ${file} is not a regular file (${st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : 'a device or socket'}); st-goods reads only regular files.`, hint);
  if (st.size > maxBytes) throw invalidInput(`The ${what} ${file} is ${st.size.toLocaleString('en-US')} bytes, more than the ${(maxBytes / 1024).toLocaleString('en-US')} KiB st-goods reads for one.`, hint);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw invalidInput(`Cannot read the ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, hint);
  }
}
