/** Loading and checking world definitions. */
import { readFileSync } from 'node:fs';
import { generateWorld } from './generate.js';
import { DEFAULT_SECTOR_SYSTEMS, buildSector, jumpGatesOf } from './sector.js';
import { WORLD_FORMAT_VERSION, systemOfWaypoint, type WorldDefinition } from './types.js';

/**
 * 'generated' → the seeded generator (seed defaults to 1), one system; 'sector' → a generated home
 * grown into a sector of `systems` systems (default 12); anything else is a path to a world file
 * (e.g. worlds/X1-AD75.json), one system or a sector. `systems` > 1 grows a one-system world into
 * a sector around it (the home can be a capture).
 */
export function loadWorld(spec: 'generated' | 'sector' | string, seed?: number, systems?: number): WorldDefinition {
  const s = seed ?? 1;
  if (spec === 'generated' || spec === 'sector') {
    const home = generateWorld(s);
    const n = systems ?? (spec === 'sector' ? DEFAULT_SECTOR_SYSTEMS : 1);
    return n > 1 ? buildSector(home, { systems: n, seed: s }) : home;
  }
  const world = readWorldFile(spec);
  if (systems !== undefined && systems > 1 && !world.sector) return buildSector(world, { systems, seed: s });
  return world;
}

function readWorldFile(spec: string): WorldDefinition {
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
  if (w.sector !== undefined) validateSector(w as WorldDefinition, fail);
}

function validateSector(w: WorldDefinition, fail: (msg: string) => never): void {
  const sector = w.sector!;
  if (!Array.isArray(sector.systems) || !Array.isArray(sector.jumpGates)) fail('sector.systems and sector.jumpGates must be arrays');
  const systems = new Set([w.system.symbol]);
  const all = new Map<string, string>();
  for (const p of w.waypoints) all.set(p.symbol, p.type);
  for (const s of sector.systems) {
    if (!s?.system || typeof s.system.symbol !== 'string') fail('a sector system has no system.symbol');
    if (systems.has(s.system.symbol)) fail(`system ${s.system.symbol} appears twice`);
    systems.add(s.system.symbol);
    if (!Array.isArray(s.waypoints) || !Array.isArray(s.markets) || !Array.isArray(s.shipyards)) fail(`system ${s.system.symbol}: waypoints, markets and shipyards must be arrays`);
    const own = new Set(s.waypoints.map((p) => p.symbol));
    for (const p of s.waypoints) {
      if (systemOfWaypoint(p.symbol) !== s.system.symbol) fail(`waypoint ${p.symbol} is not in system ${s.system.symbol}`);
      if (p.orbits && !own.has(p.orbits)) fail(`waypoint ${p.symbol} orbits unknown ${p.orbits}`);
      all.set(p.symbol, p.type);
    }
    for (const m of s.markets) {
      if (!own.has(m.symbol)) fail(`market ${m.symbol} is not a waypoint of ${s.system.symbol}`);
      for (const g of m.goods) if (!(g.tradeVolume >= 1) || !(g.sellPrice >= 1)) fail(`market ${m.symbol} good ${g.symbol}: tradeVolume and sellPrice must be ≥ 1`);
    }
    for (const y of s.shipyards) if (!own.has(y.symbol)) fail(`shipyard ${y.symbol} is not a waypoint of ${s.system.symbol}`);
  }
  const gates = new Set<string>();
  for (const g of jumpGatesOf(w)) {
    if (all.get(g.symbol) !== 'JUMP_GATE') fail(`jump gate ${g.symbol} is not a JUMP_GATE waypoint`);
    gates.add(g.symbol);
  }
  for (const g of jumpGatesOf(w)) {
    for (const c of g.connections) {
      if (!gates.has(c)) fail(`jump gate ${g.symbol} connects to ${c}, which is not a jump gate of the sector`);
      if (systemOfWaypoint(c) === systemOfWaypoint(g.symbol)) fail(`jump gate ${g.symbol} connects to a gate of its own system`);
    }
    for (const m of g.construction ?? []) if (!(m.required >= 1) || !(m.fulfilled >= 0) || m.fulfilled > m.required) fail(`jump gate ${g.symbol}: material ${m.tradeSymbol} needs 0 ≤ fulfilled ≤ required, required ≥ 1`);
  }
}
