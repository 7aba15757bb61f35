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
  /** The largest hold: how many loads a purchase needs. */
  refCargo: number;
  /** Units of a bought input already in the holds, by node (cargo.ts): carried, not bought. */
  aboard?: Map<Decided, Array<{ ship: string; units: number }>>;
  /** Where each fleet ship is (an aboard task starts there). */
  waypointOf?: (ship: string) => string;
  /** Task ids already taken (a plan with several targets shares one set: ids stay unique). */
  ids?: Set<string>;
  /**
   * Long work (a construction material): the target is bought behind the supply gate, a BUY as
   * much as a MAKE (source `factory`: pause while the market recovers, never fail on the walk),
   * and split into one part per ship so that the whole fleet hauls it.
   */
  gated?: boolean;
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
        ? productionWait({ good: d.good, supply: q.supply, estimated: q.estimated, minSupply: src.minSupply, resumeSupply: src.resumeSupply, quantity: d.quantity, tradeVolume: q.tradeVolume })
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
    // The target kept in holds is split over ships (each part fits one hold).
    const parts: Array<{ quantity: number; pinnedShip?: string }> = [];
    if (buyQuantity <= 0) {
      // all of it is aboard
    } else if (destination.kind === 'hold') {
      let left = d.quantity;
      for (const s of [...carriers].sort((a, b) => b.cargoCapacity - a.cargoCapacity || (a.symbol < b.symbol ? -1 : 1))) {
        if (left <= 0) break;
        if (s.cargoCapacity <= 0) continue;
        const q = Math.min(left, s.cargoCapacity);
        parts.push({ quantity: q, pinnedShip: s.symbol });
        left -= q;
      }
    } else if (source.kind === 'market' || gated) {
      // A purchase needing several hold-loads is split into up to one part per ship, so that the
      // scheduler can run the loads in parallel; it still gives two parts to one ship when that
      // finishes sooner. A factory collect stays whole (its ship waits for production anyway),
      // except for long work, where every ship collects and hauls its share.
      const loads = Math.ceil(buyQuantity / opts.refCargo);
      const n = Math.max(1, Math.min(carriers.filter((c) => c.cargoCapacity > 0).length, loads));
      const base = Math.floor(buyQuantity / n);
      for (let i = 0; i < n; i++) parts.push({ quantity: base + (i < buyQuantity - base * n ? 1 : 0) });
    } else {
      parts.push({ quantity: d.quantity });
    }
    for (const part of parts) {
      const id = uniqueId(`${verb}-${d.good}@${d.waypoint}>${suffix}`);
      taskIds.push(id);
      drafts.push({
        id,
        good: d.good,
        quantity: part.quantity,
        source,
        destination,
        dependsOn: [...deps].sort(),
        tradeVolume,
        guards: { maxUnitPrice, minSellPrice, ...(ceilingEstimated ? { estimated: true as const } : {}) },
        purchaseCredits: Math.round((walkTotal * part.quantity) / d.quantity),
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
