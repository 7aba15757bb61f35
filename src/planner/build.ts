import { infeasible, invalidInput } from '../cli/errors.js';
import type { MarketView } from '../market/view.js';
import {
  PLAN_FORMAT_VERSION,
  type DecisionNode,
  type FleetShip,
  type PlanBody,
  type PlanSector,
  type Task,
} from '../plan/types.js';
import { CargoPool } from './cargo.js';
import { DEFAULT_FUEL_PRICE } from './constants.js';
import { NotObtainable, decide, where, type DecideContext, type Decided } from './decide.js';
import { evaluateExtract, type ExtractionInput } from './extraction.js';
import { median } from './pricing.js';
import { bestSchedule, requestLatency } from './makespan.js';
import { REAL_PACING, criticalPath, pacedFloorSeconds, secondsPerRequest, type Crossings, type DraftTask, type Pacing } from './schedule.js';
import { aboardDraft, draftTasks } from './tasks.js';

export interface PlannerInput {
  spec: PlanBody['spec'];
  lineage: PlanBody['lineage'];
  specHash: string;
  supplyChainHash: string;
  fleet: FleetShip[];
  view: MarketView;
  inputsOf: (good: string) => readonly string[];
  /** The agent's credits now: the budget is min(maxCredits, credits − reserveCredits). */
  agentCredits: number;
  /** The contract the target goes to (deliver: contract), as read when planning. */
  contract?: PlanBody['contract'];
  /** (issue 14) The system's asteroids and gas giants and the fleet's extraction equipment: EXTRACT and SIPHON are considered when given. */
  extraction?: ExtractionInput;
  /** (issue 13) When the view spans systems: routes between them, and what the plan records of them. */
  sector?: { crossings: Crossings; plan: PlanSector };
  /** The construction site the target goes to (deliver: construction), as read when planning. */
  construction?: PlanBody['construction'];
  /** A whole construction bill's materials beyond spec.target, each delivered like it. */
  otherTargets?: Array<{ good: string; quantity: number; note?: string }>;
  /** Why spec.target's quantity is what it is, when it differs from the spec's (the site needs fewer). */
  targetNote?: string;
  /**
   * The server the plan is for: its time scale and rate limit (requests priced in game time),
   * and its production step per good when it tells it (the simulator). Default: the real API.
   */
  server?: PlanServer;
}

export interface PlanServer extends Pacing {
  /** Burst points of the rate limit left when the plan was made (apply run right after starts with them); default none. */
  burstLeft?: number;
  /** Median wall seconds of the planning's requests, send to answer (measured; default REQUEST_LATENCY_SECONDS). */
  roundTripSeconds?: number;
  /** Game minutes an export takes to climb one supply level, by good (the simulator's config). */
  productionStepMinutes?: { default: number; byGood: Record<string, number> };
}

/** policy.extract names goods to extract even where they are sold: each needs a site yielding it and a ship to extract it. */
function checkExtractable(extract: readonly string[], input: PlannerInput, fleet: FleetShip[], fuelPrice: number): void {
  for (const good of extract) {
    const r = input.extraction
      ? evaluateExtract({ view: input.view, policy: input.spec.policy, fuelPrice, fleet, extraction: input.extraction }, good, 1, undefined, false)
      : { why: 'no extraction site or ship was read' };
    if ('best' in r && r.best) continue;
    throw infeasible(
      `policy.extract lists ${good}, but it cannot be extracted in ${input.view.system}: ${r.why}.`,
      `Remove ${good} from policy.extract, or add a ship that can mine or siphon it (a SHIP_MINING_DRONE, SHIP_SIPHON_DRONE or the command frigate) to the fleet; then re-run \`st-goods plan\`.`,
      { good },
    );
  }
}

/**
 * policy.make names goods to make even where they are sold: each needs a factory in the system,
 * a market that EXPORTS it and IMPORTS at least one of its inputs. Checked up front so that a
 * good listed there is never quietly bought because making it was impossible.
 */
