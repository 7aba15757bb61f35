import type { MarketView } from '../market/view.js';
import { supplyBelow } from '../market/supply.js';
import type { DecisionNode, FleetShip, PlanPolicy, SupplyLevel, TaskDestination, TaskSource } from '../plan/types.js';
import { DEFAULT_POLL_SECONDS, FACTORY_HYSTERESIS_LEVELS, FEED_FLOOR_RATIO, MAX_POLL_SECONDS } from './constants.js';
import type { Decided } from './decide.js';
import { productionWait, type ProductionWait } from './production.js';
import type { DraftTask } from './schedule.js';

export interface DraftOptions {
  view: MarketView;
  policy: PlanPolicy;
  /** Ships with cargo room. */
  carriers: FleetShip[];
  /** Units of a bought input already in the holds, by node (cargo.ts): carried, not bought. */
  aboard?: Map<Decided, Array<{ ship: string; units: number }>>;
  /** Where each fleet ship is (an aboard task starts there). */
  waypointOf?: (ship: string) => string;
  /** Task ids already taken (a plan with several targets shares one set: ids stay unique). */
  ids?: Set<string>;
  /**
   * Long work (a construction material): the target is bought behind the supply gate, a BUY as
   * much as a MAKE (source `factory`: pause while the market recovers, never fail on the walk);
   * the scheduler splits it into hold-loads over the fleet like any purchase carried elsewhere.
   */
  gated?: boolean;
  /** Game seconds a factory of `good` takes to climb one supply level, when the server says (default SUPPLY_STEP_SECONDS). */
  stepSecondsOf?: (good: string) => number;
}

/** A task carrying units already in `ship`'s hold to `destination`: nothing is bought. */
export function aboardDraft(
  id: string,
  good: string,
  taken: { ship: string; units: number },
  at: string,
  destination: TaskDestination,
  rest: { tradeVolume: number; guards: DraftTask['guards']; destTradeVolume?: number; clear?: true },
): DraftTask {
  return {
    id,
    good,
    quantity: taken.units,
    source: { kind: 'aboard', waypoint: at },
    destination,
    dependsOn: [],
    tradeVolume: rest.tradeVolume,
    guards: rest.guards,
    purchaseCredits: 0,
    pinnedShip: taken.ship,
    ...(rest.destTradeVolume !== undefined ? { destTradeVolume: rest.destTradeVolume } : {}),
    ...(rest.clear ? { clear: true as const } : {}),
  };
}

/**
 * Turns the decision tree into the plan's decision nodes and draft tasks (ships not yet
 * assigned), children before parents: a topological order. Every unit bought belongs to exactly
 * one task (LESSONS.md #5); a factory's collect task depends on the tasks that feed it.
 */
