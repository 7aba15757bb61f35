/**
 * A ship's reactor cooldown (MECHANICS.md §5.2 4000; BEYOND.md b.1–b.2). Extracting, surveying,
 * siphoning and refining start one; while it runs, each of them answers 4000. Durations are set in
 * game seconds and reported in real seconds, like every duration the simulator sends (a 70 s
 * cooldown at --time-scale 100 reports totalSeconds 1 and expires 0.7 s later; at time scale 1 the
 * figures are the game's).
 */
import type { components } from '../../api/generated/spacetraders.js';
import { ApiError } from './errors.js';
import { isoTime } from './render.js';
import type { ShipState } from './state.js';
import type { Universe } from './universe.js';

type S = components['schemas'];

function active(u: Universe, ship: ShipState): ShipState['cooldown'] {
  const c = ship.cooldown;
  return c && c.expirationMs > u.realNow() ? c : undefined;
}

/** The spec's Cooldown: totals 0 and no expiration when none runs. */
export function renderCooldown(u: Universe, ship: ShipState): S['Cooldown'] {
  const c = active(u, ship);
  if (!c) return { shipSymbol: ship.symbol, totalSeconds: 0, remainingSeconds: 0 };
  return {
    shipSymbol: ship.symbol,
    totalSeconds: Math.ceil((c.expirationMs - c.startMs) / 1000),
    remainingSeconds: Math.ceil((c.expirationMs - u.realNow()) / 1000),
    expiration: isoTime(c.expirationMs),
  };
}

/** 4000 (HTTP 409, as seen live) while the ship's cooldown runs. */
export function requireNoCooldown(u: Universe, ship: ShipState): void {
  if (!active(u, ship)) return;
  const cooldown = renderCooldown(u, ship);
  throw new ApiError(409, 4000, `Ship action is still on cooldown for ${cooldown.remainingSeconds} second(s).`, { cooldown });
}

/** Starts a cooldown of `gameSeconds` game seconds and returns it as the spec renders it. */
export function startCooldown(u: Universe, ship: ShipState, gameSeconds: number): S['Cooldown'] {
  const now = u.realNow();
  ship.cooldown = { gameSeconds, startMs: now, expirationMs: Math.round(now + u.time.realMsFor(gameSeconds)) };
  return renderCooldown(u, ship);
}

/** 200 with the running cooldown, or 204 with no body when there is none (the spec's get-ship-cooldown). */
export function cooldownResponse(u: Universe, ship: ShipState): { status: number; body: unknown } {
  return active(u, ship) ? { status: 200, body: { data: renderCooldown(u, ship) } } : { status: 204, body: undefined };
}
