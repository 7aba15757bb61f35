import type { SpaceTradersClient } from '../api/client.js';
import { GameError } from '../api/errors.js';
import { systemOfKnown } from '../api/symbols.js';
import type { Store } from '../state/store.js';
import { GateGraph, type GateNode } from './graph.js';

/** The part of the API client the gate graph needs. */
export type GateClient = Pick<SpaceTradersClient, 'getSystem' | 'listWaypoints' | 'getJumpGate' | 'getConstruction'>;

/** The store namespace of the gate cache (one record per system). */
export const GATE_NAMESPACE = 'gates';

/**
 * A built, charted gate's record is trusted this long (connections only change with a reset). An
 * unbuilt gate's construction is re-read at every plan (one public request: someone, maybe our
 * own apply, may have finished it), unless it connects nowhere; an uncharted gate's connections
 * after UNCHARTED_GATE_MAX_AGE_SECONDS.
 */
export const GATE_MAX_AGE_SECONDS = 24 * 3600;
export const UNCHARTED_GATE_MAX_AGE_SECONDS = 15 * 60;

/** Jumps from home the market view spans by default (ACD's strict pathfinder caps at 5; BEYOND.md a.2). */
export const DEFAULT_MAX_JUMPS = 3;

export interface Scope {
  /** Systems allowed besides home (absent: any). */
  systems?: readonly string[];
  maxJumps: number;
}

export interface LoadGateGraphOptions {
  client: GateClient;
  store: Store;
  home: string;
  scope: Scope;
  now: Date;
  /** Systems where one of our ships is now: their gate can be read even when uncharted. */
  shipSystems?: readonly string[];
  /** Re-read every gate, whatever the cache holds. */
  refresh?: boolean;
}

export interface LoadedGateGraph {
  graph: GateGraph;
  /** Systems within scope, by jumps from home over known connections (built or not), home first. */
  inScope: Array<{ system: string; jumps: number }>;
  requests: number;
}

const ageSeconds = (now: Date, at: string): number => (now.getTime() - Date.parse(at)) / 1000;

/** 400 from GET …/jump-gate: the gate is uncharted and none of our ships is there (BEYOND.md a.2). */
function isUnreadable(e: unknown): boolean {
  return e instanceof GameError && e.status === 400;
}

/** Reads one system's gate: its waypoint, coordinates, connections (if readable) and build state. */
async function readGate(client: GateClient, system: string, now: Date): Promise<{ node?: GateNode; requests: number }> {
  let requests = 1;
  const [wp] = await client.listWaypoints(system, { type: 'JUMP_GATE' });
  if (!wp) return { requests };
  const sys = await client.getSystem(system);
  requests += 1;
  let connections: string[] | undefined;
  try {
    requests += 1;
    connections = [...(await client.getJumpGate(system, wp.symbol)).connections].sort();
  } catch (e) {
    if (!isUnreadable(e)) throw e;
  }
  const charted = !wp.traits.some((t) => t.symbol === 'UNCHARTED');
  const built = !wp.isUnderConstruction;
  let construction: string | undefined;
  if (!built) {
    requests += 1;
    construction = (await constructionOf(client, system, wp.symbol)).construction;
  }
  return {
    node: { system, gate: wp.symbol, x: sys.x, y: sys.y, position: { x: wp.x, y: wp.y }, built, charted, ...(connections ? { connections } : {}), ...(construction ? { construction } : {}), readAt: now.toISOString() },
    requests,
  };
}

function fresh(n: GateNode, now: Date, shipHere: boolean): boolean {
  if (shipHere && !n.connections) return false; // a ship there can read what was unreadable
  return ageSeconds(now, n.readAt) <= (n.connections ? GATE_MAX_AGE_SECONDS : UNCHARTED_GATE_MAX_AGE_SECONDS);
}

/** An unbuilt gate's bill, e.g. "FAB_MATS 0/1600, ADVANCED_CIRCUITRY 0/400" (what is still missing). */
async function constructionOf(client: GateClient, system: string, gate: string): Promise<{ built: boolean; construction?: string }> {
  const c = await client.getConstruction(system, gate);
  const missing = c.materials.filter((m) => m.fulfilled < m.required).map((m) => `${m.tradeSymbol} ${m.fulfilled}/${m.required}`).join(', ');
  return c.isComplete ? { built: true } : { built: false, construction: missing };
}

/**
 * The gate graph around `home`, breadth first over the connections read so far, out to
 * `scope.maxJumps` jumps and only into `scope.systems` (when given). Unbuilt gates are part of it
 * (the plan says why a system behind one is out of reach); what lies beyond an unreadable gate is
 * known only through the gates that list it. Each gate comes from the store when young enough,
 * else from the API (then cached with the time it was read).
 */
export async function loadGateGraph(opts: LoadGateGraphOptions): Promise<LoadedGateGraph> {
  const { client, store, home, scope, now } = opts;
  const kv = store.namespace(GATE_NAMESPACE);
  const allowed = (s: string): boolean => s === home || !scope.systems || scope.systems.includes(s);
  const shipSystems = new Set(opts.shipSystems ?? []);
  const nodes = new Map<string, GateNode>();
  const inScope: Array<{ system: string; jumps: number }> = [];
  let requests = 0;
  const get = async (system: string): Promise<GateNode | undefined> => {
    const cached = opts.refresh ? undefined : ((await kv.get(system)) as GateNode | undefined);
    if (cached && fresh(cached, now, shipSystems.has(system))) {
      // A gate with no connections (a one-system world) leads nowhere, built or not: not re-read.
      if (cached.built || cached.connections?.length === 0) return cached;
      requests += 1;
      const { construction: _old, ...rest } = cached;
      const node: GateNode = { ...rest, ...(await constructionOf(client, system, cached.gate)), readAt: now.toISOString() };
      await kv.set(system, node);
      return node;
    }
    const read = await readGate(client, system, now);
    requests += read.requests;
    if (read.node) await kv.set(system, read.node);
    return read.node;
  };

  let frontier = [home];
  const seen = new Set([home]);
  for (let jumps = 0; frontier.length && jumps <= scope.maxJumps; jumps++) {
    const next: string[] = [];
    for (const system of frontier) {
      const node = await get(system);
      if (!node) continue;
      nodes.set(system, node);
      inScope.push({ system, jumps });
      if (jumps === scope.maxJumps) continue;
      // Past an unbuilt gate nothing is reachable through it, so its neighbours are not explored
      // from it; but home's are, so that a plan can say what its unbuilt gate keeps out of reach.
      if (!node.built && system !== home) continue;
      for (const c of node.connections ?? []) {
        const s = systemOfKnown(c);
        if (seen.has(s) || !allowed(s)) continue;
        seen.add(s);
        next.push(s);
      }
    }
    frontier = next.sort();
  }
  return { graph: new GateGraph(home, [...nodes.values()]), inScope, requests };
}
