/** Test helpers: a tiny hand-made world with exact coordinates and prices, and a driver for the engine. */
import { expect } from 'chai';
import { ManualClock, SIM_ACCOUNT_TOKEN, Universe, type EngineResponse, type SimConfig, type WorldDefinition } from '../../../src/sim/engine/index.js';
import { EXPORT_TO_IMPORT_MAP } from '../../../src/sim/world/export-to-import-map.js';

export const SYS = 'X1-TEST';
export const wp = (s: string): string => `${SYS}-${s}`;

/**
 * HQ A1 (0,0) with orbital A2 (shipyard) and A3; B4 at (100,0) (FUEL exchange + IRON factory);
 * C5 at (-479,-364) and C6 at (-572,-435) (d = 117.004, the live BURN capture); D7 far away
 * (2000,0) to exhaust fuel.
 */
export function testWorld(): WorldDefinition {
  return {
    formatVersion: 1,
    source: 'unit test world',
    system: { symbol: SYS, sectorSymbol: 'X1', type: 'ORANGE_STAR', x: 0, y: 0 },
    headquarters: wp('A1'),
    faction: 'COSMIC',
    waypoints: [
      { symbol: wp('A1'), type: 'PLANET', x: 0, y: 0, traits: ['MARKETPLACE'] },
      { symbol: wp('A2'), type: 'MOON', x: 0, y: 0, orbits: wp('A1'), traits: ['MARKETPLACE', 'SHIPYARD'] },
      { symbol: wp('A3'), type: 'MOON', x: 0, y: 0, orbits: wp('A1'), traits: [] },
      { symbol: wp('B4'), type: 'PLANET', x: 100, y: 0, traits: ['MARKETPLACE'] },
      { symbol: wp('C5'), type: 'FUEL_STATION', x: -479, y: -364, traits: ['MARKETPLACE'] },
      { symbol: wp('C6'), type: 'ASTEROID_BASE', x: -572, y: -435, traits: [] },
      { symbol: wp('D7'), type: 'ASTEROID', x: 2000, y: 0, traits: [] },
    ],
    markets: [
      {
        symbol: wp('A1'),
        goods: [
          { symbol: 'FOOD', type: 'IMPORT', tradeVolume: 60, supply: 'MODERATE', sellPrice: 2000, purchasePrice: 4000 },
          { symbol: 'FUEL', type: 'EXCHANGE', tradeVolume: 180, supply: 'MODERATE', sellPrice: 68, purchasePrice: 72 },
        ],
      },
      { symbol: wp('A2'), goods: [{ symbol: 'FUEL', type: 'EXCHANGE', tradeVolume: 180, supply: 'MODERATE', sellPrice: 68, purchasePrice: 72 }] },
      {
        symbol: wp('B4'),
        goods: [
          { symbol: 'IRON', type: 'EXPORT', tradeVolume: 60, supply: 'MODERATE', sellPrice: 40, purchasePrice: 80 },
          { symbol: 'MACHINERY', type: 'EXPORT', tradeVolume: 6, supply: 'MODERATE', sellPrice: 900, purchasePrice: 1800 },
          { symbol: 'IRON_ORE', type: 'IMPORT', tradeVolume: 60, supply: 'LIMITED', sellPrice: 60, purchasePrice: 120 },
          { symbol: 'ALUMINUM', type: 'IMPORT', tradeVolume: 60, supply: 'MODERATE', sellPrice: 240, purchasePrice: 480 },
          { symbol: 'COPPER_ORE', type: 'EXCHANGE', tradeVolume: 180, supply: 'MODERATE', sellPrice: 50, purchasePrice: 54 },
          { symbol: 'FUEL', type: 'EXCHANGE', tradeVolume: 180, supply: 'MODERATE', sellPrice: 68, purchasePrice: 72 },
        ],
      },
      { symbol: wp('C5'), goods: [{ symbol: 'FUEL', type: 'EXCHANGE', tradeVolume: 180, supply: 'MODERATE', sellPrice: 68, purchasePrice: 72 }] },
    ],
    shipyards: [
      {
        symbol: wp('A2'),
        modificationsFee: 100,
        ships: [
          { type: 'SHIP_PROBE', purchasePrice: 21_000, supply: 'HIGH' },
          { type: 'SHIP_LIGHT_HAULER', purchasePrice: 272_775, supply: 'ABUNDANT' },
        ],
      },
    ],
    exportToImportMap: Object.fromEntries(Object.entries(EXPORT_TO_IMPORT_MAP).map(([k, v]) => [k, [...v]])),
  };
}

export interface Game {
  u: Universe;
  clock: ManualClock;
  /** Advance game time by `gameSeconds` (the clock moves gameSeconds / timeScale real seconds). */
  advanceGame(gameSeconds: number): void;
  call(operationId: string, opts?: { token?: string | null; params?: Record<string, string>; query?: Record<string, string>; body?: unknown }): EngineResponse;
}

export function newGame(config: Partial<SimConfig> = {}, world: WorldDefinition = testWorld()): Game {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const u = Universe.create({ world, clock, config, seed: 7 });
  const scale = u.config.timeScale;
  return {
    u,
    clock,
    advanceGame: (s) => clock.advance((s * 1000) / scale),
    call: (operationId, opts = {}) =>
      u.handle({ operationId, token: opts.token ?? undefined, params: opts.params ?? {}, query: opts.query ?? {}, body: opts.body }),
  };
}

export interface Agent {
  token: string;
  symbol: string;
  /** Call an operation as this agent; shipSymbol defaults to the agent's ship n (1 = frigate, 2 = probe). */
  call(operationId: string, body?: unknown, params?: Record<string, string>): EngineResponse;
  ship(n: number): string;
}

export function register(g: Game, symbol = 'ALPHA'): Agent {
  const r = g.call('register', { token: SIM_ACCOUNT_TOKEN, body: { symbol, faction: 'COSMIC' } });
  expect(r.status, JSON.stringify(r.body)).to.equal(201);
  const token = (r.body as { data: { token: string } }).data.token;
  return {
    token,
    symbol,
    ship: (n) => `${symbol}-${n.toString(16).toUpperCase()}`,
    call(operationId, body, params) {
      return g.call(operationId, { token, body, params: { shipSymbol: `${symbol}-1`, systemSymbol: SYS, ...(params ?? {}) } });
    },
  };
}

/** The `data` of a successful response (asserting its status). */
export function data<T = Record<string, any>>(r: EngineResponse, status = 200): T {
  expect(r.status, JSON.stringify(r.body)).to.equal(status);
  return (r.body as { data: T }).data;
}

export function error(r: EngineResponse): { message: string; code: number; data?: Record<string, any> } {
  const body = r.body as { error?: { message: string; code: number; data?: Record<string, any> } };
  expect(body.error, `expected an error, got ${r.status} ${JSON.stringify(r.body)}`).to.not.equal(undefined);
  return body.error!;
}

/** The trade good `symbol` in the market at `waypoint` as the agent sees it. */
export function tradeGood(a: Agent, waypoint: string, symbol: string): Record<string, any> {
  const m = data(a.call('get-market', undefined, { waypointSymbol: waypoint }));
  const g = (m['tradeGoods'] as Record<string, any>[] | undefined)?.find((t) => t['symbol'] === symbol);
  expect(g, `${symbol} visible at ${waypoint}`).to.not.equal(undefined);
  return g!;
}
