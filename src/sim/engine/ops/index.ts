/** The operation table: operationId → handler. */
import type { Operation } from './common.js';
import { AGENT_OPERATIONS } from './agents.js';
import { SYSTEM_OPERATIONS } from './systems.js';
import { MARKET_OPERATIONS } from './markets.js';
import { SHIP_OPERATIONS } from './ships.js';
import { CONTRACT_OPERATIONS } from './contracts.js';
import { GATE_OPERATIONS } from './gates.js';
import { CONSTRUCTION_OPERATIONS } from './construction.js';
import { EXTRACTION_OPERATIONS } from './extraction.js';
import { SURVEY_OPERATIONS } from './surveys.js';

export type { Operation } from './common.js';

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  ...AGENT_OPERATIONS,
  ...SYSTEM_OPERATIONS,
  ...MARKET_OPERATIONS,
  ...SHIP_OPERATIONS,
  ...CONTRACT_OPERATIONS,
  ...GATE_OPERATIONS,
  ...CONSTRUCTION_OPERATIONS,
  ...EXTRACTION_OPERATIONS,
  ...SURVEY_OPERATIONS,
};