function checkMakeable(make: readonly string[], view: MarketView, inputsOf: (good: string) => readonly string[]): void {
  for (const good of make) {
    const inputs = inputsOf(good);
    const exporters = view.exporters(good);
    const factories = exporters.filter((l) => inputs.some((i) => l.imports.includes(i)));
    if (factories.length > 0) continue;
    const why =
      inputs.length === 0
        ? 'the supply chain lists no inputs for it, so no factory can be fed'
        : exporters.length === 0
          ? `no market in ${view.system} exports it`
          : `the markets exporting it (${exporters.map((l) => l.waypoint).join(', ')}) import none of its inputs (${inputs.join(', ')})`;
    throw infeasible(
      `policy.make lists ${good}, but it cannot be made in ${view.system}: ${why}.`,
      `Remove ${good} from policy.make (it will then be bought where it is sold), or work in a system with a factory for it; then re-run \`st-goods plan\`.`,
      { good },
    );
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The planner: from a spec, the fleet and the market view to a deterministic plan body.
 * Pure (no I/O, no clock): the same input gives a byte-identical body. Throws UserError
 * INFEASIBLE when a good can be neither bought nor made, the fleet has no cargo room, or the
 * budget cannot cover the estimate.
 */
export function buildPlanBody(input: PlannerInput): PlanBody {
  const { spec, view, fleet } = input;
  const policy = spec.policy;
  const target = spec.target;
  const fleetSorted = [...fleet].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const carriers = fleetSorted.filter((s) => s.cargoCapacity > 0);
  if (carriers.length === 0) {
    throw infeasible(
      `No ship of the fleet (${fleetSorted.map((s) => s.symbol).join(', ') || 'none'}) has cargo room, so nothing can be carried.`,
      'Add a ship with a cargo hold (e.g. a SHIP_LIGHT_HAULER) to the spec\'s fleet, then re-run `st-goods plan`.',
    );
  }
  for (const s of fleetSorted) {
    if (!view.hasPosition(s.waypoint)) throw new Error(`ship ${s.symbol} is at ${s.waypoint}, whose position is unknown to the market view`);
  }
  if (target.deliver.kind === 'sell' && !view.tradeType(target.deliver.waypoint, target.good)) {
    throw invalidInput(
      `The spec sells ${target.good} at ${target.deliver.waypoint}, but ${view.listing(target.deliver.waypoint) ? 'that market does not trade it' : `that is not a market of ${where(view, true)}`}.`,
      `Markets in scope that trade ${target.good}: ${view.marketsListing(target.good).map((m) => m.listing.waypoint).join(', ') || 'none'}. Fix target.deliver.sell, then re-run \`st-goods plan\`.`,
    );
  }
  if (target.deliver.kind !== 'hold' && !view.hasPosition(target.deliver.waypoint)) {
    throw invalidInput(`The delivery waypoint ${target.deliver.waypoint} is not in ${view.system}.`, 'Deliver within the system the spec works in.');
  }
  // Every target: the spec's, and with a whole construction bill one per material still short.
  const targets: Array<{ good: string; quantity: number; note?: string }> = [{ good: target.good, quantity: target.quantity, note: input.targetNote }, ...(input.otherTargets ?? [])];
  const gated = target.deliver.kind === 'construction';
  // Cargo already aboard: the target's units count toward it (kept where they are, or carried to
  // the sale, contract or site); bought inputs are taken below; the rest is other cargo (cargo.ts).
  const cargo = new CargoPool(fleetSorted);
  const perTarget = targets.map((t) => {
    const aboard = cargo.take(t.good, t.quantity);
    const held = aboard.reduce((a, x) => a + x.units, 0);
    return { ...t, aboard, held, toMake: t.quantity - held, aboardText: aboard.map((x) => `${x.units} on ${x.ship}`).join(', ') };
  });
  const first = perTarget[0]!;
  const keptOn = (ship: string): number => (target.deliver.kind === 'hold' ? (first.aboard.find((t) => t.ship === ship)?.units ?? 0) : 0);
  const quantity = first.toMake;
  checkMakeable(policy.make ?? [], view, input.inputsOf);

  const used = new Set<string>();
  const fuelQuotes = view
    .marketsListing('FUEL')
    .map(({ listing }) => view.quote(listing.waypoint, 'FUEL')!)
    .filter((q) => !q.estimated);
  fuelQuotes.forEach((q) => used.add(`${q.waypoint}|FUEL`));
  const fuelPrice = fuelQuotes.length ? Math.round(median(fuelQuotes.map((q) => q.purchasePrice))) : DEFAULT_FUEL_PRICE;
  const ctx: DecideContext = {
    view,
    inputsOf: input.inputsOf,
    policy,
    fuelPrice,
    refCargo: Math.max(...carriers.map((s) => s.cargoCapacity)),
    used,
    ...(input.extraction ? { extraction: input.extraction, fleet: fleetSorted, targetInHold: target.deliver.kind === 'hold' } : {}),
    ...(input.sector ? { sector: input.sector.crossings, refSpeed: Math.min(...carriers.map((s) => s.speed)) } : {}),
  };
  checkExtractable(policy.extract ?? [], input, fleetSorted, fuelPrice);

  // Where the target goes; for the hold, where the largest hold is now (landed cost counts the
  // trip from there, so a cheap ask at the far end of the system is weighed against its fuel).
  const home = [...carriers].sort((a, b) => b.cargoCapacity - a.cargoCapacity || (a.symbol < b.symbol ? -1 : 1))[0]!.waypoint;
  const destWaypoint = target.deliver.kind === 'hold' ? home : target.deliver.waypoint;
  const waypointOf = (ship: string): string => fleetSorted.find((f) => f.symbol === ship)!.waypoint;
  const roots = perTarget.map((t): Decided | undefined => {
    if (t.toMake <= 0) return undefined;
    try {
      return decide(ctx, t.good, t.toMake, destWaypoint, [], false, gated);
    } catch (e) {
      if (!(e instanceof NotObtainable)) throw e;
      // (issue 13) What lies past an uncharted gate is unknown: charting it may find the good.
      const uncharted = (input.sector?.plan.gates ?? []).filter((g) => g.built && !g.connections).map((g) => g.gate);
      const beyond = uncharted.length
        ? ` The systems beyond the UNCHARTED gates ${uncharted.join(', ')} are unknown (the server hides their connections until charted): chart them (a ship there, POST /my/ships/{ship}/chart) to widen the search.`
        : '';
      throw infeasible(
        `Cannot produce ${t.good} in ${where(view, true)}: ${e.good === t.good ? e.why : e.message}.`,
        e.cycle
          ? 'Buy a good of that cycle first or allow a lower supply (policy.minSupplyToBuy), then re-run `st-goods plan`.'
          : `${gated ? 'A material only sold or made in another system needs multi-system planning (jump gates). ' : ''}Pick another system or target, allow lower supply (policy.minSupplyToBuy) or raise policy.maxUnitPrice, then re-run \`st-goods plan\`.${beyond}`,
        { good: e.good, declined: e.declined, cycle: e.cycle },
      );
    }
  });

  // Bought inputs already aboard are carried, not bought; what is left is other cargo: it shrinks
  // the free hold, or is sold first where that leaves too little room (policy.clearHolds).
  const aboard = new Map<Decided, Array<{ ship: string; units: number }>>();
  const takeInputs = (d: Decided): void => {
    for (const f of d.make?.inputs ?? []) {
      if (f.decided.buy) {
        const taken = cargo.take(f.decided.good, f.decided.quantity);
        if (taken.length) aboard.set(f.decided, taken);
      }
      takeInputs(f.decided);
    }
  };
  for (const root of roots) if (root) takeInputs(root);
  cargo.decideClears({ clearHolds: policy.clearHolds !== false, roomNeeded: target.deliver.kind === 'hold' ? quantity : 0, reserved: keptOn });
  const planning = cargo.planningFleet(keptOn);
  if (target.deliver.kind === 'hold') {
    const room = planning.reduce((acc, s) => acc + s.cargoCapacity, 0);
    if (room < quantity) {
      throw infeasible(
        `The target is ${quantity} ${target.good} kept in the holds, but the fleet's holds take only ${room} units (${planning.map((s) => `${s.symbol} ${s.cargoCapacity}`).join(', ')}).`,
        'Lower target.quantity, deliver to a market or contract instead of the hold, or add ships; then re-run `st-goods plan`.',
      );
    }
  }

  const clearDrafts: DraftTask[] = cargo.clearSales(view, policy.flightMode, fuelPrice).map((sale) => {
    used.add(`${sale.waypoint}|${sale.good}`);
    return aboardDraft(`clear-${sale.good}@${sale.ship}`, sale.good, sale, waypointOf(sale.ship), { kind: 'sell', waypoint: sale.waypoint }, {
      tradeVolume: sale.tradeVolume,
      destTradeVolume: sale.tradeVolume,
      guards: { maxUnitPrice: 0, minSellPrice: sale.minSellPrice },
      clear: true,
    });
  });

  const pacing: Pacing = input.server ? { timeScale: input.server.timeScale, rateLimited: input.server.rateLimited } : REAL_PACING;
  const steps = input.server?.productionStepMinutes;
  const stepSecondsOf = steps ? (good: string): number => 60 * (steps.byGood[good] ?? steps.default) : undefined;
  const taskIds = new Set<string>();
  let drafts: DraftTask[] = [];
  const trees = perTarget.map((t, i) => {
    const root = roots[i];
    let decisions: DecisionNode;
    let mine: DraftTask[] = [];
    const targetGuards = { maxUnitPrice: 0, minSellPrice: 0 };
    if (root) {
      ({ decisions, drafts: mine } = draftTasks(root, target.deliver, { view, policy, carriers: planning, aboard, waypointOf, stepSecondsOf, ids: taskIds, gated }));
      const firstTask = mine.find((d) => decisions.taskIds.includes(d.id));
      if (firstTask) Object.assign(targetGuards, firstTask.guards);
    } else {
      decisions = {
        good: t.good,
        quantity: 0,
        action: 'BUY',
        waypoint: '',
        reason: t.held > 0 ? `nothing to buy: ${t.held} of the ${t.quantity} ${t.good} wanted are already aboard (${t.aboardText})` : `nothing to do: ${t.note ?? `no ${t.good} wanted`}`,
        declined: [],
        estimatedCost: 0,
        taskIds: [],
        inputs: [],
      };
    }
    // The target already aboard, when it goes to a sale, contract or site: carried there from the hold.
    if (target.deliver.kind !== 'hold') {
      const dest = target.deliver;
      const q = dest.kind === 'sell' ? view.quote(dest.waypoint, t.good) : undefined;
      const carried = t.aboard.map((x) =>
        aboardDraft(`aboard-${t.good}@${x.ship}>target`, t.good, x, waypointOf(x.ship), dest, {
          tradeVolume: q?.tradeVolume ?? Math.max(1, x.units),
          guards: targetGuards,
          ...(q ? { destTradeVolume: q.tradeVolume } : {}),
        }),
      );
      mine = [...carried, ...mine];
      decisions = { ...decisions, quantity: decisions.quantity + t.held, taskIds: [...carried.map((c) => c.id), ...decisions.taskIds] };
      if (t.held > 0) decisions.reason += `; ${t.held} already aboard (${t.aboardText})`;
    } else if (root && t.held > 0) {
      decisions = { ...decisions, reason: `${decisions.reason}; ${t.held} more already aboard (${t.aboardText})` };
    }
    if (t.note && (root || t.held > 0)) decisions = { ...decisions, reason: `${decisions.reason}; ${t.note}` };
    drafts = [...drafts, ...mine];
    return { good: t.good, quantity: t.quantity, decisions };
  });
  // Clears and carries first: the scheduler counts them before the ship's other work, as apply runs them.
  drafts = [...clearDrafts, ...drafts.filter((d) => d.source.kind === 'aboard'), ...drafts.filter((d) => d.source.kind !== 'aboard')];

  const measured = { ...(input.server?.burstLeft !== undefined ? { burstLeft: input.server.burstLeft } : {}), ...(input.server?.roundTripSeconds !== undefined ? { roundTripSeconds: input.server.roundTripSeconds } : {}) };
  // The schedule that ends first when replayed against the rate limit (the whole fleet, or its best holds: makespan.ts).
  const { scheduled, makespan } = bestSchedule(view, policy.flightMode, planning, drafts, pacing, measured, input.sector?.crossings);
  // A purchase the scheduler split over ships is several tasks: the decisions name them all.
  const partsOf = new Map<string, string[]>();
  for (const s of scheduled) partsOf.set(s.draftId, [...(partsOf.get(s.draftId) ?? []), s.task.id]);
  const renamed = (node: DecisionNode): DecisionNode => ({ ...node, taskIds: node.taskIds.flatMap((id) => partsOf.get(id) ?? [id]), inputs: node.inputs.map(renamed) });
  const targetTrees = trees.map((t) => ({ ...t, decisions: renamed(t.decisions) }));
  const decisions = targetTrees[0]!.decisions;
  const tasks: Task[] = scheduled
    .map((s) => {
      const { purchaseCredits, destTradeVolume: _dtv, pinnedShip: _pin, production: _prod, extraction: _ext, ...rest } = s.task;
      const fuelCredits = Math.round((s.cost.fuel / 100) * fuelPrice);
      return {
        ...rest,
        ship: s.ship.symbol,
        trips: s.cost.trips,
        estimate: { credits: purchaseCredits + fuelCredits + (s.cost.antimatter ?? 0), fuel: s.cost.fuel, gameSeconds: s.cost.seconds, requests: s.cost.requests },
        ...(s.cost.route ? { route: s.cost.route } : {}),
      };
    })
    .sort(byId);

  const apiRequests = tasks.reduce((a, t) => a + t.estimate.requests, 0);
  const requestFloorSeconds = pacedFloorSeconds(apiRequests, pacing);
  const unpacedEnd = Math.max(0, ...scheduled.map((x) => x.finish));
  // What the shared limit (and apply's pre-flight) add to the schedule's own end.
  const contentionSeconds = Math.max(0, makespan - unpacedEnd);
  const estimates = {
    credits: tasks.reduce((a, t) => a + t.estimate.credits, 0),
    fuel: tasks.reduce((a, t) => a + t.estimate.fuel, 0),
    gameSeconds: tasks.reduce((a, t) => a + t.estimate.gameSeconds, 0),
    // The bound: the longest dependency chain at the requests' latency, or the time the limit needs for all of them.
    criticalPathSeconds: Math.max(requestFloorSeconds, criticalPath(scheduled, requestLatency(measured) * pacing.timeScale)),
    makespanSeconds: makespan,
    apiRequests,
    ...(input.server
      ? { pacing: { timeScale: pacing.timeScale, rateLimited: pacing.rateLimited, secondsPerRequest: secondsPerRequest(pacing), requestFloorSeconds, contentionSeconds, requestLatencySeconds: requestLatency(measured), ...(steps ? { productionStepMinutes: steps.default } : {}) } }
      : {}),
  };

  const budget = Math.min(policy.maxCredits, input.agentCredits - policy.reserveCredits);
  if (estimates.credits > budget) {
    throw infeasible(
      `The plan needs about ${fmt(estimates.credits)} credits (purchases with the price walk, and fuel) but the budget allows ${fmt(Math.max(0, budget))}: ` +
        `policy.maxCredits ${fmt(policy.maxCredits)}, agent credits ${fmt(input.agentCredits)} minus reserveCredits ${fmt(policy.reserveCredits)}.`,
      'Lower target.quantity, raise policy.maxCredits, or lower policy.reserveCredits; then re-run `st-goods plan`.',
      { needed: estimates.credits, budget, maxCredits: policy.maxCredits, agentCredits: input.agentCredits, reserveCredits: policy.reserveCredits },
    );
  }

  const observations = view.observations().filter((o) => used.has(`${o.waypoint}|${o.good}`));
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    lineage: input.lineage,
    specHash: input.specHash,
    supplyChainHash: input.supplyChainHash,
    spec,
    fleet: fleetSorted,
    observations,
    decisions,
    tasks,
    estimates,
    ...(input.contract ? { contract: input.contract } : {}),
    ...(input.sector ? { sector: input.sector.plan } : {}),
    ...(input.construction ? { construction: input.construction } : {}),
    ...(targetTrees.length > 1 ? { otherTargets: targetTrees.slice(1) } : {}),
  };
}
