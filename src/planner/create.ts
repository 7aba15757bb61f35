import type { SpaceTradersClient } from '../api/client.js';
import type { Ship } from '../api/types.js';
import { systemOf } from '../api/symbols.js';
import { infeasible } from '../cli/errors.js';
import { loadSectorView } from '../routing/sector.js';
import { envelope } from '../plan/file.js';
import type { FleetShip, PlanContract, PlanFile, TaskDestination } from '../plan/types.js';
import { resolveContract } from '../contracts/resolve.js';
import { billText } from '../construction/bill.js';
import { resolveConstruction, type ResolvedConstruction } from '../construction/resolve.js';
import { loadSpec, selectFleet, type LoadedSpec } from '../spec/index.js';
import { isBillTarget } from '../spec/types.js';
import type { Store } from '../state/store.js';
import { SupplyChainGraph, type SupplyChain } from '../supply-chain/index.js';
import { buildPlanBody, type PlannerInput } from './build.js';
import { loadExtraction } from './extraction-sites.js';
import { bestBid } from './roles.js';
import { BEST_BID } from '../spec/types.js';
import { refuseBelowMinProfit } from '../pnl/min-profit.js';

/** The API calls planning makes (SpaceTradersClient satisfies it). */
export type PlanClient = Pick<
  SpaceTradersClient,
  'getStatus' | 'getAgent' | 'listShips' | 'listWaypoints' | 'getMarket' | 'getContract' | 'listContracts' | 'getWaypoint' | 'getSystem' | 'getJumpGate' | 'getConstruction'
> & { limiter?: Pick<SpaceTradersClient['limiter'], 'enabled' | 'snapshot'>; metrics?: Pick<SpaceTradersClient['metrics'], 'medianRoundTripMs'> };

export interface CreatePlanOptions {
  specFile: string;
  client: PlanClient;
  store: Store;
  supplyChain: SupplyChain;
  now: Date;
  toolVersion: string;
  /** Plan lifetime in seconds (default 2 h). */
  lifetimeSeconds?: number;
  /** Re-fetch market listings even when the cache is fresh. */
  refreshListings?: boolean;
  /** The server's time scale, rate limit and production step (src/executor/time-scale.ts detectServer): how the estimates price time. */
  server?: PlannerInput['server'];
  /** What the caller read just before (apply SPEC): not read again. */
  known?: { status?: Awaited<ReturnType<PlanClient['getStatus']>>; agent?: Awaited<ReturnType<PlanClient['getAgent']>> };
}

export interface CreatedPlan {
  plan: PlanFile;
  spec: LoadedSpec;
  /** API requests made while planning (market view and fleet). */
  requests: number;
  listingsFromCache: boolean;
}

/** A ship of the API as the plan records it. */
export function fleetShipOf(s: Ship): FleetShip {
  return {
    symbol: s.symbol,
    role: s.registration.role,
    frame: s.frame.symbol,
    cargoCapacity: s.cargo.capacity,
    fuelCapacity: s.fuel.capacity,
    speed: s.engine.speed,
    waypoint: s.nav.waypointSymbol,
    ...cargoOf(s),
  };
}

/** The hold's contents by good, sorted (absent when empty, so an empty fleet plans as before). */
function cargoOf(s: Ship): { cargo?: FleetShip['cargo'] } {
  const cargo = s.cargo.inventory
    .filter((i) => i.units > 0)
    .map((i) => ({ good: i.symbol, units: i.units }))
    .sort((a, b) => (a.good < b.good ? -1 : a.good > b.good ? 1 : 0));
  return cargo.length ? { cargo } : {};
}

/**
 * The `plan` service: loads the spec, reads the agent, fleet and markets (through the cache),
 * and builds the plan file (not written: see writePlan). `apply SPEC` calls it too.
 */
