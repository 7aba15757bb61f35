import { invalidInput } from '../cli/errors.js';

/** "X1-AD75-A1" → "X1-AD75": a waypoint symbol is its system symbol plus one more dash-part. */
export function systemOf(waypointSymbol: string): string {
  const parts = waypointSymbol.split('-');
  if (parts.length < 3 || parts.some((p) => p === '')) {
    throw invalidInput(
      `"${waypointSymbol}" is not a waypoint symbol.`,
      'A waypoint symbol has three dash-separated parts, sector-system-waypoint, e.g. X1-AD75-A1.',
    );
  }
  return parts.slice(0, -1).join('-');
}

/**
 * The same without the check, for symbols the game or a plan already gave (a journal, a gate's
 * connections): "X1-AD75-A1" → "X1-AD75"; an odd symbol is its own system, never an error.
 */
export function systemOfKnown(waypointSymbol: string): string {
  return waypointSymbol.split('-').slice(0, -1).join('-') || waypointSymbol;
}
