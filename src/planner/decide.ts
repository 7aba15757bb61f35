import { fuelCost, travelSeconds } from '../game/nav.js';
import { estimateExportAsk } from '../market/estimate.js';
import { supplyAtLeast, supplyRank } from '../market/supply.js';
import type { MarketQuote } from '../market/types.js';
import type { MarketView } from '../market/view.js';
import type { DecisionAction, FleetShip, PlanPolicy } from '../plan/types.js';
import {
  CEILING_MARGIN,
  FEED_RATIO,
  GATED_CEILING_MARGIN,
  GATED_CYCLE_TRANCHES,
  MIN_FEED_SPREAD_LOSS,
  MIN_FEED_UNITS,
  PRICE_STEP_PER_TRANCHE,
  TRANCHES_PER_SUPPLY_LEVEL,
  TIME_VALUE_PER_HOUR,
  WELL_SUPPLIED,
} from './constants.js';
import { evaluateExtract, extractReason, type ExtractChoice, type ExtractionInput } from './extraction.js';
import { buyWalk, gatedWalk, median, sellWalk, type PriceWalk } from './pricing.js';
import type { Crossing } from '../routing/sector.js';

export interface DecideContext {
  view: MarketView;
  inputsOf: (good: string) => readonly string[];
  policy: PlanPolicy;
  /** Credits per market FUEL unit (100 ship fuel units). */
  fuelPrice: number;
  /** Cargo capacity used to count trips when comparing landed costs (the largest hold). */
  refCargo: number;
  /** Keys `waypoint|good` of the observed quotes the decisions rest on (filled as it goes). */
  used: Set<string>;
  /** (issue 14) Sites and the fleet's extraction equipment: EXTRACT and SIPHON are considered when set. */
  extraction?: ExtractionInput;
  /** (issue 14) The planning fleet (the crews are drawn from it). */
  fleet?: FleetShip[];
  /** (issue 14) The target is kept in a hold: an extracted target must fit the hauler's. */
  targetInHold?: boolean;
  /** (issue 13) Routes between systems, when the view spans several (src/routing/sector.ts). */
  sector?: { crossing(a: string, b: string): Crossing | undefined };
  /** Speed of the reference ship (for the time a crossing takes). */
  refSpeed?: number;
}

export interface Declined {
  waypoint: string;
  why: string;
}

export interface BuyChoice {
  quote: MarketQuote;
  walk: PriceWalk;
  ceiling: number;
  /** The ceiling rests on estimated asks (and the policy cap does not bind). */
  ceilingEstimated: boolean;
  travelCredits: number;
  /**
   * Set when no one market sells the quantity under the ceiling: the purchase is split over these
   * markets (the first is `quote`), each bought up to where its walk would pass the ceiling.
   * `walk` and `travelCredits` are then the sums.
   */
  split?: Array<{ quote: MarketQuote; quantity: number; walk: PriceWalk; travelCredits: number }>;
}

export interface FedInput {
  decided: Decided;
  /** The factory's bid for this input (its IMPORT sellPrice) and tradeVolume there. */
  bid: number;
  tradeVolume: number;
}

export interface MakeChoice {
  factory: string;
  /** The factory's quote for the output (an EXPORT). */
  quote: MarketQuote;
  walk: PriceWalk;
  ceiling: number;
  /** The ceiling rests on estimated asks (and the policy cap does not bind). */
  ceilingEstimated: boolean;
  inputs: FedInput[];
  /** Inputs the factory already has at WELL_SUPPLIED or more (observed): not fed. */
  wellSupplied: string[];
  feedRevenue: number;
}

/** One node of the decision tree, with what tasks and estimates need. */
export interface Decided {
  good: string;
  quantity: number;
  action: DecisionAction;
  waypoint: string;
  reason: string;
  declined: Declined[];
  priceBasis: 'observed' | 'estimated';
  /** Net estimated credits (purchases − feed sales + fuel; EXTRACT: ship time too), used to compare. */
  cost: number;
  buy?: BuyChoice;
  make?: MakeChoice;
  extract?: ExtractChoice;
}

