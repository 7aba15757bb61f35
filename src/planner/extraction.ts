/**
 * EXTRACT and SIPHON as a source (issue 14, BEYOND.md b): for a good some asteroid or gas giant of
 * the system yields, the crew the fleet can field (miners or siphoners, a surveyor, a hauler), the
 * rate it extracts the good at and what that costs, on the same terms as buying and making.
 *
 * Rate, per miner: units per extraction (Σ mount strength) × the good's share of the yields ÷ the
 * cooldown (60 + 10 × Σ power). The share is the site's yield table (its traits); with a surveyor
 * that can find the good, the share of the best of the surveys one survey call makes (a survey
 * lists SURVEY_DEPOSITS deposits drawn from that table; an extraction with it yields one of them).
 * An asteroid takes at most STABILITY_MARGIN × 10 extractions a minute (4253 beyond), and at most
 * policy.maxMinersPerSite miners: miners beyond that go to the next asteroid yielding the good.
 *
 * Cost: ship time (every crew ship is busy for the crew's duration) at policy.shipHourCredits,
 * plus fuel for the legs, less what unwanted yields sell for at the destination (policy
 * unwantedYield: sell; jettisoned by default, worth nothing).
 */
import { fuelCost, travelSeconds } from '../game/nav.js';
import {
  ASTEROID_EXTRACTIONS_PER_MINUTE,
  cooldownSeconds,
  shareOf,
  surveyWeights,
  yieldWeights,
  type ExtractMethod,
  type Extractor,
  type MountSum,
} from '../game/extraction.js';
import type { MarketView } from '../market/view.js';
import type { FleetShip, PlanPolicy } from '../plan/types.js';
import { DEFAULT_SHIP_HOUR_CREDITS, REQUESTS_PER_TRANSFER, STABILITY_MARGIN, SURVEY_DEPOSITS } from './constants.js';
import { sellWalk } from './pricing.js';

/** A waypoint extraction may work at (an asteroid or a gas giant), as listed by the API. */
export interface ExtractionSite {
  waypoint: string;
  type: string;
  traits: string[];
}

/** What the planner knows for extraction: the sites of the system and the fleet ships' equipment. */
export interface ExtractionInput {
  sites: ExtractionSite[];
  /** By ship symbol; ships without extraction equipment are absent. */
  extractors: Record<string, Extractor>;
}

export interface MinerRate {
  ship: string;
  /** Units per extraction (Σ strength) and the cooldown between extractions. */
  yieldUnits: number;
  cooldownSeconds: number;
  /** Units of the wanted good per game hour. */
  unitsPerHour: number;
}

/** One site's crew: its miners, the share of the quantity it extracts, its duration. */
export interface Crew {
  site: string;
  share: number;
  surveyed: boolean;
  miners: MinerRate[];
  quantity: number;
  unitsPerHour: number;
  /** From the hauler's start to its last delivery. */
  seconds: number;
  /** Game seconds the miners extract for the crew's quantity. */
  extractingSeconds: number;
  trips: number;
  roundTripSeconds: number;
  /** The hauler is one of the miners (it mines while at the site). */
  selfHaul: boolean;
  /** API calls: extractions and jettisons (over the miners), surveys, transfers (the hauler's). */
  calls: { extractions: number; jettisons: number; surveys: number; transfers: number };
}

export interface ExtractChoice {
  method: ExtractMethod;
  crews: Crew[];
  /** Sites yielding the good beyond those used, nearest to the destination first (where a crew goes on 4253). */
  alternates: string[];
  surveyor?: string;
  hauler: string;
  unwanted: 'jettison' | 'sell';
  unitsPerHour: number;
  seconds: number;
  shipHours: number;
  fuelCredits: number;
  unwantedRevenue: number;
  shipHourCredits: number;
  /** Ship time at shipHourCredits + fuel − unwanted sales: what `cheapest` compares. */
  cost: number;
}

