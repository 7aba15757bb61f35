import { invalidInput } from '../cli/errors.js';
import { tradeSymbols } from '../spec/api-enums.js';
import { didYouMean } from '../spec/schema-issues.js';
import type { SupplyChainGraph } from './graph.js';

/**
 * Checks a good named on the command line (upper-cased) against the supply chain and the API's
 * TradeSymbol enum; throws UserError INVALID_INPUT with a "did you mean" otherwise.
 */
export function requireKnownGood(graph: SupplyChainGraph, name: string, what = 'good'): string {
  const good = name.trim().toUpperCase();
  const known = new Set([...graph.goods(), ...tradeSymbols()]);
  if (known.has(good)) return good;
  throw invalidInput(
    `Unknown ${what} ${JSON.stringify(name)}${didYouMean(good, [...known])}.`,
    'Goods are trade symbols such as IRON_ORE or ADVANCED_CIRCUITRY; `st-goods supply-chain show` lists them.',
  );
}

/** `--buyable IRON,copper` → ['IRON', 'COPPER'], each checked. */
export function parseGoodList(graph: SupplyChainGraph, list: string | undefined, what: string): string[] {
  if (!list) return [];
  return list
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((g) => requireKnownGood(graph, g, what));
}
