/**
 * Surveys (BEYOND.md b.2): POST /my/ships/{s}/survey makes Σ surveyor strength surveys of the
 * asteroid the ship orbits. Each lists 3–7 deposits (a good listed twice is a likelier yield), has
 * a size (SMALL / MODERATE / LARGE) holding a finite budget of units, and expires. Extraction with
 * a survey (extraction.ts) checks it here: the whole body must be the survey as issued (4220),
 * not expired (4221), not exhausted (4224, HTTP 409), and for the ship's waypoint (4270).
 */
import type { components } from '../../../api/generated/spacetraders.js';
import { ApiError, gameError } from '../errors.js';
import { isoTime } from '../render.js';
import { EXTRACTABLE_TYPES, pickWeighted, surveyWeights } from '../deposits.js';
import { mountsOfKind } from '../equipment.js';
import type { SurveySize } from '../extraction-config.js';
import { requireReactorReady } from './gates.js';
import type { ShipState, SurveyState } from '../state.js';
import type { OpContext, Universe } from '../universe.js';
import { agentOf, ok, type Operation } from './common.js';
import { inTransit } from './contracts.js';
import { dice, mountCooldownSeconds, startCooldown } from './extraction-rules.js';

type S = components['schemas'];

const SIZES: readonly SurveySize[] = ['SMALL', 'MODERATE', 'LARGE'];

function surveysOf(u: Universe): Record<string, SurveyState> {
  return (u.state.surveys ??= {});
}

function renderSurvey(s: SurveyState): S['Survey'] {
  return { signature: s.signature, symbol: s.symbol, deposits: s.deposits.map((symbol) => ({ symbol })), expiration: s.expiration, size: s.size };
}

/** Forget surveys that expired more than a game day ago (an expired body still answers 4221 from its expiration). */
function prune(u: Universe): void {
  const horizon = u.time.gameNow() - 86_400_000;
  const all = surveysOf(u);
  for (const [sig, s] of Object.entries(all)) if (s.expiresAtGameMs < horizon) delete all[sig];
}

function createSurvey(ctx: OpContext) {
  const { u } = ctx;
  const ship = u.ownShip(agentOf(ctx), ctx.req.params['shipSymbol']);
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  if (ship.status !== 'IN_ORBIT') {
    throw gameError(4223, `Ship survey failed. Ship ${ship.symbol} must be in orbit to survey ${ship.waypoint}.`, { shipSymbol: ship.symbol, waypointSymbol: ship.waypoint });
  }
  const surveyors = mountsOfKind(ship, 'MOUNT_SURVEYOR');
  if (surveyors.length === 0) throw gameError(4240, `Ship survey failed. Ship ${ship.symbol} does not have a required surveyor mount installed.`, { shipSymbol: ship.symbol });
  const w = u.waypoint(ship.waypoint)!;
  if (!EXTRACTABLE_TYPES.has(w.type)) {
    throw gameError(4222, `Ship survey failed. Waypoint ${w.symbol} is a ${w.type}; surveys are made at asteroids (ASTEROID, ENGINEERED_ASTEROID).`, { waypointSymbol: w.symbol, waypointType: w.type });
  }
  requireReactorReady(u, ship);
  prune(u);
  // What these surveyors can see: the waypoint's deposits filtered by each mount's deposit list.
  const visible = new Set(surveyors.flatMap((m) => m.stats.deposits ?? []));
  const seen = (weights: Record<string, number>) => Object.fromEntries(Object.entries(weights).filter(([good]) => visible.has(good as never)));
  let weights = seen(surveyWeights(w));
  // A surveyor blind to everything here (a surveyor I at a RARE_METAL asteroid) finds its common minerals.
  if (Object.keys(weights).length === 0) weights = seen(surveyWeights({ ...w, traits: [] }));
  const count = surveyors.reduce((n, m) => n + m.stats.strength, 0);
  const surveys: S['Survey'][] = [];
  for (let i = 0; i < count; i++) surveys.push(renderSurvey(newSurvey(u, ship, weights)));
  const cooldown = startCooldown(u, ship, mountCooldownSeconds(u, surveyors));
  return ok({ cooldown, surveys }, 201);
}

