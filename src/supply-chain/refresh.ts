import fs from 'node:fs';
import { invalidInput } from '../cli/errors.js';
import { supplyChainHash, parseSupplyChain, displayPath } from './load.js';
import type { SupplyChainMap } from './types.js';
import { diffSupplyChains, writeSupplyChainFile, type SupplyChainDiff, type SupplyChainOrigin } from './writer.js';

export interface RefreshResult {
  file: string;
  /** Whether the file was (re)written. It is left alone when its content is already the same. */
  written: boolean;
  /** The previous file could not be read as a supply chain (missing or invalid): everything counts as added. */
  previousMissing: boolean;
  diff: SupplyChainDiff;
  goods: number;
  hash: string;
  previousHash?: string;
  origin: SupplyChainOrigin;
}

/**
 * Replaces the supply chain file `out` with `map` (from the API or a saved response) and reports
 * what changed. A file whose content is already identical is not rewritten unless `force`.
 */
export function refreshSupplyChainFile(out: string, map: SupplyChainMap, origin: SupplyChainOrigin, force = false): RefreshResult {
  let before: SupplyChainMap = {};
  let previousMissing = false;
  let previousHash: string | undefined;
  try {
    before = parseSupplyChain(fs.readFileSync(out, 'utf8'), displayPath(out));
    previousHash = supplyChainHash(before);
  } catch {
    previousMissing = true;
  }
  const diff = diffSupplyChains(before, map);
  const hash = supplyChainHash(map);
  const written = force || previousMissing || !diff.same || JSON.stringify(Object.keys(before)) !== JSON.stringify(Object.keys(map));
  if (written) writeSupplyChainFile(out, map, origin);
  return { file: out, written, previousMissing, diff, goods: Object.keys(map).length, hash, previousHash, origin };
}

/**
 * Reads a saved GET /market/supply-chain answer: the whole body `{data: {exportToImportMap}}`,
 * the `data` object, or the bare map. Throws UserError INVALID_INPUT when it is none of these.
 */
export function readSavedSupplyChainJson(file: string): SupplyChainMap {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw invalidInput(`Cannot read ${file} as JSON: ${(e as Error).message}.`, 'Pass the saved body of GET /market/supply-chain, e.g. `curl .../market/supply-chain > sc.json`.');
  }
  const obj = json as { data?: { exportToImportMap?: unknown }; exportToImportMap?: unknown };
  const map = obj?.data?.exportToImportMap ?? obj?.exportToImportMap ?? json;
  const ok = map !== null && typeof map === 'object' && !Array.isArray(map) && Object.values(map).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'));
  if (!ok || !Object.keys(map as object).length) {
    throw invalidInput(`${file} does not hold a supply chain (expected {"data": {"exportToImportMap": {GOOD: [INPUT, ...]}}}).`, 'Pass the saved body of GET /market/supply-chain.');
  }
  return map as SupplyChainMap;
}
