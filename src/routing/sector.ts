import { systemOf } from '../api/symbols.js';
import { estimateQuote } from '../market/estimate.js';
import { loadMarketView, type MarketClient } from '../market/load.js';
import { MarketView, type SectorLinks } from '../market/view.js';
import type { PlanSector, RouteJump } from '../plan/types.js';
import type { Store } from '../state/store.js';
import type { GateGraph, Hop } from './graph.js';
import { DEFAULT_MAX_JUMPS, loadGateGraph, type GateClient, type Scope } from './load.js';

/** The route between two waypoints of different systems, as the planner prices it. */
export interface Crossing {
  /** In-system flights: start → its gate, then each arrival gate → the next jump's gate (same waypoint, skipped), last gate → end. */
  legs: Array<{ from: string; to: string }>;
  jumps: RouteJump[];
  /** Credits of the jumps: one ANTIMATTER at each origin gate's ask. */
  antimatterCredits: number;
  /** Reactor cooldown waits between chained jumps (the last jump's does not block flying on). */
  waitSeconds: number;
}

/**
 * The sector as the planner sees it: the gate graph plus the market view it links. Gives the
 * MarketView its cross-system distances (SectorLinks) and prices a crossing: the jumps, the
 * antimatter at each origin gate's ask (observed, else estimated and marked so), the cooldown
 * waits. Routes are computed once per pair of systems.
 */
export class Sector implements SectorLinks {
  readonly #routes = new Map<string, Hop[] | undefined>();
  #view?: MarketView;

  constructor(readonly graph: GateGraph) {}

  attach(view: MarketView): void {
    this.#view = view;
    view.links = this;
    for (const n of this.graph.nodes()) if (!view.hasPosition(n.gate)) view.addPosition(n.gate, n.position.x, n.position.y);
  }

  hops(fromSystem: string, toSystem: string): Hop[] | undefined {
    const key = `${fromSystem}>${toSystem}`;
    if (!this.#routes.has(key)) this.#routes.set(key, this.graph.route(fromSystem, toSystem));
    return this.#routes.get(key);
  }

  legs(a: string, b: string): Array<{ from: string; to: string }> | undefined {
    return this.crossing(a, b)?.legs;
  }

  unreachable(waypoint: string): string | undefined {
    const s = systemOf(waypoint);
    if (s === this.graph.home || this.hops(this.graph.home, s)) return undefined;
    return `${s} cannot be reached: ${this.graph.whyUnreachable(this.graph.home, s)}`;
  }

  /** The route from waypoint a to waypoint b when they are in different systems (undefined: same system, or no route). */
  crossing(a: string, b: string): Crossing | undefined {
    const sa = systemOf(a);
    const sb = systemOf(b);
    if (sa === sb) return undefined;
    const hops = this.hops(sa, sb);
    if (!hops || hops.length === 0) return undefined;
    const legs: Array<{ from: string; to: string }> = [];
    if (a !== hops[0]!.from) legs.push({ from: a, to: hops[0]!.from });
    const last = hops[hops.length - 1]!.to;
    if (last !== b) legs.push({ from: last, to: b });
    const jumps = hops.map((h) => ({ ...h, ...this.antimatter(h.from) }));
    return {
      legs,
      jumps,
      antimatterCredits: jumps.reduce((acc, j) => acc + j.antimatter, 0),
      waitSeconds: hops.slice(0, -1).reduce((acc, h) => acc + h.cooldownSeconds, 0),
    };
  }

  /** One ANTIMATTER at the gate's market: its ask, observed when a ship has seen it. */
  antimatter(gate: string): { antimatter: number; estimated?: true } {
    const q = this.#view?.quote(gate, 'ANTIMATTER');
    if (q && !q.estimated) return { antimatter: q.purchasePrice };
    return { antimatter: q?.purchasePrice ?? estimateQuote('ANTIMATTER', 'EXCHANGE').purchasePrice, estimated: true };
  }

  /** What the plan records of the sector: scope and every gate it knows (the graph apply routes on). */
  toPlan(scope: Scope): PlanSector {
    return {
      home: this.graph.home,
      scope: { maxJumps: scope.maxJumps, ...(scope.systems ? { systems: [...scope.systems].sort() } : {}) },
      gates: this.graph.nodes().map((n) => ({
        system: n.system,
        gate: n.gate,
        x: n.x,
        y: n.y,
        position: n.position,
        built: n.built,
        charted: n.charted,
        ...(n.connections ? { connections: n.connections } : {}),
        ...(n.construction ? { construction: n.construction } : {}),
        readAt: n.readAt,
      })),
    };
  }
}

export interface LoadSectorViewOptions {
  client: MarketClient & GateClient;
  store: Store;
  home: string;
  scope?: Partial<Scope>;
  /** Where our ships are now (their markets are read fresh; their gates can be read uncharted). */
  shipWaypoints: readonly string[];
  now: Date;
  inputsOf?: (good: string) => readonly string[];
  refreshListings?: boolean;
}

export interface LoadedSectorView {
  view: MarketView;
  sector: Sector;
  scope: Scope;
  requests: number;
  listingsFromCache: boolean;
}

/**
 * The market view of every system in scope (src/market loadMarketView per system, through its
 * cache), merged into one MarketView whose home is `home`, linked by the gate graph. With no
 * gate connections (a one-system world) it is the home system's view, as before.
 */
export async function loadSectorView(opts: LoadSectorViewOptions): Promise<LoadedSectorView> {
  const scope: Scope = { maxJumps: opts.scope?.maxJumps ?? DEFAULT_MAX_JUMPS, ...(opts.scope?.systems ? { systems: opts.scope.systems } : {}) };
  const shipSystems = [...new Set(opts.shipWaypoints.map(systemOf))];
  const gates = await loadGateGraph({ client: opts.client, store: opts.store, home: opts.home, scope, now: opts.now, shipSystems, refresh: opts.refreshListings });
  let requests = gates.requests;
  let fromCache = true;
  const systems = gates.inScope.length ? gates.inScope.map((s) => s.system) : [opts.home];
  const views: MarketView[] = [];
  for (const system of systems) {
    const loaded = await loadMarketView({
      client: opts.client,
      store: opts.store,
      system,
      shipWaypoints: opts.shipWaypoints.filter((w) => systemOf(w) === system),
      now: opts.now,
      inputsOf: opts.inputsOf,
      refreshListings: opts.refreshListings,
    });
    requests += loaded.requests;
    fromCache &&= loaded.listingsFromCache;
    views.push(loaded.view);
  }
  const view =
    views.length === 1
      ? views[0]!
      : new MarketView({
          system: opts.home,
          listings: views.flatMap((v) => v.listings()),
          observations: views.flatMap((v) => v.observations()),
          now: opts.now,
          inputsOf: opts.inputsOf,
        });
  const sector = new Sector(gates.graph);
  if (views.length > 1) sector.attach(view);
  return { view, sector, scope, requests, listingsFromCache: fromCache };
}
