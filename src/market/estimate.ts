import type { SupplyLevel, TradeType } from '../plan/types.js';
import {
  ASK_TO_BID,
  BASE_PRICES,
  DEFAULT_EXPORT_ASK,
  DEFAULT_TRADE_VOLUME,
  EXCHANGE_TO_EXPORT_ASK,
  IMPORT_TO_EXPORT_ASK,
  VALUE_ADDED_FACTOR,
} from './base-prices.js';

/**
 * Supply assumed at an unobserved market: MODERATE at exports and exchanges (the capture's most
 * common level), LIMITED at imports (imports are consumed; the capture shows them LIMITED or
 * SCARCE in 51 of 68 cases), so that an import market is never picked as a source on a guess.
 */
export const ESTIMATED_SUPPLY: Readonly<Record<TradeType, SupplyLevel>> = {
  EXPORT: 'MODERATE',
  EXCHANGE: 'MODERATE',
  IMPORT: 'LIMITED',
};

/** Reference export ask of a good: the table, else derived from its inputs, else a default. */
export function estimateExportAsk(good: string, inputsOf?: (g: string) => readonly string[], seen: Set<string> = new Set()): number {
  const row = BASE_PRICES[good];
  if (row?.export) return row.export;
  if (row?.exchange) return Math.round(row.exchange / EXCHANGE_TO_EXPORT_ASK);
  if (row?.import) return Math.round(row.import / IMPORT_TO_EXPORT_ASK);
  if (!inputsOf || seen.has(good)) return DEFAULT_EXPORT_ASK;
  seen.add(good);
  const inputs = [...new Set(inputsOf(good))];
  if (inputs.length === 0) return DEFAULT_EXPORT_ASK;
  const sum = inputs.reduce((acc, g) => acc + estimateExportAsk(g, inputsOf, seen), 0);
  seen.delete(good);
  return Math.round(sum * VALUE_ADDED_FACTOR);
}

/** The estimated ask, bid, supply and tradeVolume of `good` at a market of trade type `type`. */
export function estimateQuote(
  good: string,
  type: TradeType,
  inputsOf?: (g: string) => readonly string[],
): { purchasePrice: number; sellPrice: number; supply: SupplyLevel; tradeVolume: number } {
  const row = BASE_PRICES[good];
  const ref = estimateExportAsk(good, inputsOf);
  let ask: number;
  if (type === 'EXPORT') ask = row?.export ?? ref;
  else if (type === 'IMPORT') ask = row?.import ?? Math.round(ref * IMPORT_TO_EXPORT_ASK);
  else ask = row?.exchange ?? Math.round(ref * EXCHANGE_TO_EXPORT_ASK);
  const bid = type === 'EXCHANGE' ? ask - 2 * Math.max(2, Math.round(ask / 100)) : Math.round(ask / ASK_TO_BID);
  const tradeVolume = type === 'EXCHANGE' ? 180 : (row?.tradeVolume ?? DEFAULT_TRADE_VOLUME);
  return { purchasePrice: ask, sellPrice: Math.max(1, bid), supply: ESTIMATED_SUPPLY[type], tradeVolume };
}
