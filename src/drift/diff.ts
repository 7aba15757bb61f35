import { supplyAtLeast } from '../game/market.js';
import type { ActivityLevel, MarketObservation, PlanBody, SupplyLevel } from '../plan/types.js';

/**
 * How far the world moved from what a plan rests on (pure): its market observations against
 * fresh ones, its fleet against the ships now (issue 15, `st-goods refresh`, apply's check).
 *
 * What refuses a plan (policy.maxDrift): a price that moved against the plan by more than
 * `price` percent, the ask at a market it buys from (a source, or a factory it buys output from)
 * risen, or the bid where it sells (a factory it feeds, the target's market, a hold it clears)
 * fallen; and, with `supplyBelowGate`, a market it buys from whose supply fell below the plan's
 * minimum (policy.minSupply). Everything else (favourable moves, activity, tradeVolume, fuel,
 * ships that moved or whose cargo changed) is shown, never refused: apply copes with it.
 */

export interface MarketDrift {
  waypoint: string;
  good: string;
  /** How the plan uses this quote. */
  role: 'buy' | 'sell' | 'other';
  planned: { purchasePrice: number; sellPrice: number; supply: SupplyLevel; activity?: ActivityLevel; tradeVolume: number; observedAt: string };
  now: { purchasePrice: number; sellPrice: number; supply: SupplyLevel; activity?: ActivityLevel; tradeVolume: number; observedAt: string };
  /** Percent moves (rounded to 0.1). */
  askMovedPct: number;
  bidMovedPct: number;
  /** Why this refuses the plan under policy.maxDrift (absent: it does not). */
  breach?: string;
}

export interface ShipDrift {
  ship: string;
  /** Where it was when planned and where it is now (absent when it did not move). */
  moved?: { from: string; to: string };
  /** Cargo by good, when it changed. */
  cargo?: { planned: Record<string, number>; now: Record<string, number> };
  /** Gone from the agent's fleet. */
  missing?: true;
}

export interface DriftReport {
  planId: string;
  maxDrift: { price: number; supplyBelowGate: boolean };
  markets: MarketDrift[];
  /** Quotes the plan rests on that could not be seen again (no ship there, nothing newer cached). */
  unseen: Array<{ waypoint: string; good: string; observedAt: string }>;
  ships: ShipDrift[];
  /** True when some market drift refuses the plan. */
  exceeds: boolean;
}

export const DEFAULT_MAX_DRIFT = { price: 25, supplyBelowGate: true } as const;

export interface ShipNowView {
  symbol: string;
  waypoint: string;
  cargo: Array<{ good: string; units: number }>;
}

const pct = (from: number, to: number): number => (from > 0 ? Math.round(((to - from) / from) * 1000) / 10 : 0);

/** How each of the plan's quotes is used: bought from (ask matters), sold into (bid matters), or neither. */
function roles(plan: Pick<PlanBody, 'tasks'>): Map<string, 'buy' | 'sell'> {
  const out = new Map<string, 'buy' | 'sell'>();
  for (const t of plan.tasks) {
    if (t.source.kind === 'market' || t.source.kind === 'factory') out.set(`${t.source.waypoint}|${t.good}`, 'buy');
    const d = t.destination;
    if (d.kind === 'feed' || d.kind === 'sell') out.set(`${d.waypoint}|${t.good}`, 'sell');
  }
  return out;
}

