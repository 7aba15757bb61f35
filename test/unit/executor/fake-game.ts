/**
 * A small in-memory SpaceTraders for executor unit tests: ships, fuel, cargo, credits, markets
 * with tradeVolume, price walk, transactions and a factory whose export supply rises as it is fed
 * (and with game time). It owns a game clock that sleeps advance instantly. Faults: `drop` makes a
 * committed purchase/sell throw an OutcomeUnknownError; `crashAt` throws a Crash on the Nth call
 * after committing (the test then resumes with a fresh context, as after kill -9).
 */
import type { GameClient, Market, MarketTradeGood, MarketTransaction, Ship } from '../../../src/executor/ports.js';
import type { Clock } from '../../../src/executor/clock.js';

export class GameErr extends Error {
  constructor(readonly gameCode: number, message: string, readonly data: Record<string, unknown> = {}, readonly status = 400) {
    super(message);
    this.name = 'GameError';
  }
}
export class OutcomeUnknown extends Error {
  constructor() {
    super('response dropped');
    this.name = 'OutcomeUnknownError';
  }
}
export class Crash extends Error {
  constructor() {
    super('crash');
    this.name = 'Crash';
  }
}

type Good = MarketTradeGood & { base: number; rank: number };
interface FakeMarket {
  goods: Map<string, Good>;
  tx: MarketTransaction[];
  /** For an export: imports whose sales raise its supply (units per supply level). */
  feeds?: { export: string; imports: string[]; unitsPerLevel: number; fed: number };
}

const LEVELS = ['SCARCE', 'LIMITED', 'MODERATE', 'HIGH', 'ABUNDANT'] as const;

export class FakeGame implements GameClient {
  gameMs = Date.UTC(2026, 0, 1);
  credits: number;
  readonly ships = new Map<string, Ship>();
  readonly markets = new Map<string, FakeMarket>();
  readonly coords = new Map<string, { x: number; y: number }>();
  calls = 0;
  posts: string[] = [];
  drop = new Set<string>();
  /** Throw a Crash on this POST number (1-based), after committing it. */
  crashAtPost?: number;
  postCount = 0;
  /** Every transaction ever (the markets only show their last 20). */
  readonly ledger: MarketTransaction[] = [];
  /** After a crash every call fails, as if the process had died, until `revive()`. */
  dead = false;
  metrics = { snapshot: () => ({ requestsTotal: this.calls }) };

  constructor(readonly agentSymbol = 'AGENT', credits = 1_000_000) {
    this.credits = credits;
  }

  clock(): Clock {
    return {
      timeScale: 1,
      nowMs: () => Date.now(),
      sleepGame: async (seconds: number) => {
        this.gameMs += seconds * 1000;
        await new Promise((r) => setImmediate(r));
      },
      sleepWall: async (ms: number) => {
        this.gameMs += ms;
        await new Promise((r) => setImmediate(r));
      },
    };
  }

  addWaypoint(symbol: string, x: number, y: number): void {
    this.coords.set(symbol, { x, y });
  }

  addGood(wp: string, symbol: string, type: 'EXPORT' | 'IMPORT' | 'EXCHANGE', price: number, tradeVolume: number, supply = 2): void {
    const m = this.markets.get(wp) ?? { goods: new Map(), tx: [] };
    m.goods.set(symbol, { symbol: symbol as never, type, tradeVolume, supply: LEVELS[supply]!, purchasePrice: price, sellPrice: Math.round(price / 2), base: price, rank: supply });
    this.markets.set(wp, m);
  }

  makeFactory(wp: string, exportGood: string, imports: string[], unitsPerLevel: number): void {
    const m = this.markets.get(wp)!;
    m.feeds = { export: exportGood, imports, unitsPerLevel, fed: 0 };
  }

  addShip(symbol: string, wp: string, capacity = 40, fuel = 400): void {
    this.ships.set(symbol, {
      symbol,
      nav: { systemSymbol: 'X1-T', waypointSymbol: wp, status: 'DOCKED', flightMode: 'CRUISE', route: { destination: this.#point(wp) as never, origin: this.#point(wp) as never, departureTime: new Date(this.gameMs).toISOString(), arrival: new Date(this.gameMs).toISOString() } },
      fuel: { current: fuel, capacity: fuel, consumed: { amount: 0, timestamp: new Date().toISOString() } },
      cargo: { capacity, units: 0, inventory: [] },
    } as unknown as Ship);
  }

  /** A route end as the API gives it: the waypoint and, when it has them, its coordinates. */
  #point(wp: string): { symbol: string; x?: number; y?: number } {
    return { symbol: wp, ...this.coords.get(wp) };
  }

  held(ship: string, good: string): number {
    return this.ships.get(ship)!.cargo.inventory.find((i) => i.symbol === good)?.units ?? 0;
  }

  revive(): void {
    this.dead = false;
  }

  #alive(): void {
    if (this.dead) throw new Crash();
  }

