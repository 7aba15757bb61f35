/**
 * What an extraction yields, by the waypoint's traits: the tables are the game's
 * (src/game/extraction.ts, shared with the planner); these take a world waypoint.
 */
import { gasWeights as gasByTraits, mineralWeights as mineralByTraits, surveyWeights as surveyByTraits, type Weights } from '../../game/extraction.js';
import type { WorldWaypoint } from '../world/types.js';

export { EXTRACTABLE_TYPES, pickWeighted, type Weights } from '../../game/extraction.js';

/** The laser yield table of an extractable waypoint. */
export function mineralWeights(w: Pick<WorldWaypoint, 'traits'>): Weights {
  return mineralByTraits(w.traits);
}

/** What a survey can list: the laser table plus DIAMONDS wherever PRECIOUS_STONES lie. */
export function surveyWeights(w: Pick<WorldWaypoint, 'traits'>): Weights {
  return surveyByTraits(w.traits);
}

export function gasWeights(w: Pick<WorldWaypoint, 'traits'>): Weights {
  return gasByTraits(w.traits);
}
