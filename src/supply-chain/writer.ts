import fs from 'node:fs';
import path from 'node:path';
import { Document, isMap, isScalar, isSeq } from 'yaml';
import type { SupplyChainMap } from './types.js';

/** Where a map came from, for the file's header comment. */
export interface SupplyChainOrigin {
  /** e.g. `GET https://api.spacetraders.io/v2/market/supply-chain` */
  source: string;
  /** ISO timestamp of the fetch or capture. */
  fetchedAt: string;
  /** Optional extra line(s) of provenance. */
  note?: string;
}

const DUPLICATE_COMMENT = ' duplicate: a quirk of the live API response, kept as sent; the graph counts it once';

/**
 * The supply_chain.yaml text for `map`: a header comment (origin, date, how to refresh), then
 * `exportToImportMap:` with one line per good in the map's own order, input lists in flow style.
 * A list holding a repeated input is written in block style with the repeat commented.
 * Parsing the result gives back `map` exactly: same keys, same order, same duplicates.
 */
export function renderSupplyChainYaml(map: SupplyChainMap, origin: SupplyChainOrigin): string {
  const doc = new Document({ exportToImportMap: map });
  const header = [
    ' The SpaceTraders supply chain: for each good, the goods that a factory of it imports',
    ' (the exportToImportMap of GET /market/supply-chain), in the order the API sent them.',
    ` Source: ${origin.source}`,
    ` Fetched: ${origin.fetchedAt}`,
    ...(origin.note ? origin.note.split('\n').map((l) => ` ${l}`) : []),
    ' Written by the supply-chain writer of st-goods; update it with `st-goods supply-chain refresh` (e.g. after a server reset).',
    ' Validated by schemas/supply-chain.schema.json. The graph is cyclic: see `st-goods graph GOOD`.',
  ];
  doc.commentBefore = header.join('\n');
  const top = doc.get('exportToImportMap', true);
  if (isMap(top)) {
    for (const pair of top.items) {
      if (!isSeq(pair.value)) continue;
      const seen = new Set<unknown>();
      let duplicate = false;
      for (const item of pair.value.items) {
        if (!isScalar(item)) continue;
        if (seen.has(item.value)) {
          item.comment = DUPLICATE_COMMENT;
          duplicate = true;
        }
        seen.add(item.value);
      }
      pair.value.flow = !duplicate;
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Writes the file atomically (temp file + rename), creating its folder if needed. */
export function writeSupplyChainFile(file: string, map: SupplyChainMap, origin: SupplyChainOrigin): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, renderSupplyChainYaml(map, origin));
  fs.renameSync(tmp, file);
}

/** What changed between two maps, goods in sorted order. */
export interface SupplyChainDiff {
  added: string[];
  removed: string[];
  /** Goods whose input list differs (order or content). */
  changed: Array<{ good: string; before: string[]; after: string[] }>;
  /** True when only key order differs, or nothing at all. */
  same: boolean;
}

export function diffSupplyChains(before: SupplyChainMap, after: SupplyChainMap): SupplyChainDiff {
  const added = Object.keys(after).filter((g) => !Object.hasOwn(before, g)).sort();
  const removed = Object.keys(before).filter((g) => !Object.hasOwn(after, g)).sort();
  const changed = Object.keys(after)
    .filter((g) => Object.hasOwn(before, g) && JSON.stringify(before[g]) !== JSON.stringify(after[g]))
    .sort()
    .map((good) => ({ good, before: before[good] ?? [], after: after[good] ?? [] }));
  return { added, removed, changed, same: !added.length && !removed.length && !changed.length };
}
