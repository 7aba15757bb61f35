/**
 * The sector builder: grows a one-system world (generated, or a capture such as X1-AD75) into a
 * sector of N systems joined by jump gates, shaped like the real game (BEYOND.md a.2, a.3):
 *
 * - one JUMP_GATE per system; the gate graph is connected, each gate has 2–6 connections (a
 *   Euclidean minimum spanning tree plus nearest neighbours), and connections are listed even
 *   when the far gate is unbuilt;
 * - the home gate starts UNDER_CONSTRUCTION with the real bill (HOME_GATE_BILL); about a quarter of
 *   the other gates too (never a core system's, never the home's nearest neighbour, never one
 *   whose closure would cut the built gates apart), so at least one gate next to home is unbuilt;
 * - the other systems are generated starting-like systems (raw and basic goods); a few *core*
 *   systems also hold every optional factory and the sector's advanced goods (ship modules,
 *   mounts, ships, weapons, exotic goods), so every good of the supply chain is exported somewhere;
 * - gates in other systems start UNCHARTED (their connections are unreadable without a ship there
 *   until someone charts them); every gate has a market with FUEL and ANTIMATTER (the generator's).
 *
 * Same home, seed and N → same sector.
 */
import { EXPORT_TO_IMPORT_MAP } from './export-to-import-map.js';
import { CORE_TEMPLATES, OPTIONAL_TEMPLATES, generateWorld, type Template } from './generate.js';
import type { TradeSymbol, WorldConstructionMaterial, WorldDefinition, WorldJumpGate, WorldSectorSystem, WorldWaypoint } from './types.js';
import { prng } from '../random.js';

/** The bill of every starting gate seen live (BEYOND.md a.3: X1-AD75 2025-04, X1-PZ28/VB74/AF2 2026-07). */
export const HOME_GATE_BILL: readonly WorldConstructionMaterial[] = [
  { tradeSymbol: 'FAB_MATS', required: 1600, fulfilled: 0 },
  { tradeSymbol: 'ADVANCED_CIRCUITRY', required: 400, fulfilled: 0 },
  { tradeSymbol: 'QUANTUM_STABILIZERS', required: 1, fulfilled: 1 },
];

export const DEFAULT_SECTOR_SYSTEMS = 12;

export interface SectorOptions {
  /** Systems in the sector, the home one included (≥ 1; 1 returns the home world unchanged). */
  systems: number;
  seed: number;
}

/** The gates of any world: a sector's list, or a one-system world's gate with no connections, under construction. */
export function jumpGatesOf(world: WorldDefinition): WorldJumpGate[] {
  if (world.sector) return world.sector.jumpGates;
  return world.waypoints
    .filter((w) => w.type === 'JUMP_GATE')
    .map((w) => ({ symbol: w.symbol, connections: [], construction: HOME_GATE_BILL.map((m) => ({ ...m })) }));
}

/** Every system of a world, the home one first. */
export function systemsOf(world: WorldDefinition): WorldSectorSystem[] {
  return [{ system: world.system, waypoints: world.waypoints, markets: world.markets, shipyards: world.shipyards }, ...(world.sector?.systems ?? [])];
}

/** Goods of the supply chain that no generated starting system exports: the core systems' advanced factories. */
function advancedTemplates(): Template[] {
  const basic = new Set([...CORE_TEMPLATES, ...OPTIONAL_TEMPLATES].flatMap((t) => t.exports));
  const key = (g: string): string => `${[...(EXPORT_TO_IMPORT_MAP[g] ?? [])].sort().join('+')} ${g}`;
  const rest = Object.keys(EXPORT_TO_IMPORT_MAP)
    .filter((g) => !basic.has(g as TradeSymbol))
    .map((g) => [key(g), g] as const)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => g);
  // Three goods per factory, grouped by their inputs so a factory imports few goods.
  const out: Template[] = [];
  for (let i = 0; i < rest.length; i += 3) out.push({ kind: 'industry', exports: rest.slice(i, i + 3) as TradeSymbol[] });
  return out;
}

