import type { MarketObservation, TradeType } from '../plan/types.js';
import { estimateQuote } from './estimate.js';
import type { ListedGood, MarketListing, MarketQuote } from './types.js';
import { systemOf } from '../api/symbols.js';

/**
 * (added for issue 13) How waypoints of different systems are linked through jump gates: set on a
 * view that spans several systems (src/routing/sector.ts). Absent: one system, as before.
 */
export interface SectorLinks {
  /** The in-system flights (gate to gate across jumps) of the route from a to b; undefined when no route. */
  legs(a: string, b: string): Array<{ from: string; to: string }> | undefined;
  /** Why `waypoint` cannot be reached from home (an unbuilt gate in the way), or undefined. */
  unreachable(waypoint: string): string | undefined;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One system's markets as the planner sees them: which market exports, imports or exchanges
 * what (listings), and for each listed good a quote that is either observed (with its age) or
 * estimated. Pure data: build it with loadMarketView() (API + cache) or directly in tests.
 * Every list it returns is sorted, so that plans built from it are deterministic.
 */
export class MarketView {
  readonly system: string;
  readonly now: Date;
  readonly #listings: Map<string, MarketListing>;
  readonly #observed = new Map<string, MarketObservation>();
  readonly #inputsOf?: (g: string) => readonly string[];
  readonly #maxAgeSeconds: number;

  constructor(opts: {
    system: string;
    listings: MarketListing[];
    observations: MarketObservation[];
    now: Date;
    inputsOf?: (good: string) => readonly string[];
    /** Observations older than this are not trusted: the good is quoted as an estimate instead. */
    maxObservationAgeSeconds?: number;
  }) {
    this.system = opts.system;
    this.now = opts.now;
    this.#maxAgeSeconds = opts.maxObservationAgeSeconds ?? Number.POSITIVE_INFINITY;
    this.#inputsOf = opts.inputsOf;
    const sorted = [...opts.listings].sort((a, b) => byString(a.waypoint, b.waypoint));
    this.#listings = new Map(sorted.map((l) => [l.waypoint, l]));
    for (const o of opts.observations) {
      const key = `${o.waypoint}|${o.good}`;
      const prev = this.#observed.get(key);
      if (!prev || prev.observedAt < o.observedAt) this.#observed.set(key, o);
    }
  }

  listings(): MarketListing[] {
    return [...this.#listings.values()];
  }

  listing(waypoint: string): MarketListing | undefined {
    return this.#listings.get(waypoint);
  }

  /** How `good` is listed at `waypoint`, if at all. */
  tradeType(waypoint: string, good: string): TradeType | undefined {
    const l = this.#listings.get(waypoint);
    if (!l) return undefined;
    if (l.exports.includes(good)) return 'EXPORT';
    if (l.imports.includes(good)) return 'IMPORT';
    if (l.exchange.includes(good)) return 'EXCHANGE';
    return undefined;
  }

  /** Every market listing `good`, in waypoint order. */
  marketsListing(good: string): ListedGood[] {
    const out: ListedGood[] = [];
    for (const listing of this.#listings.values()) {
      const type = this.tradeType(listing.waypoint, good);
      if (type) out.push({ listing, type });
    }
    return out;
  }

  /** Markets that EXPORT `good`: the only candidates for a factory of it (LESSONS.md #1). */
  exporters(good: string): MarketListing[] {
    return [...this.#listings.values()].filter((l) => l.exports.includes(good));
  }

  /** The observed quote (from a ship or the cache), else an estimate; undefined when not listed. */
  quote(waypoint: string, good: string): MarketQuote | undefined {
    const type = this.tradeType(waypoint, good);
    if (!type) return undefined;
    const seen = this.#observed.get(`${waypoint}|${good}`);
    let staleSince: string | undefined;
    if (seen) {
      const ageSeconds = Math.max(0, Math.round((this.now.getTime() - Date.parse(seen.observedAt)) / 1000));
      if (ageSeconds <= this.#maxAgeSeconds) return { ...seen, type, estimated: false, ageSeconds };
      staleSince = seen.observedAt;
    }
    const est = estimateQuote(good, type, this.#inputsOf);
    return { waypoint, good, type, ...est, observedAt: '', estimated: true, ...(staleSince ? { staleSince } : {}) };
  }

  /** All observations held and young enough to be trusted, sorted by waypoint then good. */
  observations(): MarketObservation[] {
    const maxMs = this.#maxAgeSeconds * 1000;
    return [...this.#observed.values()].filter((o) => this.now.getTime() - Date.parse(o.observedAt) <= maxMs).sort((a, b) => byString(a.waypoint, b.waypoint) || byString(a.good, b.good));
  }

  /** (issue 13) Set when the view spans systems linked by jump gates. */
  links?: SectorLinks;

  /** The systems the view's listings are in, home (`system`) first. */
  systems(): string[] {
    const out = new Set<string>([this.system]);
    for (const l of this.#listings.values()) out.add(systemOf(l.waypoint));
    return [...out];
  }

  /** Why a market cannot be reached (issue 13: behind an unbuilt gate), or undefined. */
  unreachable(waypoint: string): string | undefined {
    return this.links?.unreachable(waypoint);
  }

  /**
   * Straight-line distance between two waypoints (MECHANICS.md §2.1); unknown waypoints are an
   * error. Across systems: the sum of the in-system flights of the gate route (jumps burn no fuel).
   */
  distance(a: string, b: string): number {
    if (a === b) return 0;
    if (this.links && systemOf(a) !== systemOf(b)) {
      const legs = this.links.legs(a, b);
      if (!legs) throw new Error(`no gate route from ${a} to ${b} in the market view of ${this.system}`);
      return legs.reduce((acc, l) => acc + this.distance(l.from, l.to), 0);
    }
    const pa = this.position(a);
    const pb = this.position(b);
    return Math.hypot(pa.x - pb.x, pa.y - pb.y);
  }

  #positions = new Map<string, { x: number; y: number }>();

  /** Adds coordinates of non-market waypoints (e.g. where a ship is parked). */
  addPosition(waypoint: string, x: number, y: number): void {
    this.#positions.set(waypoint, { x, y });
  }

  position(waypoint: string): { x: number; y: number } {
    const l = this.#listings.get(waypoint);
    if (l) return { x: l.x, y: l.y };
    const p = this.#positions.get(waypoint);
    if (p) return p;
    throw new Error(`unknown waypoint ${waypoint} in market view of ${this.system}`);
  }

  hasPosition(waypoint: string): boolean {
    return this.#listings.has(waypoint) || this.#positions.has(waypoint);
  }
}
