import type { WorldDefinition } from './types.js';
export function generateWorld(seed: number): WorldDefinition {
  throw new Error(`generator not ready (seed ${seed})`);
}