export async function createPlan(opts: CreatePlanOptions): Promise<CreatedPlan> {
  const { client, store, now } = opts;
  const loaded = loadSpec(opts.specFile, opts.supplyChain);
  const spec = loaded.spec;
  let requests = 0;
  const status = opts.known?.status ?? (await client.getStatus());
  const agent = opts.known?.agent ?? (await client.getAgent());
  const apiShips = await client.listShips();
  requests += (opts.known?.status ? 0 : 1) + (opts.known?.agent ? 0 : 1) + Math.max(1, Math.ceil(apiShips.length / 20));
  const system = spec.system ?? systemOf(agent.headquarters);

  if (!apiShips.some((s) => s.nav.systemSymbol === system) && apiShips.length) {
    const systems = [...new Set(apiShips.map((s) => s.nav.systemSymbol))].sort();
    throw infeasible(
      `None of the agent's ships is in ${system}, where the spec ${spec.name} ${isBillTarget(spec.target) ? `builds ${spec.target.construction}` : `makes ${spec.target.good}`}; they are in ${systems.join(', ')}.`,
      spec.system ? `Fly ships to ${system}, or change (or remove) the spec's system: without it the agent's headquarters system is used.` : `Fly ships to ${system} first.`,
    );
  }

  // The market view spans the systems in policy.scope that the gates link to home (src/routing).
  const graph = new SupplyChainGraph(opts.supplyChain.map);
  const inputsOf = (g: string): readonly string[] => graph.inputsOf(g);
  const loadedView = await loadSectorView({
    client,
    store,
    home: system,
    scope: spec.policy.scope,
    // A ship in transit sees no prices yet: reading its destination's market would be a wasted request.
    shipWaypoints: apiShips.filter((s) => s.nav.status !== 'IN_TRANSIT').map((s) => s.nav.waypointSymbol),
    now,
    inputsOf,
    refreshListings: opts.refreshListings,
  });
  requests += loadedView.requests;
  const view = loadedView.view;
  // Ships in home, or in a system of the view that a route reaches, may work for the plan.
  const usable = (s: Ship): boolean => s.nav.systemSymbol === system || (view.systems().includes(s.nav.systemSymbol) && !view.unreachable(s.nav.waypointSymbol));
  const inSystem = apiShips.filter(usable).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const candidates = inSystem.map(fleetShipOf);
  if (spec.fleet.kind === 'ships') {
    const elsewhere = spec.fleet.ships.filter((sym) => apiShips.some((s) => s.symbol === sym && !usable(s)));
    if (elsewhere.length) {
      throw infeasible(`The spec's ships ${elsewhere.join(', ')} are not in ${system}, where ${spec.name} is made, nor in a system its gates reach.`, 'Fly them to the system first, or remove them from fleet.ships.');
    }
  }
  // Surveyors join extraction crews without a hold (issue 14).
  const surveyors = new Set(inSystem.filter((s) => s.mounts.some((m) => m.symbol.startsWith('MOUNT_SURVEYOR'))).map((s) => s.symbol));
  const fleet = selectFleet(spec, candidates, surveyors);

  let deliver: TaskDestination;
  let target: { good: string; quantity: number };
  let contract: PlanContract | undefined;
  let construction: ResolvedConstruction | undefined;
  const t = spec.target;
  if (isBillTarget(t) || t.deliver.kind === 'construction') {
    const site = isBillTarget(t) ? t.construction : (t.deliver as { site: string }).site;
    construction = await resolveConstruction(client, system, site, isBillTarget(t) ? undefined : { good: t.good, quantity: t.quantity });
    requests += construction.requests;
    deliver = { kind: 'construction', waypoint: construction.plan.waypoint };
    // Nothing left to deliver (a complete site): the plan does nothing, and says so.
    target = construction.targets[0] ?? { good: isBillTarget(t) ? (construction.plan.materials[0]?.good ?? '') : t.good, quantity: 0 };
  } else if (t.deliver.kind === 'contract') {
    const resolved = await resolveContract(client, t.deliver.contractId, t.good, t.quantity, now);
    requests += 1;
    contract = resolved.plan;
    deliver = { kind: 'contract', contractId: resolved.contract.id, waypoint: resolved.waypoint };
    target = t;
  } else {
    deliver = t.deliver;
    target = t;
  }

  for (const s of inSystem) {
    const d = s.nav.route.destination;
    if (d.symbol === s.nav.waypointSymbol && !view.hasPosition(d.symbol)) view.addPosition(d.symbol, d.x, d.y);
  }

  // A sale by role (deliver: {sell: best-bid}): the market in scope paying most (roles.ts).
  let soldWhy: string | undefined;
  if (deliver.kind === 'sell' && deliver.waypoint === BEST_BID) {
    const from = fleet[0]?.waypoint;
    const best = bestBid(view, target.good, target.quantity, (w) => (from ? (loadedView.sector.crossing(from, w)?.antimatterCredits ?? 0) : 0));
    deliver = { kind: 'sell', waypoint: best.waypoint };
    soldWhy = best.why;
  }

  // A contract or a construction site may be a waypoint without a market: fetch its position.
  if ((deliver.kind === 'contract' || deliver.kind === 'construction') && !view.hasPosition(deliver.waypoint) && deliver.waypoint.startsWith(`${system}-`)) {
    const wp = await client.getWaypoint(system, deliver.waypoint);
    requests += 1;
    view.addPosition(wp.symbol, wp.x, wp.y);
  }

  // Extraction (issue 14): the fleet's mining and siphon equipment and the system's sites.
  const fleetShips = apiShips.filter((s) => fleet.some((f) => f.symbol === s.symbol));
  const loadedSites = await loadExtraction({ client, store, system, ships: fleetShips, view, now, refresh: opts.refreshListings });
  requests += loadedSites.requests;

  const body = buildPlanBody({
    spec: { name: spec.name, system, target: { good: target.good, quantity: target.quantity, deliver }, policy: spec.policy, ...(spec.fleet.kind === 'select' ? { fleet: spec.fleet } : {}) },
    lineage: { agentSymbol: agent.symbol, resetDate: status.resetDate },
    specHash: loaded.hash,
    supplyChainHash: opts.supplyChain.hash,
    fleet,
    view,
    inputsOf,
    agentCredits: agent.credits,
    contract,
    ...(loadedSites.extraction ? { extraction: loadedSites.extraction } : {}),
    ...(view.links ? { sector: { crossings: loadedView.sector, plan: loadedView.sector.toPlan(loadedView.scope) } } : {}),
    ...(construction ? { construction: construction.plan, otherTargets: construction.targets.slice(1), targetNote: construction.targets[0]?.note ?? completeNote(construction) } : {}),
    ...(opts.server ? { server: { ...opts.server, ...measuredPacing(opts.client) } } : {}),
  });
  refuseBelowMinProfit(body);
  if (soldWhy) body.decisions.reason += `; ${soldWhy}`;
  const plan = envelope(body, { now, toolVersion: opts.toolVersion, lifetimeSeconds: opts.lifetimeSeconds });
  return { plan, spec: loaded, requests, listingsFromCache: loadedView.listingsFromCache };
}

/**
 * What planning measured of the server for the estimates: the burst pool its own reads left
 * (apply, run next, starts with that) and the median round trip of its requests.
 */
function measuredPacing(client: PlanClient): { burstLeft?: number; roundTripSeconds?: number } {
  const rtt = client.metrics?.medianRoundTripMs();
  return {
    ...(client.limiter?.enabled ? { burstLeft: client.limiter.snapshot().burstRemaining } : {}),
    ...(rtt !== undefined ? { roundTripSeconds: rtt / 1000 } : {}),
  };
}

/** Why a construction plan has nothing to deliver (undefined when it has). */
function completeNote(c: ResolvedConstruction): string | undefined {
  if (c.targets.length) return undefined;
  return c.plan.isComplete ? `the construction at ${c.plan.waypoint} is complete (${billText(c.plan.materials)})` : `the construction at ${c.plan.waypoint} needs none of it (${billText(c.plan.materials)})`;
}
