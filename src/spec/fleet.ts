import { infeasible, invalidInput } from '../cli/errors.js';
import { didYouMean } from './schema-issues.js';
import type { ProductionSpec } from './types.js';

/** What the spec's fleet rules need to know about a ship (FleetShip of the plan fits). */
export interface ShipFacts {
  symbol: string;
  role?: string;
  frame?: string;
  cargoCapacity: number;
}

/**
 * For `fleet.ships`: every listed ship must be one of the agent's and have a cargo hold.
 * Throws UserError INVALID_INPUT naming each unknown ship (with a "did you mean") at once.
 * A `fleet.select` spec always passes.
 */
export function checkFleetShips(spec: ProductionSpec, ships: readonly ShipFacts[]): void {
  if (spec.fleet.kind !== 'ships') return;
  const bySymbol = new Map(ships.map((s) => [s.symbol, s] as const));
  const symbols = ships.map((s) => s.symbol);
  const problems: string[] = [];
  spec.fleet.ships.forEach((symbol, i) => {
    const ship = bySymbol.get(symbol);
    if (!ship) problems.push(`fleet.ships[${i}]: ${symbol} is not one of the agent's ships${didYouMean(symbol, symbols)}`);
    else if (!(ship.cargoCapacity > 0)) problems.push(`fleet.ships[${i}]: ${symbol} has no cargo hold (a ${ship.frame ?? 'ship'} with capacity 0) and cannot carry goods`);
  });
  if (problems.length) {
    throw invalidInput(
      `The spec ${spec.name} names ships the fleet cannot use:\n${problems.map((p) => `  ${p}`).join('\n')}\n`,
      `The agent's ships are: ${symbols.join(', ') || '(none)'}. Fix fleet.ships, or use fleet.select to choose ships by role and frame.`,
      { problems },
    );
  }
}

/** Whether a ship fits a `fleet.select` rule: a cargo hold, and its role and frame among those given. */
export function matchesSelect(rule: { roles?: string[]; frames?: string[] }, s: ShipFacts): boolean {
  return s.cargoCapacity > 0 && (!rule.roles || (s.role !== undefined && rule.roles.includes(s.role))) && (!rule.frames || (s.frame !== undefined && rule.frames.includes(s.frame)));
}

/**
 * The ships the spec asks for, in the spec's order (`ships`) or the fleet's order (`select`):
 * only ships with cargo capacity; role and frame filters when given; at most `max`.
 * Throws UserError INFEASIBLE when nothing is left.
 */
export function selectFleet<T extends ShipFacts>(spec: ProductionSpec, ships: readonly T[]): T[] {
  checkFleetShips(spec, ships);
  const f = spec.fleet;
  let chosen: T[];
  if (f.kind === 'ships') {
    const bySymbol = new Map(ships.map((s) => [s.symbol, s] as const));
    chosen = f.ships.map((s) => bySymbol.get(s) as T);
  } else {
    chosen = ships.filter((s) => matchesSelect(f, s));
    if (f.max !== undefined) chosen = chosen.slice(0, f.max);
  }
  if (!chosen.length) {
    const rule = f.kind === 'select' ? [f.roles && `role ${f.roles.join('|')}`, f.frames && `frame ${f.frames.join('|')}`].filter(Boolean).join(' and ') : '';
    throw infeasible(
      `No ship of the fleet can work on ${spec.name}: none has cargo room${rule ? ` and matches ${rule}` : ''}.`,
      'Widen fleet.select, list ships with fleet.ships, or buy a ship with a cargo hold.',
    );
  }
  return chosen;
}