function newSurvey(u: Universe, ship: ShipState, weights: Record<string, number>): SurveyState {
  const cfg = u.config.extraction;
  const r = dice(u);
  const between = ([lo, hi]: [number, number]): number => lo + Math.floor(r() * (hi - lo + 1));
  const size = pickWeighted(Object.fromEntries(SIZES.map((s) => [s, cfg.surveySizeWeights[s]])), r()) as SurveySize;
  const n = between(cfg.surveyDeposits);
  const deposits = Array.from({ length: n }, () => pickWeighted(weights, r()));
  const units = between(cfg.surveyUnits[size]);
  const expiryMinutes = cfg.surveyExpiryMinutes[0] + r() * (cfg.surveyExpiryMinutes[1] - cfg.surveyExpiryMinutes[0]);
  // dice() advanced the universe's counter: the signature is unique.
  const signature = `${ship.waypoint}-${u.state.counter.toString(16).toUpperCase().padStart(6, '0')}`;
  const expirySeconds = Math.round(expiryMinutes * 60);
  const survey: SurveyState = {
    signature,
    symbol: ship.waypoint,
    deposits,
    size,
    unitsLeft: units,
    unitsTotal: units,
    expiration: isoTime(Math.round(u.realNow() + u.time.realMsFor(expirySeconds))),
    expiresAtGameMs: u.time.gameNow() + expirySeconds * 1000,
  };
  surveysOf(u)[signature] = survey;
  return survey;
}

/**
 * The survey a request body names, checked against the one issued: 4220 when it is unknown or
 * altered, 4221 expired, 4224 exhausted (409), 4270 made at another waypoint.
 */
export function verifiedSurvey(u: Universe, ship: ShipState, body: unknown): SurveyState {
  const b = (body ?? {}) as Record<string, unknown>;
  const signature = typeof b['signature'] === 'string' ? b['signature'] : '';
  const s = surveysOf(u)[signature];
  const expiration = typeof b['expiration'] === 'string' ? Date.parse(b['expiration']) : NaN;
  if (!s) {
    if (Number.isFinite(expiration) && expiration <= u.realNow()) throw expired(signature, b['expiration'] as string);
    throw gameError(4220, `Ship extract failed. Survey ${signature || '(no signature)'} failed verification: it is not a survey this server issued.`, { signature });
  }
  if (JSON.stringify(canonical(b)) !== JSON.stringify(canonical(renderSurvey(s)))) {
    throw gameError(4220, `Ship extract failed. Survey ${signature} failed verification: its properties differ from the survey as issued; send it unchanged.`, { signature });
  }
  if (u.time.gameNow() >= s.expiresAtGameMs) throw expired(signature, s.expiration);
  if (s.unitsLeft <= 0) throw new ApiError(409, 4224, `Ship extract failed. Survey ${signature} has been exhausted.`, { signature });
  if (s.symbol !== ship.waypoint) {
    throw gameError(4270, `Ship extract failed. Survey ${signature} is for ${s.symbol}, but ship ${ship.symbol} is at ${ship.waypoint}.`, { signature, surveyWaypoint: s.symbol, waypointSymbol: ship.waypoint });
  }
  return s;
}

function expired(signature: string, expiration: string): ApiError {
  return gameError(4221, `Ship extract failed. Survey ${signature} expired at ${expiration}.`, { signature, expiration });
}

/** The survey's fields in a fixed order (a client may reorder keys; it may not change a value, the expiration string included). */
function canonical(b: Record<string, unknown>): unknown[] {
  const deposits = Array.isArray(b['deposits']) ? (b['deposits'] as unknown[]).map((d) => (d && typeof d === 'object' ? (d as Record<string, unknown>)['symbol'] : d)) : b['deposits'];
  return [b['signature'], b['symbol'], deposits, b['expiration'], b['size']];
}

export const SURVEY_OPERATIONS: Record<string, Operation> = {
  'create-survey': { auth: 'required', run: createSurvey },
};
