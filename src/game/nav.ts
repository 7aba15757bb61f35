/**
 * Navigation formulas of SpaceTraders v2 (MECHANICS.md §2), shared by the simulator and the
 * planner so that the two can never disagree about fuel or flight time.
 */
import type { FlightMode } from '../api/types.js';

export type { FlightMode };

export const FLIGHT_MODES: readonly FlightMode[] = ['CRUISE', 'BURN', 'DRIFT', 'STEALTH'];

/** Time multiplier per flight mode (MECHANICS.md §2.3, official wiki S8: CRUISE 25, BURN 12.5, DRIFT 250, STEALTH 30). */
export type NavMultipliers = Readonly<Record<FlightMode, number>>;

export const NAV_MULTIPLIERS: NavMultipliers = Object.freeze({
  CRUISE: 25,
  BURN: 12.5,
  DRIFT: 250,
  STEALTH: 30,
});

/** Seconds added to every flight (MECHANICS.md §2.3: `+ 15`). */
export const NAV_BASE_SECONDS = 15;

export interface Point {
  x: number;
  y: number;
}

/** Euclidean distance between two waypoints of one system (MECHANICS.md §2.1). */
export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/**
 * Fuel a flight consumes (MECHANICS.md §2.2): CRUISE and STEALTH `round(d)`, BURN `2·round(d)`,
 * DRIFT 1; 0 for d = 0 (orbital siblings) and for ships without a fuel tank (probes).
 */
export function fuelCost(d: number, mode: FlightMode, fuelCapacity: number): number {
  if (fuelCapacity <= 0) return 0;
  const rd = Math.round(d);
  if (rd <= 0) return 0;
  switch (mode) {
    case 'CRUISE':
    case 'STEALTH':
      return rd;
    case 'BURN':
      return 2 * rd;
    case 'DRIFT':
      return 1;
  }
}

/**
 * Flight time in game seconds (MECHANICS.md §2.3): `round(max(1, round(d)) · M / speed + base)`.
 * A distance of 0 still takes the minimum flight.
 */
export function travelSeconds(
  d: number,
  mode: FlightMode,
  engineSpeed: number,
  multipliers: NavMultipliers = NAV_MULTIPLIERS,
  baseSeconds: number = NAV_BASE_SECONDS,
): number {
  const speed = Math.max(1, engineSpeed);
  return Math.round((Math.max(1, Math.round(d)) * multipliers[mode]) / speed + baseSeconds);
}

/** Ship fuel units per market FUEL unit (MECHANICS.md §2.5). */
export const FUEL_UNITS_PER_MARKET_UNIT = 100;

/** Market FUEL units charged to add `fuelToAdd` ship fuel units: `ceil(fuelToAdd / 100)` (§2.5). */
export function refuelMarketUnits(fuelToAdd: number): number {
  if (fuelToAdd <= 0) return 0;
  return Math.ceil(fuelToAdd / FUEL_UNITS_PER_MARKET_UNIT);
}