export function draftTasks(root: Decided, deliver: TaskDestination, opts: DraftOptions): { decisions: DecisionNode; drafts: DraftTask[] } {
  const { view, policy, carriers } = opts;
  const drafts: DraftTask[] = [];
  const ids = opts.ids ?? new Set<string>();
  const uniqueId = (base: string): string => {
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}#${n}`;
    ids.add(id);
    return id;
  };
  const emit = (d: Decided, destination: TaskDestination, suffix: string): { node: DecisionNode; finals: string[] } => {
    const inputs: DecisionNode[] = [];
    const deps: string[] = [];
    let source: TaskSource;
    let tradeVolume: number;
    let maxUnitPrice: number;
    let ceilingEstimated: boolean;
    let walkTotal: number;
    let production: ProductionWait | undefined;
    // The target of long work is bought behind the supply gate, from its factory or its market.
    const gated = Boolean(opts.gated) && d === root;
    const gateSource = (waypoint: string): TaskSource => ({
      kind: 'factory',
      waypoint,
      minSupply: supplyBelow(policy.minSupplyToBuy, FACTORY_HYSTERESIS_LEVELS),
      resumeSupply: policy.minSupplyToBuy,
      pollSeconds: policy.pollSeconds || DEFAULT_POLL_SECONDS,
      maxPollSeconds: Math.max(MAX_POLL_SECONDS, policy.pollSeconds),
      timeoutSeconds: policy.productionTimeoutSeconds,
    });
    const waitFor = (q: { supply: SupplyLevel; estimated: boolean; tradeVolume: number }, src: TaskSource): ProductionWait | undefined =>
      src.kind === 'factory'
        ? productionWait({
            good: d.good,
            supply: q.supply,
            estimated: q.estimated,
            minSupply: src.minSupply,
            resumeSupply: src.resumeSupply,
            quantity: d.quantity,
            tradeVolume: q.tradeVolume,
            ...(opts.stepSecondsOf ? { stepSeconds: opts.stepSecondsOf(d.good) } : {}),
          })
        : undefined;
    if (d.make) {
      for (const f of d.make.inputs) {
        const child = emit(f.decided, { kind: 'feed', waypoint: d.make.factory, forGood: d.good }, `${d.good}`);
        inputs.push(child.node);
        deps.push(...child.finals);
      }
      source = gateSource(d.make.factory);
      tradeVolume = d.make.quote.tradeVolume;
      production = waitFor(d.make.quote, source);
      maxUnitPrice = d.make.ceiling;
      ceilingEstimated = d.make.ceilingEstimated;
      walkTotal = d.make.walk.total;
    } else {
      const b = d.buy!;
      source = gated ? gateSource(b.quote.waypoint) : { kind: 'market', waypoint: b.quote.waypoint };
      tradeVolume = b.quote.tradeVolume;
      production = waitFor(b.quote, source);
      maxUnitPrice = b.ceiling;
      ceilingEstimated = b.ceilingEstimated;
      walkTotal = b.walk.total;
    }
    const verb = d.make ? 'make' : 'buy';
    let minSellPrice = 0;
    let destTradeVolume: number | undefined;
    if (destination.kind === 'feed' || destination.kind === 'sell') {
      const q = view.quote(destination.waypoint, d.good);
      if (q) {
        minSellPrice = Math.round(q.sellPrice * FEED_FLOOR_RATIO);
        destTradeVolume = q.tradeVolume;
      }
    }
    // A bought input already in holds is carried from there; only the rest is bought.
    const taken = d.buy && destination.kind === 'feed' ? (opts.aboard?.get(d) ?? []) : [];
    const takenUnits = taken.reduce((a, t) => a + t.units, 0);
    const buyQuantity = d.quantity - takenUnits;
    const taskIds: string[] = [];
    for (const t of taken) {
      const id = uniqueId(`aboard-${d.good}@${t.ship}>${suffix}`);
      taskIds.push(id);
      const at = opts.waypointOf?.(t.ship) ?? '';
      drafts.push(aboardDraft(id, d.good, t, at, destination, { tradeVolume, guards: { maxUnitPrice, minSellPrice }, ...(destTradeVolume !== undefined ? { destTradeVolume } : {}) }));
    }
    // Where the units are bought: one market, or (a purchase no one market makes under the
    // ceiling) several, each for its share; units already aboard come off the last shares.
    const sources: Array<{ source: TaskSource; waypoint: string; tradeVolume: number; quantity: number; credits: number }> = d.buy?.split
      ? d.buy.split.map((p) => ({ source: gated ? gateSource(p.quote.waypoint) : { kind: 'market' as const, waypoint: p.quote.waypoint }, waypoint: p.quote.waypoint, tradeVolume: p.quote.tradeVolume, quantity: p.quantity, credits: p.walk.total }))
      : [{ source, waypoint: d.waypoint, tradeVolume, quantity: d.quantity, credits: walkTotal }];
    for (let i = sources.length - 1, excess = takenUnits; i >= 0 && excess > 0; i--) {
      const off = Math.min(excess, sources[i]!.quantity);
      sources[i]!.credits = Math.round((sources[i]!.credits * (sources[i]!.quantity - off)) / Math.max(1, sources[i]!.quantity));
      sources[i]!.quantity -= off;
      excess -= off;
    }
    // The target kept in holds is split over ships (each part fits one hold); a purchase carried
    // elsewhere is one draft per market: the scheduler splits it into hold-loads over the ships
    // (schedule.ts), aligned to their holds.
    const parts: Array<{ quantity: number; from: (typeof sources)[number]; pinnedShip?: string }> = [];
    if (destination.kind === 'hold') {
      const holds = [...carriers].filter((c) => c.cargoCapacity > 0).sort((a, b) => b.cargoCapacity - a.cargoCapacity || (a.symbol < b.symbol ? -1 : 1)).map((c) => ({ symbol: c.symbol, room: c.cargoCapacity }));
      let h = 0;
      for (const from of sources) {
        let left = from.quantity;
        while (left > 0 && h < holds.length) {
          const q = Math.min(left, holds[h]!.room);
          parts.push({ quantity: q, from, pinnedShip: holds[h]!.symbol });
          holds[h]!.room -= q;
          left -= q;
          if (holds[h]!.room <= 0) h++;
        }
      }
    } else {
      for (const from of sources) if (from.quantity > 0) parts.push({ quantity: from.quantity, from });
    }
    for (const part of parts) {
      const id = uniqueId(`${verb}-${d.good}@${part.from.waypoint}>${suffix}`);
      taskIds.push(id);
      drafts.push({
        id,
        good: d.good,
        quantity: part.quantity,
        source: part.from.source,
        destination,
        dependsOn: [...deps].sort(),
        tradeVolume: part.from.tradeVolume,
        guards: { maxUnitPrice, minSellPrice, ...(ceilingEstimated ? { estimated: true as const } : {}) },
        purchaseCredits: Math.round((part.from.credits * part.quantity) / Math.max(1, part.from.quantity)),
        ...(destTradeVolume !== undefined ? { destTradeVolume } : {}),
        ...(part.pinnedShip ? { pinnedShip: part.pinnedShip } : {}),
        ...(production ? { production } : {}),
      });
    }
    const node: DecisionNode = {
      good: d.good,
      quantity: d.quantity,
      action: d.action,
      waypoint: d.waypoint,
      reason:
        (production ? `${d.reason}; ${production.why}` : d.reason) +
        (takenUnits > 0 ? `; ${takenUnits} already aboard (${taken.map((t) => `${t.units} on ${t.ship}`).join(', ')}), ${Math.max(0, buyQuantity)} to buy` : ''),
      declined: [...d.declined].sort((a, b) => (a.waypoint < b.waypoint ? -1 : a.waypoint > b.waypoint ? 1 : a.why < b.why ? -1 : 1)),
      estimatedCost: Math.round(walkTotal),
      taskIds,
      inputs,
      priceBasis: d.priceBasis,
    };
    return { node, finals: taskIds };
  };

  return { decisions: emit(root, deliver, 'target').node, drafts };
}
