import fs from 'node:fs';
import { schemaPath } from '../supply-chain/paths.js';

/**
 * Enumerations of the official API (2.3.0), read from the vendored models in
 * schemas/spacetraders/models rather than copied by hand.
 */
const memo = new Map<string, string[]>();

function enumOf(model: string, pick: (json: Record<string, unknown>) => unknown): string[] {
  let values = memo.get(model);
  if (!values) {
    const json = JSON.parse(fs.readFileSync(schemaPath('spacetraders', 'models', `${model}.json`), 'utf8')) as Record<string, unknown>;
    values = (pick(json) as string[] | undefined) ?? [];
    memo.set(model, values);
  }
  return values;
}

/** TradeSymbol: every good the API knows (145 in 2.3.0). */
export const tradeSymbols = (): string[] => enumOf('TradeSymbol', (j) => j.enum);
/** ShipRole values. */
export const shipRoles = (): string[] => enumOf('ShipRole', (j) => j.enum);
/** ShipFrame symbols (FRAME_*). */
export const shipFrames = (): string[] => enumOf('ShipFrame', (j) => (j.properties as Record<string, { enum?: string[] }>).symbol?.enum);
/** ShipNavFlightMode values. */
export const flightModes = (): string[] => enumOf('ShipNavFlightMode', (j) => j.enum);
/** FactionSymbol values (the factions an agent can register with). */
export const factionSymbols = (): string[] => enumOf('FactionSymbol', (j) => j.enum);