export function driftOf(
  plan: Pick<PlanBody, 'tasks' | 'observations' | 'fleet' | 'spec'> & { planId: string },
  fresh: readonly MarketObservation[],
  shipsNow: readonly ShipNowView[] | undefined,
): DriftReport {
  const maxDrift = plan.spec.policy.maxDrift ?? DEFAULT_MAX_DRIFT;
  const gate = plan.spec.policy.minSupplyToBuy;
  const role = roles(plan);
  const newest = new Map<string, MarketObservation>();
  for (const o of fresh) {
    const k = `${o.waypoint}|${o.good}`;
    const prev = newest.get(k);
    if (!prev || prev.observedAt <= o.observedAt) newest.set(k, o);
  }
  const markets: MarketDrift[] = [];
  const unseen: DriftReport['unseen'] = [];
  for (const p of plan.observations) {
    const k = `${p.waypoint}|${p.good}`;
    const n = newest.get(k);
    if (!n || n.observedAt <= p.observedAt) {
      unseen.push({ waypoint: p.waypoint, good: p.good, observedAt: p.observedAt });
      continue;
    }
    const r = role.get(k) ?? 'other';
    const askMovedPct = pct(p.purchasePrice, n.purchasePrice);
    const bidMovedPct = pct(p.sellPrice, n.sellPrice);
    let breach: string | undefined;
    // A factory's output is bought after feeding it: its supply (and so its ask) before the feed says nothing of the plan's gate.
    const factorySource = plan.tasks.some((t) => t.source.kind === 'factory' && t.source.waypoint === p.waypoint && t.good === p.good);
    if (r === 'buy' && askMovedPct > maxDrift.price) breach = `the ask rose ${askMovedPct}% (${p.purchasePrice} → ${n.purchasePrice}), more than policy.maxDrift.price ${maxDrift.price}%`;
    else if (r === 'sell' && -bidMovedPct > maxDrift.price) breach = `the bid fell ${-bidMovedPct}% (${p.sellPrice} → ${n.sellPrice}), more than policy.maxDrift.price ${maxDrift.price}%`;
    else if (r === 'buy' && !factorySource && maxDrift.supplyBelowGate && !supplyAtLeast(n.supply, gate) && supplyAtLeast(p.supply, gate)) {
      breach = `supply fell to ${n.supply}, below the plan's minimum ${gate} (policy.minSupply)`;
    }
    const changed = askMovedPct !== 0 || bidMovedPct !== 0 || n.supply !== p.supply || n.activity !== p.activity || n.tradeVolume !== p.tradeVolume;
    if (!changed && !breach) continue;
    const view = (o: MarketObservation): MarketDrift['now'] => ({ purchasePrice: o.purchasePrice, sellPrice: o.sellPrice, supply: o.supply, ...(o.activity ? { activity: o.activity } : {}), tradeVolume: o.tradeVolume, observedAt: o.observedAt });
    markets.push({ waypoint: p.waypoint, good: p.good, role: r, planned: view(p), now: view(n), askMovedPct, bidMovedPct, ...(breach ? { breach } : {}) });
  }

  const ships: ShipDrift[] = [];
  if (shipsNow) {
    for (const f of plan.fleet) {
      const now = shipsNow.find((s) => s.symbol === f.symbol);
      if (!now) {
        ships.push({ ship: f.symbol, missing: true });
        continue;
      }
      const before = Object.fromEntries((f.cargo ?? []).map((c) => [c.good, c.units]));
      const after = Object.fromEntries(now.cargo.filter((c) => c.units > 0).map((c) => [c.good, c.units]));
      const cargoChanged = JSON.stringify(sorted(before)) !== JSON.stringify(sorted(after));
      const moved = now.waypoint !== f.waypoint;
      if (moved || cargoChanged) ships.push({ ship: f.symbol, ...(moved ? { moved: { from: f.waypoint, to: now.waypoint } } : {}), ...(cargoChanged ? { cargo: { planned: before, now: after } } : {}) });
    }
  }
  return { planId: plan.planId, maxDrift, markets, unseen, ships, exceeds: markets.some((m) => m.breach) };
}

function sorted(o: Record<string, number>): Array<[string, number]> {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The diff as text: one line per change, refusals marked. */
export function renderDrift(r: DriftReport): string {
  const lines: string[] = [];
  const sign = (x: number): string => (x > 0 ? `+${x}%` : `${x}%`);
  lines.push(`Drift of plan ${r.planId.slice(0, 19)}… (policy.maxDrift: price ${r.maxDrift.price}%, supply below the gate ${r.maxDrift.supplyBelowGate ? 'refuses' : 'allowed'}):`);
  if (!r.markets.length && !r.ships.length) lines.push('  no change in what could be seen again');
  for (const m of r.markets) {
    const parts = [`ask ${m.planned.purchasePrice} → ${m.now.purchasePrice} (${sign(m.askMovedPct)})`, `bid ${m.planned.sellPrice} → ${m.now.sellPrice} (${sign(m.bidMovedPct)})`];
    if (m.planned.supply !== m.now.supply) parts.push(`supply ${m.planned.supply} → ${m.now.supply}`);
    if (m.planned.activity !== m.now.activity) parts.push(`activity ${m.planned.activity ?? '-'} → ${m.now.activity ?? '-'}`);
    if (m.planned.tradeVolume !== m.now.tradeVolume) parts.push(`tradeVolume ${m.planned.tradeVolume} → ${m.now.tradeVolume}`);
    lines.push(`  ${m.breach ? '✖' : '~'} ${m.good} at ${m.waypoint} (${m.role === 'buy' ? 'bought here' : m.role === 'sell' ? 'sold here' : 'not traded by the plan'}): ${parts.join(', ')}${m.breach ? ` — refuses the plan: ${m.breach}` : ''}`);
  }
  for (const s of r.ships) {
    if (s.missing) {
      lines.push(`  ~ ship ${s.ship}: no longer in the agent's fleet`);
      continue;
    }
    const parts: string[] = [];
    if (s.moved) parts.push(`moved ${s.moved.from} → ${s.moved.to}`);
    if (s.cargo) parts.push(`cargo ${fmtCargo(s.cargo.planned)} → ${fmtCargo(s.cargo.now)}`);
    lines.push(`  ~ ship ${s.ship}: ${parts.join(', ')}`);
  }
  if (r.unseen.length) lines.push(`  not seen again (no ship there, nothing newer cached): ${r.unseen.map((u) => `${u.good} at ${u.waypoint}`).join(', ')}`);
  lines.push(r.exceeds ? 'The plan rests on markets that moved beyond policy.maxDrift.' : 'Within policy.maxDrift.');
  return lines.join('\n');
}

function fmtCargo(c: Record<string, number>): string {
  const e = sorted(c);
  return e.length ? e.map(([g, u]) => `${u} ${g}`).join(', ') : 'empty';
}