  #ship(s: string): Ship {
    this.#alive();
    this.calls++;
    const ship = this.ships.get(s);
    if (!ship) throw new GameErr(404, `ship ${s} not found`, {}, 404);
    if (ship.nav.status === 'IN_TRANSIT' && Date.parse(ship.nav.route.arrival) <= this.gameMs) ship.nav.status = 'IN_ORBIT';
    return ship;
  }

  #notInTransit(ship: Ship): void {
    if (ship.nav.status === 'IN_TRANSIT') {
      throw new GameErr(4214, 'in transit', { secondsToArrival: Math.ceil((Date.parse(ship.nav.route.arrival) - this.gameMs) / 1000) });
    }
  }

  /** Throw a Crash on this POST number (1-based) before committing it. */
  crashBeforePost?: number;

  #post(name: string): void {
    if (this.crashBeforePost !== undefined && this.postCount + 1 === this.crashBeforePost) {
      this.crashBeforePost = undefined;
      this.dead = true;
      throw new Crash();
    }
    this.postCount++;
    this.posts.push(name);
  }

  #after(kind: string): void {
    if (this.crashAtPost !== undefined && this.postCount === this.crashAtPost) {
      this.crashAtPost = undefined;
      this.dead = true;
      throw new Crash();
    }
    if (this.drop.has(kind)) {
      this.drop.delete(kind);
      throw new OutcomeUnknown();
    }
  }

  async getAgent() {
    this.#alive();
    this.calls++;
    return { symbol: this.agentSymbol, credits: this.credits, headquarters: 'X1-T-A', startingFaction: 'COSMIC', shipCount: this.ships.size } as never;
  }

  async getShip(s: string) {
    return structuredClone(this.#ship(s));
  }

  async orbit(s: string) {
    const ship = this.#ship(s);
    this.#notInTransit(ship);
    ship.nav.status = 'IN_ORBIT';
    return { nav: structuredClone(ship.nav) };
  }

  async dock(s: string) {
    const ship = this.#ship(s);
    this.#notInTransit(ship);
    ship.nav.status = 'DOCKED';
    return { nav: structuredClone(ship.nav) };
  }

  async navigate(s: string, wp: string) {
    const ship = this.#ship(s);
    this.#notInTransit(ship);
    if (ship.nav.status !== 'IN_ORBIT') throw new GameErr(4236, 'not in orbit');
    if (ship.nav.waypointSymbol === wp) throw new GameErr(4204, 'same destination');
    const a = this.coords.get(ship.nav.waypointSymbol) ?? { x: 0, y: 0 };
    const b = this.coords.get(wp) ?? { x: 0, y: 0 };
    const d = Math.round(Math.hypot(a.x - b.x, a.y - b.y));
    const fuel = ship.nav.flightMode === 'DRIFT' ? 1 : d;
    if (ship.fuel.capacity > 0 && ship.fuel.current < fuel) throw new GameErr(4203, 'insufficient fuel', { fuelRequired: fuel, fuelAvailable: ship.fuel.current });
    ship.fuel.current -= ship.fuel.capacity > 0 ? fuel : 0;
    const secs = Math.round((Math.max(1, d) * (ship.nav.flightMode === 'DRIFT' ? 250 : 25)) / 15 + 15);
    ship.nav = { ...ship.nav, status: 'IN_TRANSIT', waypointSymbol: wp, route: { ...ship.nav.route, origin: ship.nav.route.destination, destination: this.#point(wp) as never, departureTime: new Date(this.gameMs).toISOString(), arrival: new Date(this.gameMs + secs * 1000).toISOString() } };
    return { nav: structuredClone(ship.nav), fuel: structuredClone(ship.fuel) };
  }

  async setFlightMode(s: string, mode: Ship['nav']['flightMode']) {
    const ship = this.#ship(s);
    ship.nav.flightMode = mode;
    return { nav: structuredClone(ship.nav), fuel: structuredClone(ship.fuel) };
  }

  async refuel(s: string) {
    const ship = this.#ship(s);
    this.#notInTransit(ship);
    if (ship.nav.status !== 'DOCKED') throw new GameErr(4244, 'not docked');
    const fuel = this.markets.get(ship.nav.waypointSymbol)?.goods.get('FUEL');
    if (!fuel) throw new GameErr(4601, 'no fuel');
    this.#post('refuel');
    const units = Math.ceil((ship.fuel.capacity - ship.fuel.current) / 100);
    const total = units * fuel.purchasePrice;
    this.credits -= total;
    ship.fuel.current = ship.fuel.capacity;
    const tx = this.#tx(ship, 'FUEL', 'PURCHASE', units, fuel.purchasePrice);
    this.#after('refuel');
    return { agent: (await this.getAgent()) as never, fuel: structuredClone(ship.fuel), transaction: tx };
  }

  #tx(ship: Ship, good: string, type: 'PURCHASE' | 'SELL', units: number, price: number): MarketTransaction {
    const tx = { waypointSymbol: ship.nav.waypointSymbol, shipSymbol: ship.symbol, tradeSymbol: good, type, units, pricePerUnit: price, totalPrice: units * price, timestamp: new Date(this.gameMs + this.postCount).toISOString() };
    const m = this.markets.get(ship.nav.waypointSymbol)!;
    m.tx.push(tx);
    this.ledger.push(structuredClone(tx));
    if (m.tx.length > 20) m.tx.shift();
    return structuredClone(tx);
  }

  #trade(s: string, good: string, units: number, kind: 'buy' | 'sell') {
    const ship = this.#ship(s);
    this.#notInTransit(ship);
    if (ship.nav.status !== 'DOCKED') throw new GameErr(4244, 'not docked');
    const m = this.markets.get(ship.nav.waypointSymbol);
    const g = m?.goods.get(good);
    if (!m || !g) throw new GameErr(kind === 'buy' ? 4601 : 4602, `${good} not traded here`);
    if (units > g.tradeVolume) throw new GameErr(4604, 'over trade volume', { tradeVolume: g.tradeVolume });
    const item = ship.cargo.inventory.find((i) => i.symbol === good);
    if (kind === 'buy') {
      if (ship.cargo.units + units > ship.cargo.capacity) throw new GameErr(4217, 'cargo full');
      const price = g.purchasePrice;
      if (this.credits < units * price) throw new GameErr(4600, 'insufficient credits');
      this.#post('purchase');
      this.credits -= units * price;
      if (item) item.units += units;
      else ship.cargo.inventory.push({ symbol: good as never, name: good, description: '', units });
      ship.cargo.units += units;
      const tx = this.#tx(ship, good, 'PURCHASE', units, price);
      g.purchasePrice = Math.round(price * (1 + 0.05 * (units / g.tradeVolume)));
      if (m.feeds?.export === good) this.#setRank(g, g.rank - units / g.tradeVolume);
      this.#after('purchase');
      return { agent: { symbol: this.agentSymbol, credits: this.credits } as never, cargo: structuredClone(ship.cargo), transaction: tx };
    }
    if (!item || item.units < units) throw new GameErr(4219, 'not enough cargo');
    this.#post('sell');
    const price = g.sellPrice;
    this.credits += units * price;
    item.units -= units;
    ship.cargo.units -= units;
    ship.cargo.inventory = ship.cargo.inventory.filter((i) => i.units > 0);
    const tx = this.#tx(ship, good, 'SELL', units, price);
    if (m.feeds?.imports.includes(good)) {
      m.feeds.fed += units;
      const out = m.goods.get(m.feeds.export)!;
      this.#setRank(out, out.rank + units / m.feeds.unitsPerLevel);
    }
    this.#after('sell');
    return { agent: { symbol: this.agentSymbol, credits: this.credits } as never, cargo: structuredClone(ship.cargo), transaction: tx };
  }

  #setRank(g: Good, rank: number): void {
    g.rank = Math.max(0, Math.min(4, rank));
    g.supply = LEVELS[Math.floor(g.rank)]!;
  }

  async purchaseCargo(s: string, good: string, units: number) {
    return this.#trade(s, good, units, 'buy');
  }

  async sellCargo(s: string, good: string, units: number) {
    return this.#trade(s, good, units, 'sell');
  }

  async getMarket(_system: string, wp: string): Promise<Market> {
    this.#alive();
    this.calls++;
    const m = this.markets.get(wp);
    if (!m) throw new GameErr(4603, 'no market');
    const present = [...this.ships.values()].some((s) => s.nav.waypointSymbol === wp && s.nav.status !== 'IN_TRANSIT');
    const goods = [...m.goods.values()].map(({ base: _b, rank: _r, ...g }) => ({ ...g }));
    return {
      symbol: wp,
      exports: [],
      imports: [],
      exchange: [],
      ...(present ? { tradeGoods: goods as MarketTradeGood[], transactions: structuredClone(m.tx) } : {}),
    } as Market;
  }

}
