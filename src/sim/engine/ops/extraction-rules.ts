/**
 * The formulas extraction, surveys and siphoning share (BEYOND.md b.1–b.3; numbers in
 * extraction-config.ts): cooldown = base + perPower · Σ power of the mounts used; units = Σ
 * strength ± jitter per mount; an asteroid's strain as a leaky bucket in game time.
 */
import { prng } from '../../random.js';
import type { MountStats } from '../equipment.js';
import { gameError, type ApiError } from '../errors.js';
import type { AsteroidState, ShipState } from '../state.js';
import type { Universe } from '../universe.js';
import type { components } from '../../../api/generated/spacetraders.js';

type S = components['schemas'];

/**
 * Starts the reactor cooldown of `gameSeconds` game seconds (the state jump-ship uses too) and
 * returns it as the spec renders it; while it runs, extract, survey, siphon, refine and jump answer 4000.
 */
export function startCooldown(u: Universe, ship: ShipState, gameSeconds: number): S['Cooldown'] {
  ship.cooldown = { totalSeconds: gameSeconds, expirationMs: Math.round(u.realNow() + u.time.realMsFor(gameSeconds)) };
  return u.renderCooldown(ship);
}

/** A fresh seeded random stream for one action: same seed and same history, same dice. */
export function dice(u: Universe): () => number {
  u.state.counter += 1;
  return prng((Math.imul(u.state.seed, 0x9e3779b1) ^ Math.imul(u.state.counter, 0x85ebca6b)) >>> 0);
}

export function mountCooldownSeconds(u: Universe, mounts: readonly { stats: MountStats }[]): number {
  const cfg = u.config.extraction;
  return cfg.cooldownBaseSeconds + cfg.cooldownPerPowerSeconds * mounts.reduce((s, m) => s + m.stats.power, 0);
}

/** Σ strength ± jitter per mount, at least 1. */
export function yieldUnits(u: Universe, mounts: readonly { stats: MountStats }[], r: () => number): number {
  const j = u.config.extraction.yieldJitterPerMount;
  let units = 0;
  for (const m of mounts) units += m.stats.strength + (j > 0 ? Math.floor(r() * (2 * j + 1)) - j : 0);
  return Math.max(1, units);
}

function asteroids(u: Universe): Record<string, AsteroidState> {
  return (u.state.asteroids ??= {});
}

/** The strain now (drained since its last update), without changing the state. */
function strainNow(u: Universe, a: AsteroidState | undefined): number {
  if (!a) return 0;
  const perMs = u.config.extraction.stability.extractionsPerMinute / 60_000;
  return Math.max(0, a.strain - (u.time.gameNow() - a.atGameMs) * perMs);
}

function unstable(u: Universe, a: AsteroidState | undefined): boolean {
  return a?.unstableUntilGameMs !== undefined && u.time.gameNow() < a.unstableUntilGameMs;
}

/** The waypoint's modifiers: UNSTABLE while destabilised, CRITICAL_LIMIT near the limit. */
export function waypointModifiers(u: Universe, waypoint: string): S['WaypointModifier'][] {
  const a = u.state.asteroids?.[waypoint];
  const { extractionsPerMinute, criticalFraction } = u.config.extraction.stability;
  if (unstable(u, a)) return [{ symbol: 'UNSTABLE', name: 'Unstable', description: 'The asteroid was destabilised by over-extraction; extraction fails here until it settles.' }];
  if (strainNow(u, a) >= criticalFraction * extractionsPerMinute) {
    return [{ symbol: 'CRITICAL_LIMIT', name: 'Critical Limit', description: 'Extraction here is close to the rate that destabilises the asteroid.' }];
  }
  return [];
}

/**
 * One extraction's strain on the asteroid: 4253 while it is UNSTABLE, or when this extraction
 * lifts the strain above the limit (it then turns UNSTABLE for unstableMinutes).
 */
export function strainAsteroid(u: Universe, waypoint: string): void {
  const { extractionsPerMinute, unstableMinutes } = u.config.extraction.stability;
  const all = asteroids(u);
  const a = all[waypoint];
  const now = u.time.gameNow();
  if (unstable(u, a)) throw destabilised(u, waypoint, a!);
  const strain = strainNow(u, a) + 1;
  if (strain > extractionsPerMinute) {
    const next: AsteroidState = { strain: 0, atGameMs: now, unstableUntilGameMs: now + unstableMinutes * 60_000 };
    all[waypoint] = next;
    throw destabilised(u, waypoint, next);
  }
  all[waypoint] = { strain, atGameMs: now };
}

function destabilised(u: Universe, waypoint: string, a: AsteroidState): ApiError {
  const realUntil = u.realNow() + u.time.realMsFor((a.unstableUntilGameMs! - u.time.gameNow()) / 1000);
  return gameError(4253, `Ship extract failed. Waypoint ${waypoint} is unstable from over-extraction; try another asteroid or come back after ${new Date(Math.round(realUntil)).toISOString()}.`, {
    waypointSymbol: waypoint,
    modifiers: ['UNSTABLE'],
    unstableUntil: new Date(Math.round(realUntil)).toISOString(),
  });
}