export function buildSector(home: WorldDefinition, opts: SectorOptions): WorldDefinition {
  const n = Math.floor(opts.systems);
  if (!(n >= 1)) throw new Error(`a sector needs at least 1 system, got ${String(opts.systems)}`);
  if (home.sector) throw new Error('the world is already a sector');
  if (n === 1) return home;
  const homeGate = home.waypoints.find((w) => w.type === 'JUMP_GATE');
  if (!homeGate) throw new Error(`the home system ${home.system.symbol} has no JUMP_GATE waypoint`);
  const rnd = prng((opts.seed * 2654435761) ^ 0x5ec7);
  const L = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  // ---- systems: unique symbols, positions in a disc around home at least 400 apart ----
  const symbols = new Set([home.system.symbol]);
  const positions = [{ x: home.system.x, y: home.system.y }];
  const radius = 900 * Math.sqrt(n);
  while (positions.length < n) {
    let symbol: string;
    do symbol = `X1-${pick(L)}${pick(L)}${10 + Math.floor(rnd() * 90)}`;
    while (symbols.has(symbol));
    let p: { x: number; y: number };
    let tries = 0;
    do {
      const r = radius * Math.sqrt(rnd());
      const a = rnd() * 2 * Math.PI;
      p = { x: Math.round(home.system.x + r * Math.cos(a)), y: Math.round(home.system.y + r * Math.sin(a)) };
    } while (tries++ < 50 && positions.some((q) => Math.hypot(q.x - p.x, q.y - p.y) < 400));
    symbols.add(symbol);
    positions.push(p);
  }
  const names = [home.system.symbol, ...[...symbols].slice(1)];

  // ---- gate graph: minimum spanning tree, then nearest neighbours up to 2–4 links (max 6) ----
  const d = (i: number, j: number): number => Math.hypot(positions[i]!.x - positions[j]!.x, positions[i]!.y - positions[j]!.y);
  const links: Set<number>[] = names.map(() => new Set<number>());
  const link = (i: number, j: number): void => {
    links[i]!.add(j);
    links[j]!.add(i);
  };
  const inTree = new Set([0]);
  while (inTree.size < n) {
    let best: [number, number] | undefined;
    for (const i of inTree) for (let j = 0; j < n; j++) if (!inTree.has(j) && (!best || d(i, j) < d(best[0], best[1]))) best = [i, j];
    link(best![0], best![1]);
    inTree.add(best![1]);
  }
  for (let i = 0; i < n; i++) {
    const want = i === 0 ? Math.min(5, n - 1) : 2 + Math.floor(rnd() * 3);
    const near = [...Array(n).keys()].filter((j) => j !== i).sort((a, b) => d(i, a) - d(i, b));
    for (const j of near) {
      if (links[i]!.size >= Math.min(want, 6)) break;
      if (!links[i]!.has(j) && links[j]!.size < 6) link(i, j);
    }
  }

  // ---- core systems (advanced goods) and unbuilt gates ----
  const others = [...Array(n).keys()].slice(1);
  const nearestToHome = [...links[0]!].sort((a, b) => d(0, a) - d(0, b))[0]!;
  const coreCount = Math.max(1, Math.round((n - 1) / 4));
  const core = new Set([nearestToHome, ...others.filter((i) => i !== nearestToHome).sort(() => rnd() - 0.5)].slice(0, coreCount));
  const unbuilt = new Set<number>([0]);
  const builtConnected = (): boolean => {
    const built = others.filter((i) => !unbuilt.has(i));
    if (built.length === 0) return true;
    const seen = new Set([built[0]!]);
    const todo = [built[0]!];
    while (todo.length) for (const j of links[todo.pop()!]!) if (!unbuilt.has(j) && !seen.has(j)) seen.add(j), todo.push(j);
    // Home (unbuilt only until its construction completes) joins the built part through its links.
    return seen.size === built.length;
  };
  const candidates = others.filter((i) => !core.has(i) && i !== nearestToHome);
  const homeUnbuilt = candidates.filter((i) => links[0]!.has(i));
  const order = [...homeUnbuilt.slice(0, 1), ...candidates.filter((i) => i !== homeUnbuilt[0]).sort(() => rnd() - 0.5)];
  const quota = Math.max(homeUnbuilt.length > 0 ? 1 : 0, Math.round((n - 1) / 4));
  for (const i of order) {
    if (unbuilt.size - 1 >= quota) break;
    unbuilt.add(i);
    if (!builtConnected()) unbuilt.delete(i);
  }

  // ---- the other systems' contents ----
  const advanced = advancedTemplates();
  const coreList = [...core];
  const systems: WorldSectorSystem[] = [];
  const gateOf = new Map<number, string>([[0, homeGate.symbol]]);
  for (let i = 1; i < n; i++) {
    const k = coreList.indexOf(i);
    const extra = k < 0 ? [] : advanced.filter((_, t) => t % coreList.length === k);
    const w = generateWorld(opts.seed * 1000 + i, { symbol: names[i]!, position: positions[i]!, allOptional: k >= 0, extraFactories: extra });
    const gate = w.waypoints.find((p) => p.type === 'JUMP_GATE')!;
    gate.traits = gate.traits.filter((t) => t !== 'UNDER_CONSTRUCTION');
    gate.traits.push('UNCHARTED');
    gate.isUnderConstruction = unbuilt.has(i);
    if (unbuilt.has(i)) gate.traits.push('UNDER_CONSTRUCTION');
    gateOf.set(i, gate.symbol);
    systems.push({ system: w.system, waypoints: w.waypoints, markets: w.markets, shipyards: w.shipyards });
  }
  const homeWaypoints: WorldWaypoint[] = home.waypoints.map((w) =>
    w.symbol === homeGate.symbol
      ? { ...w, isUnderConstruction: true, traits: [...w.traits.filter((t) => t !== 'UNDER_CONSTRUCTION'), 'UNDER_CONSTRUCTION'] }
      : w,
  );
  const jumpGates: WorldJumpGate[] = names.map((_, i) => {
    const gate: WorldJumpGate = { symbol: gateOf.get(i)!, connections: [...links[i]!].sort((a, b) => d(i, a) - d(i, b)).map((j) => gateOf.get(j)!) };
    if (unbuilt.has(i)) gate.construction = HOME_GATE_BILL.map((m) => ({ ...m }));
    return gate;
  });
  return {
    ...home,
    source: `${home.source}; sector of ${n} systems, seed ${opts.seed}`,
    waypoints: homeWaypoints,
    sector: { systems, jumpGates },
  };
}
