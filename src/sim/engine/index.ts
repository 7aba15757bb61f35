/**
 * The simulator's game engine: a Universe answers API operations (by the official spec's
 * operationId) with exactly the JSON bodies the real API returns. The HTTP layer (src/sim/http)
 * parses requests into EngineRequests and writes EngineResponses back; it adds rate limiting and
 * faults. The engine holds no timers: everything that changes with time (arrivals, production,
 * price recovery) is computed lazily from the SimClock when touched.
 */
export type { SimClock } from './clock.js';
export { ManualClock, systemClock } from './clock.js';
export type { SimConfig, ShipSpec } from './config.js';
export { DEFAULT_SIM_CONFIG } from './config.js';
export { Universe, SIM_ACCOUNT_TOKEN } from './universe.js';
export type { EngineRequest, EngineResponse } from './types.js';
export { loadWorld } from '../world/load.js';
export type { WorldDefinition } from '../world/types.js';
export type { ExtractionConfig } from './extraction-config.js';
export { DEFAULT_EXTRACTION_CONFIG } from './extraction-config.js';