export interface ExtractContext {
  view: MarketView;
  policy: PlanPolicy;
  fuelPrice: number;
  fleet: FleetShip[];
  extraction: ExtractionInput;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** E[best share] of the wanted good over `m` surveys of `n` deposits each drawn with probability p, given one lists it. */
export function surveyedShare(p: number, m: number, n = SURVEY_DEPOSITS): number {
  if (p <= 0 || m <= 0) return 0;
  const pmf = (k: number): number => binom(n, k) * p ** k * (1 - p) ** (n - k);
  const cdf: number[] = [];
  let acc = 0;
  for (let k = 0; k <= n; k++) cdf.push((acc += pmf(k)));
  const none = cdf[0]! ** m;
  if (none >= 1) return 0;
  let e = 0;
  for (let j = 1; j <= n; j++) e += j * (cdf[j]! ** m - cdf[j - 1]! ** m);
  return e / (1 - none) / n;
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Which method yields the good at some site, and the sites (best share first, then nearest the destination). */
function sitesFor(ctx: ExtractContext, good: string, dest: string | undefined): { method: ExtractMethod; sites: Array<{ site: ExtractionSite; share: number }> } | undefined {
  for (const method of ['EXTRACT', 'SIPHON'] as const) {
    const sites = ctx.extraction.sites
      .map((site) => ({ site, share: shareOf(yieldWeights(method, site.type, site.traits) ?? {}, good) }))
      .filter((s) => s.share > 0 && ctx.view.hasPosition(s.site.waypoint));
    if (!sites.length) continue;
    const d = (w: string): number => (dest ? ctx.view.distance(w, dest) : 0);
    sites.sort((a, b) => b.share - a.share || d(a.site.waypoint) - d(b.site.waypoint) || (a.site.waypoint < b.site.waypoint ? -1 : 1));
    return { method, sites };
  }
  return undefined;
}

const mountOf = (e: Extractor, method: ExtractMethod): MountSum | undefined => (method === 'EXTRACT' ? e.mine : e.siphon);

/**
 * The crew, rate and cost of extracting `quantity` of `good` for `dest`, or why it cannot be
 * extracted here. Pure.
 */
export function evaluateExtract(ctx: ExtractContext, good: string, quantity: number, dest: string | undefined, keepInHold: boolean): { best?: ExtractChoice; why: string } {
  const { view, policy } = ctx;
  const found = sitesFor(ctx, good, dest);
  if (!found) return { why: `no asteroid or gas giant of ${view.system} yields ${good}` };
  const { method, sites } = found;
  const kind = method === 'EXTRACT' ? 'a mining laser and a mineral processor' : 'a gas siphon and a gas processor';
  const ships = [...ctx.fleet].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  const capable = ships.filter((s) => {
    const e = ctx.extraction.extractors[s.symbol];
    return e && mountOf(e, method);
  });
  if (!capable.length) return { why: `${sites[0]!.site.waypoint} yields ${good}, but no ship of the fleet has ${kind}` };

  // The hauler: the largest hold that is no miner; else the largest miner hauls its own yield.
  const carriers = ships.filter((s) => s.cargoCapacity > 0);
  const byHold = (a: FleetShip, b: FleetShip): number => b.cargoCapacity - a.cargoCapacity || (a.symbol < b.symbol ? -1 : 1);
  const hauler = [...carriers.filter((s) => !capable.includes(s))].sort(byHold)[0] ?? [...capable.filter((s) => s.cargoCapacity > 0)].sort(byHold)[0];
  if (!hauler) return { why: `no ship of the fleet can carry ${good} from the site` };
  if (keepInHold && quantity > hauler.cargoCapacity) {
    return { why: `the ${quantity} ${good} to keep in a hold exceed the hauler ${hauler.symbol}'s hold of ${hauler.cargoCapacity}` };
  }

  // A surveyor that can find the good (mining only: gas giants are not surveyed).
  const surveyors = method === 'EXTRACT' ? ships.filter((s) => ctx.extraction.extractors[s.symbol]?.survey?.deposits.includes(good)) : [];
  const surveyor = surveyors.sort((a, b) => ctx.extraction.extractors[b.symbol]!.survey!.strength - ctx.extraction.extractors[a.symbol]!.survey!.strength || (a.symbol < b.symbol ? -1 : 1))[0];
  const surveyStrength = surveyor ? ctx.extraction.extractors[surveyor.symbol]!.survey!.strength : 0;

  // Miners to sites: the best site first, while its extraction rate stays under the stability limit.
  const limit = ASTEROID_EXTRACTIONS_PER_MINUTE * STABILITY_MARGIN;
  const rates = capable
    .map((s) => {
      const m = mountOf(ctx.extraction.extractors[s.symbol]!, method)!;
      return { ship: s, yieldUnits: m.strength, cooldownSeconds: cooldownSeconds(m.power) };
    })
    .sort((a, b) => b.yieldUnits / b.cooldownSeconds - a.yieldUnits / a.cooldownSeconds || (a.ship.symbol < b.ship.symbol ? -1 : 1));
  const assigned: Array<{ site: ExtractionSite; share: number; surveyed: boolean; miners: MinerRate[]; load: number }> = [];
  let siteIndex = 0;
  for (const r of rates) {
    for (;;) {
      const s = sites[siteIndex];
      if (!s) break;
      let crew = assigned.find((a) => a.site === s.site);
      if (!crew) {
        const sv = surveyor ? surveyedShare(shareOf(filterTo(surveyWeights(s.site.traits), ctx.extraction.extractors[surveyor.symbol]!.survey!.deposits), good), surveyStrength) : 0;
        crew = { site: s.site, share: Math.max(s.share, sv), surveyed: sv > s.share, miners: [], load: 0 };
        assigned.push(crew);
      }
      const perMinute = 60 / r.cooldownSeconds;
      // A siphon does not strain a gas giant.
      const capped = policy.maxMinersPerSite !== undefined && crew.miners.length >= policy.maxMinersPerSite;
      if (method === 'EXTRACT' && crew.miners.length > 0 && (crew.load + perMinute > limit || capped)) {
        siteIndex++;
        continue;
      }
      crew.load += perMinute;
      crew.miners.push({ ship: r.ship.symbol, yieldUnits: r.yieldUnits, cooldownSeconds: r.cooldownSeconds, unitsPerHour: (3600 / r.cooldownSeconds) * r.yieldUnits * crew.share });
      break;
    }
  }
  const used = assigned.filter((a) => a.miners.length > 0);
  if (!used.length) return { why: `no ship of the fleet can extract ${good} at ${sites[0]!.site.waypoint}` };

  const mode = policy.flightMode;
  const shipOf = (sym: string): FleetShip => ships.find((s) => s.symbol === sym)!;
  const legSeconds = (ship: FleetShip, a: string, b: string): number => (a === b ? 0 : travelSeconds(view.distance(a, b), mode, ship.speed));
  const legFuel = (ship: FleetShip, a: string, b: string): number => (a === b ? 0 : fuelCost(view.distance(a, b), mode, ship.fuelCapacity));
  const haulTo = dest ?? hauler.waypoint;
  const totalRate = used.reduce((acc, c) => acc + c.miners.reduce((s, m) => s + m.unitsPerHour, 0), 0);
  const unwanted = policy.unwantedYield ?? 'jettison';
  const crews: Crew[] = [];
  let fuel = 0;
  let shipSeconds = 0;
  let assignedQty = 0;
  used.forEach((c, i) => {
    const rate = c.miners.reduce((s, m) => s + m.unitsPerHour, 0);
    const q = i === used.length - 1 ? quantity - assignedQty : Math.round((quantity * rate) / totalRate);
    assignedQty += q;
    const site = c.site.waypoint;
    const selfHaul = c.miners.some((m) => m.ship === hauler.symbol);
    // With unwanted yields sold, they ride in the hauler's hold too.
    const perTrip = unwanted === 'sell' ? Math.max(1, Math.floor(hauler.cargoCapacity * c.share)) : hauler.cargoCapacity;
    const trips = Math.max(1, Math.ceil(q / perTrip));
    const roundTrip = 2 * legSeconds(hauler, site, haulTo);
    const extracting = (q / rate) * 3600;
    const seconds = Math.round(legSeconds(hauler, hauler.waypoint, site) + (selfHaul ? extracting + (trips - 1) * roundTrip : Math.max(extracting, (trips - 1) * roundTrip)) + legSeconds(hauler, site, haulTo));
    fuel += legFuel(hauler, hauler.waypoint, site) + (2 * trips - 1) * legFuel(hauler, site, haulTo);
    for (const m of c.miners) if (m.ship !== hauler.symbol) fuel += legFuel(shipOf(m.ship), shipOf(m.ship).waypoint, site);
    const crewShips = new Set([hauler.symbol, ...c.miners.map((m) => m.ship), ...(surveyor ? [surveyor.symbol] : [])]);
    shipSeconds += seconds * crewShips.size;
    const extractions = c.miners.length ? Math.ceil(q / (c.share * (c.miners.reduce((s, m) => s + m.yieldUnits, 0) / c.miners.length))) : 0;
    const jettisons = unwanted === 'jettison' ? Math.ceil(extractions * (1 - c.share)) : 0;
    const surveys = c.surveyed ? Math.max(1, Math.ceil(seconds / 1800)) : 0;
    const transfers = selfHaul && c.miners.length === 1 ? 0 : trips * c.miners.length * REQUESTS_PER_TRANSFER;
    crews.push({
      site, share: c.share, surveyed: c.surveyed, miners: c.miners, quantity: q, unitsPerHour: Math.round(rate * 10) / 10, seconds,
      extractingSeconds: Math.round(extracting), trips, roundTripSeconds: Math.round(roundTrip), selfHaul,
      calls: { extractions, jettisons, surveys, transfers },
    });
  });
  const seconds = Math.max(...crews.map((c) => c.seconds));
  const fuelCredits = Math.round((fuel / 100) * ctx.fuelPrice);
  // Unwanted yields sold where the good is delivered, when that market trades them.
  let unwantedRevenue = 0;
  if (unwanted === 'sell' && dest) {
    for (const c of crews) {
      const weights = yieldWeights(method, ctx.extraction.sites.find((s) => s.waypoint === c.site)!.type, ctx.extraction.sites.find((s) => s.waypoint === c.site)!.traits)!;
      const total = Object.values(weights).reduce((a, w) => a + w, 0);
      const extracted = c.quantity / c.share;
      for (const [g, w] of Object.entries(weights)) {
        if (g === good) continue;
        const q = view.quote(dest, g);
        if (q) unwantedRevenue += sellWalk(q.sellPrice, q.tradeVolume, Math.round((extracted * w) / total)).total;
      }
    }
  }
  const shipHourCredits = policy.shipHourCredits ?? DEFAULT_SHIP_HOUR_CREDITS;
  const shipHours = shipSeconds / 3600;
  const usedSites = new Set(crews.map((c) => c.site));
  return {
    best: {
      method,
      crews,
      alternates: sites.map((s) => s.site.waypoint).filter((w) => !usedSites.has(w)).slice(0, 3),
      ...(surveyor ? { surveyor: surveyor.symbol } : {}),
      hauler: hauler.symbol,
      unwanted,
      unitsPerHour: Math.round(totalRate * 10) / 10,
      seconds,
      shipHours: Math.round(shipHours * 100) / 100,
      fuelCredits,
      unwantedRevenue: Math.round(unwantedRevenue),
      shipHourCredits,
      cost: Math.max(0, Math.round(shipHours * shipHourCredits + fuelCredits - unwantedRevenue)),
    },
    why: '',
  };
}

function filterTo(weights: Readonly<Record<string, number>>, visible: readonly string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(weights).filter(([g]) => visible.includes(g)));
}

/** The sentence a decision records for an extraction. */
export function extractReason(c: ExtractChoice, good: string, quantity: number): string {
  const verb = c.method === 'EXTRACT' ? 'mine' : 'siphon';
  const crews = c.crews
    .map((k) => `${k.site}: ${k.miners.map((m) => m.ship).join(', ')} (${Math.round(k.share * 100)}% ${good}${k.surveyed ? ` with ${c.surveyor}'s surveys` : ''}, ${k.unitsPerHour} u/h, ${k.miners.map((m) => `${m.yieldUnits} u per ${m.cooldownSeconds}s`).join(', ')})`)
    .join('; ');
  return (
    `${verb} ${quantity} ${good} at ${crews}; ${c.hauler} hauls; ~${c.unitsPerHour} u/h in all, ${fmt(c.seconds / 60)} game min, ${c.shipHours} ship-hours at ${fmt(c.shipHourCredits)}/h + fuel ${fmt(c.fuelCredits)}` +
    (c.unwanted === 'sell' ? ` − unwanted yields sold ${fmt(c.unwantedRevenue)}` : '; unwanted yields jettisoned') +
    ` = ~${fmt(c.cost)}`
  );
}
