/** Loading and checking world definitions. */
import { readFileSync } from 'node:fs';
import { generateWorld } from './generate.js';
import { WORLD_FORMAT_VERSION, type WorldDefinition } from './types.js';

/**
 * 'generated' → the seeded generator (seed defaults to 1); anything else is a path to a world
 * file (e.g. worlds/X1-AD75.json).
 */
export function loadWorld(spec: 'generated' | string, seed?: number): WorldDefinition {
  if (spec === 'generated') return generateWorld(seed ?? 1);
  let text: string;
  try {
    text = readFileSync(spec, 'utf8');
  } catch (e) {
    throw new Error(`cannot read world file ${spec}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`world file ${spec} is not valid JSON: ${(e as Error).message}`);
  }
  validateWorld(json, spec);
  return json;
}

/** Throws an Error naming the first problem when `world` is not a usable world definition. */
export function validateWorld(world: unknown, where = 'world'): asserts world is WorldDefinition {
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  if (!world || typeof world !== 'object') fail('not an object');
  const w = world as Partial<WorldDefinition>;
  if (w.formatVersion !== WORLD_FORMAT_VERSION) fail(`formatVersion must be ${WORLD_FORMAT_VERSION}, got ${String(w.formatVersion)}`);
  if (!w.system || typeof w.system.symbol !== 'string') fail('system.symbol missing');
  if (!Array.isArray(w.waypoints) || w.waypoints.length === 0) fail('waypoints missing');
  if (!Array.isArray(w.markets) || !Array.isArray(w.shipyards)) fail('markets or shipyards missing');
  if (!w.exportToImportMap || typeof w.exportToImportMap !== 'object') fail('exportToImportMap missing');
  const symbols = new Set(w.waypoints!.map((p) => p.symbol));
  if (!w.headquarters || !symbols.has(w.headquarters)) fail(`headquarters ${String(w.headquarters)} is not a waypoint`);
  for (const p of w.waypoints!) {
    if (!p.symbol.startsWith(`${w.system!.symbol}-`)) fail(`waypoint ${p.symbol} is not in system ${w.system!.symbol}`);
    if (p.orbits && !symbols.has(p.orbits)) fail(`waypoint ${p.symbol} orbits unknown ${p.orbits}`);
  }
  for (const m of w.markets!) {
    if (!symbols.has(m.symbol)) fail(`market ${m.symbol} is not a waypoint`);
    for (const g of m.goods) {
      if (!(g.tradeVolume >= 1) || !(g.sellPrice >= 1)) fail(`market ${m.symbol} good ${g.symbol}: tradeVolume and sellPrice must be ≥ 1`);
    }
  }
  for (const s of w.shipyards!) if (!symbols.has(s.symbol)) fail(`shipyard ${s.symbol} is not a waypoint`);
}
