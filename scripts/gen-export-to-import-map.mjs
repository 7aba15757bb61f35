#!/usr/bin/env node
// Regenerates src/sim/world/export-to-import-map.ts from a GET /market/supply-chain body.
// Usage: node scripts/gen-export-to-import-map.mjs /work/shared/data/supply_chain.json
import { readFileSync, writeFileSync } from 'node:fs';

const [input] = process.argv.slice(2);
if (!input) {
  console.error('usage: node scripts/gen-export-to-import-map.mjs SUPPLY_CHAIN.json');
  process.exit(2);
}
const body = JSON.parse(readFileSync(input, 'utf8'));
const map = body.data?.exportToImportMap ?? body.exportToImportMap;
const lines = [
  '/**',
  ' * The live exportToImportMap (GET /market/supply-chain, captured 2025-04-09; MECHANICS.md §1),',
  ' * in API key order, including the duplicated MERITIUM of MODULE_WARP_DRIVE_III. Generated from',
  ' * shared/data/supply_chain.json by scripts/gen-export-to-import-map.mjs; do not edit by hand.',
  ' */',
  'export const EXPORT_TO_IMPORT_MAP: Readonly<Record<string, readonly string[]>> = {',
  ...Object.entries(map).map(([k, v]) => `  ${k}: [${v.map((x) => JSON.stringify(x)).join(', ')}],`),
  '};',
];
writeFileSync('src/sim/world/export-to-import-map.ts', lines.join('\n') + '\n');
console.log(`wrote src/sim/world/export-to-import-map.ts: ${Object.keys(map).length} goods`);