/**
 * A good that can be neither bought nor made here. `why` is one readable sentence; when making
 * failed because an input could not be had, `chain` runs from this good down to the good that
 * blocked it (e.g. SHIP_PARTS → ELECTRONICS → COPPER) and `leafWhy` says why that one failed.
 */
export class NotObtainable extends Error {
  readonly chain: string[];
  readonly leafWhy: string;
  constructor(
    readonly good: string,
    readonly why: string,
    readonly declined: Declined[],
    readonly cycle?: string[],
    chain?: string[],
    leafWhy?: string,
  ) {
    super(`${good}: ${why}`);
    this.chain = chain ?? [good];
    this.leafWhy = leafWhy ?? why;
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
/** Where a price comes from. Never the age: the body must not depend on the clock. */
const basis = (q: MarketQuote): string =>
  q.estimated ? (q.staleSince ? `ESTIMATED: last observed ${q.staleSince}, too old to trust` : 'ESTIMATED: market not observed') : `observed ${q.observedAt}`;

function travelCredits(ctx: DecideContext, from: string, to: string | undefined, quantity: number): number {
  if (!to || from === to) return 0;
  const trips = Math.ceil(quantity / Math.max(1, ctx.refCargo));
  const fuel = 2 * trips * fuelCost(ctx.view.distance(from, to), ctx.policy.flightMode, 1);
  return Math.round((fuel / 100) * ctx.fuelPrice) + 2 * trips * crossingCredits(ctx, from, to);
}

/**
 * (issue 13) What one crossing between systems adds to landed cost: the antimatter of its jumps,
 * and its time (flights and cooldown waits) valued at TIME_VALUE_PER_HOUR. 0 inside a system.
 */
export function crossingCredits(ctx: DecideContext, from: string, to: string): number {
  const c = ctx.sector?.crossing(from, to);
  if (!c) return 0;
  const flight = c.legs.reduce((acc, l) => acc + travelSeconds(ctx.view.distance(l.from, l.to), ctx.policy.flightMode, ctx.refSpeed ?? 30), 0);
  return Math.round(c.antimatterCredits + ((flight + c.waitSeconds) / 3600) * TIME_VALUE_PER_HOUR);
}

/** A market in another system that no route reaches: declined, with the gate in the way. */
function unreachable(ctx: DecideContext, waypoint: string, declined: Declined[]): boolean {
  const why = ctx.view.unreachable(waypoint);
  if (why) declined.push({ waypoint, why });
  return Boolean(why);
}

/**
 * The price walk of buying `quantity` at `q`: one walk, or (gated, long work) one that restarts as
 * the market recovers, from the ask where the gate resumes: the planner's own step model (a
 * supply level is TRANCHES_PER_SUPPLY_LEVEL tranches of PRICE_STEP_PER_TRANCHE) from the supply
 * seen down to the gate's resume level.
 */
function walkOf(ctx: DecideContext, q: MarketQuote, quantity: number, gated: boolean, ceiling: number): PriceWalk {
  if (!gated) return buyWalk(q.purchasePrice, q.tradeVolume, quantity);
  const levels = Math.max(0, supplyRank(q.supply) - supplyRank(ctx.policy.minSupplyToBuy));
  const resumeAsk = q.purchasePrice * (1 + PRICE_STEP_PER_TRANCHE) ** (levels * TRANCHES_PER_SUPPLY_LEVEL);
  return gatedWalk(q.purchasePrice, q.tradeVolume, quantity, { cycleUnits: GATED_CYCLE_TRANCHES * q.tradeVolume, resumeAsk, ceiling });
}

function use(ctx: DecideContext, q: MarketQuote): void {
  if (!q.estimated) ctx.used.add(`${q.waypoint}|${q.good}`);
}

/** The best market to buy `quantity` of `good` from, with every other market declined and why. */
export function evaluateBuy(ctx: DecideContext, good: string, quantity: number, dest: string | undefined, gated = false): { best?: BuyChoice; declined: Declined[] } {
  const { policy, view } = ctx;
  const cap = policy.maxUnitPrice[good];
  const declined: Declined[] = [];
  const eligible: MarketQuote[] = [];
  let exportRef: number | undefined;
  /** Median ask of the markets exporting the good (observed or estimated), else the base-price estimate. */
  const exportReference = (): number => {
    if (exportRef === undefined) {
      const asks = view.exporters(good).map((l) => view.quote(l.waypoint, good)!.purchasePrice);
      exportRef = asks.length ? median(asks) : estimateExportAsk(good, ctx.inputsOf);
    }
    return exportRef;
  };
  for (const { listing } of view.marketsListing(good)) {
    if (unreachable(ctx, listing.waypoint, declined)) continue;
    const q = view.quote(listing.waypoint, good)!;
    use(ctx, q); // a decline rests on its observation as much as the choice does
    if (!supplyAtLeast(q.supply, policy.minSupplyToBuy)) {
      declined.push({ waypoint: q.waypoint, why: `${q.type} market with supply ${q.supply}${q.estimated ? ' (assumed, not observed)' : ''}, below minSupplyToBuy ${policy.minSupplyToBuy}` });
      continue;
    }
    if (cap !== undefined && q.purchasePrice > cap) {
      declined.push({ waypoint: q.waypoint, why: `ask ${fmt(q.purchasePrice)} above policy maxUnitPrice ${fmt(cap)}` });
      continue;
    }
    // An import market consumes the good and usually asks ~3x what its makers do: buy there only
    // when it is not dearer than the export price × the ceiling margin.
    if (q.type === 'IMPORT' && q.purchasePrice > exportReference() * CEILING_MARGIN) {
      declined.push({ waypoint: q.waypoint, why: `IMPORT market asking ${fmt(q.purchasePrice)}, more than ${CEILING_MARGIN}× the export price ${fmt(exportReference())}` });
      continue;
    }
    eligible.push(q);
  }
  if (eligible.length === 0) return { declined };
  const marketCeiling = Math.round(median(eligible.map((q) => q.purchasePrice)) * (gated ? GATED_CEILING_MARGIN : CEILING_MARGIN));
  const ceiling = cap !== undefined ? Math.min(cap, marketCeiling) : marketCeiling;
  const ceilingEstimated = ceiling === marketCeiling && eligible.some((q) => q.estimated);
  const options: Array<BuyChoice & { landed: number }> = [];
  for (const q of eligible) {
    const walk = walkOf(ctx, q, quantity, gated, ceiling);
    if (walk.lastPrice > ceiling) {
      declined.push({ waypoint: q.waypoint, why: `buying ${quantity} walks the ask from ${fmt(q.purchasePrice)} to ${fmt(walk.lastPrice)}, above the ceiling ${fmt(ceiling)}` });
      continue;
    }
    // Long work: after each pause the ask comes back only to where the gate resumes.
    const resumes = gated ? walk.prices[GATED_CYCLE_TRANCHES] : undefined;
    if (resumes !== undefined && resumes >= ceiling) {
      declined.push({ waypoint: q.waypoint, why: `buying ${quantity} behind the supply gate resumes after each pause at about ${fmt(resumes)}, at the ceiling ${fmt(ceiling)} or above` });
      continue;
    }
    const travel = travelCredits(ctx, q.waypoint, dest, quantity);
    options.push({ quote: q, walk, ceiling, ceilingEstimated, travelCredits: travel, landed: walk.total + travel });
  }
  options.sort((a, b) => a.landed - b.landed || supplyRank(b.quote.supply) - supplyRank(a.quote.supply) || (a.quote.waypoint < b.quote.waypoint ? -1 : 1));
  if (options.length === 0 && eligible.length > 1) {
    const split = splitOverMarkets(ctx, eligible, quantity, ceiling, dest);
    if (split) {
      for (const part of split.split!) use(ctx, part.quote);
      const taken = new Set(split.split!.map((p) => p.quote.waypoint));
      // The markets in the split were declined for the whole quantity only: they are not declined.
      return { best: { ...split, ceilingEstimated }, declined: declined.filter((d) => !taken.has(d.waypoint)) };
    }
  }
  const [best, ...rest] = options;
  for (const o of rest) {
    declined.push({ waypoint: o.quote.waypoint, why: `landed cost ${fmt(o.landed)} above ${fmt(best!.landed)} at ${best!.quote.waypoint}` });
  }
  if (!best) return { declined };
  use(ctx, best.quote);
  const { landed: _landed, ...choice } = best;
  return { best: choice, declined };
}

/**
 * A purchase no one market can make under the ceiling, split over several: markets by their ask
 * (then supply, then name), each taking the most units whose walk stays at or under the ceiling,
 * until the quantity is covered. Undefined when even all of them together cannot.
 */
function splitOverMarkets(ctx: DecideContext, eligible: MarketQuote[], quantity: number, ceiling: number, dest: string | undefined): Omit<BuyChoice, 'ceilingEstimated'> | undefined {
  const order = [...eligible].sort((a, b) => a.purchasePrice - b.purchasePrice || supplyRank(b.supply) - supplyRank(a.supply) || (a.waypoint < b.waypoint ? -1 : 1));
  const parts: NonNullable<BuyChoice['split']> = [];
  let left = quantity;
  for (const q of order) {
    if (left <= 0) break;
    const units = unitsUnderCeiling(q, ceiling, left);
    if (units <= 0) continue;
    parts.push({ quote: q, quantity: units, walk: buyWalk(q.purchasePrice, q.tradeVolume, units), travelCredits: travelCredits(ctx, q.waypoint, dest, units) });
    left -= units;
  }
  if (left > 0 || parts.length < 2) return undefined;
  const walk: PriceWalk = {
    tranches: parts.flatMap((p) => p.walk.tranches),
    prices: parts.flatMap((p) => p.walk.prices),
    total: parts.reduce((a, p) => a + p.walk.total, 0),
    lastPrice: Math.max(...parts.map((p) => p.walk.lastPrice)),
  };
  return { quote: parts[0]!.quote, walk, ceiling, travelCredits: parts.reduce((a, p) => a + p.travelCredits, 0), split: parts };
}

/** The most units (≤ `max`, whole tranches and the rest) bought at `q` before its walk passes `ceiling`. */
function unitsUnderCeiling(q: MarketQuote, ceiling: number, max: number): number {
  if (q.purchasePrice > ceiling) return 0;
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (buyWalk(q.purchasePrice, q.tradeVolume, mid).lastPrice <= ceiling) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Feed quantity of each input for `quantity` units of output, sized to the quantity (see constants.ts). */
export function feedQuantity(quantity: number): number {
  return Math.max(MIN_FEED_UNITS, Math.ceil(quantity * FEED_RATIO));
}

function evaluateMake(ctx: DecideContext, good: string, quantity: number, dest: string | undefined, path: string[], gated: boolean): { best?: MakeChoice & { cost: number; estimated: boolean }; declined: Declined[]; why: string; cycle?: string[]; inputFailure?: NotObtainable } {
  const { view } = ctx;
  const declined: Declined[] = [];
  const inputs = [...new Set(ctx.inputsOf(good))].sort();
  const exporters = view.exporters(good).filter((l) => !unreachable(ctx, l.waypoint, declined));
  if (exporters.length === 0) return { declined, why: declined.length ? `every market exporting it is out of reach (${declined.map((d) => `${d.waypoint}: ${d.why}`).join('; ')})` : `no market in ${where(view)} exports it, so it cannot be made here` };
  if (inputs.length === 0) return { declined, why: 'the supply chain lists no inputs for it, so no factory can be fed' };
  const exportQuotes = exporters.map((l) => view.quote(l.waypoint, good)!);
  exportQuotes.forEach((q) => use(ctx, q));
  const exportAsks = exportQuotes.map((q) => q.purchasePrice);
  const marketCeiling = Math.round(median(exportAsks) * (gated ? GATED_CEILING_MARGIN : CEILING_MARGIN));
  const cap = ctx.policy.maxUnitPrice[good];
  const ceiling = cap !== undefined ? Math.min(cap, marketCeiling) : marketCeiling;
  const ceilingEstimated = ceiling === marketCeiling && exportQuotes.some((q) => q.estimated);
  const candidates = exporters
    .map((l) => ({ listing: l, fed: inputs.filter((i) => l.imports.includes(i)), quote: view.quote(l.waypoint, good)! }))
    .filter((c) => {
      if (c.fed.length === 0) {
        declined.push({ waypoint: c.listing.waypoint, why: `exports ${good} but imports none of its inputs (${inputs.join(', ')})` });
        return false;
      }
      // Feeding raises supply where it is short; where supply is already plentiful it barely
      // moves the price (LESSONS.md), so an ask above the ceiling there will stay above it.
      if (supplyAtLeast(c.quote.supply, ctx.policy.minSupplyToBuy) && c.quote.purchasePrice > ceiling) {
        declined.push({
          waypoint: c.listing.waypoint,
          why: `factory for ${good} already at supply ${c.quote.supply}${c.quote.estimated ? ' (assumed, not observed)' : ''} with ask ${fmt(c.quote.purchasePrice)} above the ceiling ${fmt(ceiling)}: feeding would not bring the price under it`,
        });
        return false;
      }
      return true;
    })
    .sort(
      (a, b) =>
        b.fed.length - a.fed.length ||
        supplyRank(b.quote.supply) - supplyRank(a.quote.supply) ||
        (dest ? view.distance(a.listing.waypoint, dest) - view.distance(b.listing.waypoint, dest) : 0) ||
        (a.listing.waypoint < b.listing.waypoint ? -1 : 1),
    );
  if (candidates.length === 0) return { declined, why: `no market exporting it can be used as a factory (${declined.map((d) => `${d.waypoint}: ${d.why}`).join('; ')})` };
  const feedQty = feedQuantity(quantity);
  let lastFailure: NotObtainable | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const fed: FedInput[] = [];
    const wellSupplied: string[] = [];
    let failed: NotObtainable | undefined;
    for (const input of c.fed) {
      const importQuote = view.quote(c.listing.waypoint, input)!;
      if (!importQuote.estimated && supplyAtLeast(importQuote.supply, WELL_SUPPLIED)) {
        // Production is not short of this input: feeding more would only sell into a full market.
        use(ctx, importQuote);
        wellSupplied.push(input);
        continue;
      }
      try {
        const onCycle = path.includes(input) || input === good;
        const decided = decide(ctx, input, feedQty, c.listing.waypoint, [...path, good], onCycle);
        use(ctx, importQuote);
        fed.push({ decided, bid: importQuote.sellPrice, tradeVolume: importQuote.tradeVolume });
      } catch (e) {
        if (!(e instanceof NotObtainable)) throw e;
        failed = e;
        break;
      }
    }
    if (failed) {
      if (!lastFailure || failed.cycle) lastFailure = failed;
      declined.push({ waypoint: c.listing.waypoint, why: `factory for ${good}, but cannot feed it ${failed.good}: ${failed.chain.length > 1 ? `${failed.chain.join(' → ')}: ` : ''}${failed.leafWhy}` });
      continue;
    }
    for (const other of candidates.slice(i + 1)) {
      declined.push({ waypoint: other.listing.waypoint, why: `also a factory for ${good}; ${c.listing.waypoint} preferred (imports ${c.fed.length} of ${inputs.length} inputs, supply ${c.quote.supply})` });
    }
    use(ctx, c.quote);
    const walk = walkOf(ctx, c.quote, quantity, gated, ceiling);
    const inputCost = fed.reduce((acc, f) => acc + f.decided.cost, 0);
    const bidRevenue = fed.reduce((acc, f) => acc + sellWalk(f.bid, f.tradeVolume, f.decided.quantity).total, 0);
    const feedRevenue = Math.min(bidRevenue, Math.round(inputCost * (1 - MIN_FEED_SPREAD_LOSS)));
    const cost = inputCost - feedRevenue + walk.total + travelCredits(ctx, c.listing.waypoint, dest, quantity);
    const estimated = c.quote.estimated || fed.some((f) => f.decided.priceBasis === 'estimated');
    return { best: { factory: c.listing.waypoint, quote: c.quote, walk, ceiling, ceilingEstimated, inputs: fed, wellSupplied, feedRevenue, cost, estimated }, declined, why: '' };
  }
  return { declined, why: `no factory can be fed ${lastFailure!.good}`, cycle: lastFailure?.cycle, inputFailure: lastFailure };
}

/**
 * Decides BUY or MAKE for `quantity` of `good` delivered to `dest` (a waypoint, or undefined for
 * the ship's hold), recursively for the inputs of what is made. `path` holds the goods being made
 * above this one; `buyOnly` is set for a good already on that path (a cycle of the supply chain),
 * which must be bought or the cycle is unbreakable. `gated` (long work, a construction material):
 * this node is bought behind apply's supply gate, so its price walk restarts as the market
 * recovers (its inputs are ordinary feeds). Throws NotObtainable.
 */
export function decide(ctx: DecideContext, good: string, quantity: number, dest: string | undefined, path: string[], buyOnly = false, gated = false): Decided {
  const { policy } = ctx;
  const evaluated = evaluateBuy(ctx, good, quantity, dest, gated);
  // policy.make: the good is made even where it can be bought, so no market is a BUY candidate.
  const forced = policy.make?.includes(good) ?? false;
  const forcedWhy = `policy.make lists ${good}`;
  const buy: { best?: BuyChoice; declined: Declined[] } = forced
    ? { declined: [...(evaluated.best ? [{ waypoint: evaluated.best.quote.waypoint, why: `sells it (ask ${fmt(evaluated.best.quote.purchasePrice)}), but ${forcedWhy}: made, not bought` }] : []), ...evaluated.declined] }
    : evaluated;
  const buyNode = (b: BuyChoice, reason: string, declined: Declined[]): Decided => ({
    good,
    quantity,
    action: 'BUY',
    waypoint: b.quote.waypoint,
    reason,
    declined,
    priceBasis: (b.split ? b.split.some((p) => p.quote.estimated) : b.quote.estimated) ? 'estimated' : 'observed',
    cost: b.walk.total + b.travelCredits,
    buy: b,
  });
  const buyReason = (b: BuyChoice): string =>
    b.split
      ? `no one market sells ${quantity} under the ceiling ${fmt(b.ceiling)}: split over ${b.split.length} markets (${b.split.map((p) => `${p.quantity} at ${p.quote.waypoint}, ask ${fmt(p.quote.purchasePrice)}, ${basis(p.quote)}`).join('; ')}); ~${fmt(b.walk.total)} with the price walks`
      : `sold at ${b.quote.waypoint} (${b.quote.type}, supply ${b.quote.supply}, ask ${fmt(b.quote.purchasePrice)}, ${basis(b.quote)}); ${quantity} units ~${fmt(b.walk.total)} with the price walk${gated ? ' (bought behind the supply gate: the walk restarts as the market recovers)' : ''}`;

  if (buyOnly) {
    const cycle = [...path.slice(path.indexOf(good) >= 0 ? path.indexOf(good) : 0), good];
    if (buy.best) return buyNode(buy.best, `${buyReason(buy.best)}; bought because it closes the cycle ${cycle.join(' → ')}`, buy.declined);
    const notSold = forced ? `${forcedWhy}, so it is not bought` : `${good} is not sold with enough supply (${summarise(buy.declined)})`;
    throw new NotObtainable(good, `the supply-chain cycle ${cycle.join(' → ')} has nothing buyable on it: ${notSold}`, buy.declined, cycle);
  }

  // policy.extract: mined or siphoned even where it can be bought or made.
  const forcedExtract = policy.extract?.includes(good) ?? false;
  const extractWhy = `policy.extract lists ${good}`;
  const extracted = ctx.extraction && ctx.fleet ? evaluateExtract({ view: ctx.view, policy, fuelPrice: ctx.fuelPrice, fleet: ctx.fleet, extraction: ctx.extraction }, good, quantity, dest, path.length === 0 && ctx.targetInHold === true) : undefined;
  const extractNode = (x: ExtractChoice, reason: string, declined: Declined[]): Decided => ({
    good,
    quantity,
    action: x.method,
    waypoint: x.crews[0]!.site,
    reason,
    declined,
    priceBasis: 'observed',
    cost: x.cost,
    extract: x,
  });
  const extractDecline = (x: ExtractChoice, than: string): Declined => ({ waypoint: x.crews[0]!.site, why: `${x.method === 'EXTRACT' ? 'mining' : 'siphoning'} here costs ~${fmt(x.cost)} (${x.shipHours} ship-hours at ${fmt(x.shipHourCredits)}/h, fuel ${fmt(x.fuelCredits)}${x.unwanted === 'sell' ? `, unwanted yields sold ${fmt(x.unwantedRevenue)}` : ''}) vs ${than}` });
  if (forcedExtract) {
    if (!extracted?.best) throw new NotObtainable(good, `${extractWhy}, but it cannot be extracted: ${extracted?.why ?? 'no extraction site or equipment is known'}`, buy.declined);
    const declined = evaluated.best ? [{ waypoint: evaluated.best.quote.waypoint, why: `sells it (ask ${fmt(evaluated.best.quote.purchasePrice)}), but ${extractWhy}: extracted, not bought` }, ...evaluated.declined] : evaluated.declined;
    return extractNode(extracted.best, `${extractWhy}; ${extractReason(extracted.best, good, quantity)}`, declined);
  }

  if (policy.mode === 'prefer-buy' && buy.best) return buyNode(buy.best, `prefer-buy: ${buyReason(buy.best)}`, buy.declined);

  const make = evaluateMake(ctx, good, quantity, dest, path, gated);
  const makeNode = (m: MakeChoice & { cost: number; estimated: boolean }, reason: string, declined: Declined[]): Decided => ({
    good,
    quantity,
    action: 'MAKE',
    waypoint: m.factory,
    reason,
    declined,
    priceBasis: m.estimated ? 'estimated' : 'observed',
    cost: m.cost,
    make: m,
  });
  const makeReason = (m: MakeChoice): string => {
    const imports = [...m.inputs.map((i) => i.decided.good), ...m.wellSupplied].sort();
    const feed = m.inputs.length ? `feed ${m.inputs.map((i) => `${i.decided.quantity} ${i.decided.good}`).join(', ')}` : 'feed nothing';
    const full = m.wellSupplied.length ? ` (${m.wellSupplied.join(', ')} already ${WELL_SUPPLIED} or more there)` : '';
    return `factory ${m.factory} exports it and imports ${imports.join(', ')}; ${feed}${full}, then buy ${quantity} there (ask ${fmt(m.quote.purchasePrice)}, ${basis(m.quote)})`;
  };
  const x = extracted?.best;
  // prefer-buy extracts only what cannot be bought; cheapest extracts where it costs least.
  if (x && !forced && (policy.mode === 'cheapest' || !buy.best)) {
    const buyCost = buy.best ? buy.best.walk.total + buy.best.travelCredits : undefined;
    const makeCost = make.best?.cost;
    const beatsBuy = buyCost === undefined || x.cost < buyCost;
    const beatsMake = makeCost === undefined || x.cost < makeCost;
    if (beatsBuy && beatsMake) {
      const vs = [buyCost !== undefined ? `buying ~${fmt(buyCost)}` : '', makeCost !== undefined ? `making ~${fmt(makeCost)}` : ''].filter(Boolean).join(' and ');
      const why = buyCost !== undefined || makeCost !== undefined
        ? `${policy.mode}: ${x.method === 'EXTRACT' ? 'mining' : 'siphoning'} ~${fmt(x.cost)} beats ${vs}`
        : buy.declined.length ? `not buyable with enough supply (${summarise(buy.declined)}), and it cannot be made: ${make.why}` : `no market in ${where(ctx.view)} sells it, and it cannot be made: ${make.why}`;
      const declined = [
        ...buy.declined,
        ...make.declined,
        ...(buy.best ? [{ waypoint: buy.best.quote.waypoint, why: `buying here costs ~${fmt(buyCost!)} vs extracting ~${fmt(x.cost)}` }] : []),
        ...(make.best ? [{ waypoint: make.best.factory, why: `making here costs ~${fmt(makeCost!)} vs extracting ~${fmt(x.cost)}` }] : []),
      ];
      return extractNode(x, `${why}; ${extractReason(x, good, quantity)}`, declined);
    }
  }
  const xDeclined = (than: string): Declined[] => (x ? [extractDecline(x, than)] : []);

  if (buy.best && make.best) {
    const buyCost = buy.best.walk.total + buy.best.travelCredits;
    if (buyCost <= make.best.cost) {
      return buyNode(buy.best, `cheapest: buying ~${fmt(buyCost)} beats making ~${fmt(make.best.cost)}; ${buyReason(buy.best)}`, [
        ...buy.declined,
        ...make.declined,
        { waypoint: make.best.factory, why: `making here costs ~${fmt(make.best.cost)} (inputs, feed spread loss and buying the output) vs buying ~${fmt(buyCost)}` },
        ...xDeclined(`buying ~${fmt(buyCost)}`),
      ]);
    }
    return makeNode(make.best, `cheapest: making ~${fmt(make.best.cost)} beats buying ~${fmt(buyCost)}; ${makeReason(make.best)}`, [
      ...buy.declined,
      { waypoint: buy.best.quote.waypoint, why: `buying here costs ~${fmt(buyCost)} vs making ~${fmt(make.best.cost)}` },
      ...make.declined,
      ...xDeclined(`making ~${fmt(make.best.cost)}`),
    ]);
  }
  if (buy.best) {
    const buyCost = buy.best.walk.total + buy.best.travelCredits;
    const lead = x ? `${policy.mode}: buying ~${fmt(buyCost)} beats ${x.method === 'EXTRACT' ? 'mining' : 'siphoning'} ~${fmt(x.cost)}; ` : '';
    return buyNode(buy.best, `${lead}${buyReason(buy.best)}; making is not possible: ${make.why}`, [...buy.declined, ...make.declined, ...xDeclined(`buying ~${fmt(buyCost)}`)]);
  }
  if (make.best) {
    const why = forced
      ? `${forcedWhy}: made even where it can be bought`
      : buy.declined.length
        ? `not buyable with enough supply (${summarise(buy.declined)})`
        : `no market in ${where(ctx.view)} sells it`;
    return makeNode(make.best, `${why}; ${makeReason(make.best)}`, [...buy.declined, ...make.declined, ...xDeclined(`making ~${fmt(make.best.cost)}`)]);
  }
  const notBuy = forced ? `${forcedWhy}, so it is not bought` : buy.declined.length ? `it cannot be bought (${summarise(buy.declined)})` : `no market in ${where(ctx.view)} sells it`;
  const notExtract = extracted && !extracted.best ? `; nor extracted: ${extracted.why}` : '';
  const declined = [...buy.declined, ...make.declined];
  const f = make.inputFailure;
  if (f) {
    const chain = [good, ...f.chain];
    const leaf = chain[chain.length - 1]!;
    throw new NotObtainable(good, `${notBuy}; making it needs ${chain.join(' → ')}, and ${leaf}: ${f.leafWhy}${notExtract}`, declined, make.cycle, chain, f.leafWhy);
  }
  throw new NotObtainable(good, `${notBuy}, and it cannot be made: ${make.why}${notExtract}`, declined, make.cycle);
}

/** The systems a refusal speaks of: the home system, or (issue 13) every system the view spans. */
export function where(view: MarketView, list = false): string {
  const systems = view.systems();
  if (systems.length === 1) return view.system;
  return list ? `${view.system} or the ${systems.length - 1} other systems in scope (${systems.slice(1).join(', ')})` : 'any system in scope';
}

function summarise(declined: Declined[]): string {
  if (declined.length === 0) return 'no market lists it';
  // The telling reasons first: real sellers (not import markets), then observed over assumed.
  const weight = (d: Declined): number => (/IMPORT market/.test(d.why) ? 2 : 0) + (/assumed/.test(d.why) ? 1 : 0);
  const ordered = declined.map((d, i) => ({ d, i })).sort((a, b) => weight(a.d) - weight(b.d) || a.i - b.i).map((x) => x.d);
  const shown = ordered.slice(0, 2).map((d) => `${d.waypoint}: ${d.why}`);
  return declined.length > 2 ? `${shown.join('; ')}; and ${declined.length - 2} more` : shown.join('; ');
}
