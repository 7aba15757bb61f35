import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SupplyChainMap } from '../../../src/supply-chain/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The live GET /market/supply-chain body, exactly as captured (a copy of shared/data/supply_chain.json). */
export function liveApiBody(): { data: { exportToImportMap: SupplyChainMap } } {
  return JSON.parse(fs.readFileSync(path.join(here, 'fixtures', 'supply-chain.api.json'), 'utf8')) as { data: { exportToImportMap: SupplyChainMap } };
}

/** Every good listed (export, import or exchange) at some market of the real starting system X1-AD75. */
export function listedInX1AD75(): Set<string> {
  const data = JSON.parse(fs.readFileSync(path.join(here, 'fixtures', 'x1-ad75-markets.json'), 'utf8')) as { markets: Record<string, Record<string, string[]>> };
  const goods = new Set<string>();
  for (const m of Object.values(data.markets)) for (const list of Object.values(m)) for (const g of list) goods.add(g);
  return goods;
}
