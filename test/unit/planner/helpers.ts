import fs from 'node:fs';
import path from 'node:path';
import type { MarketListing } from '../../../src/market/types.js';
import { MarketView } from '../../../src/market/view.js';
import type { FleetShip, MarketObservation, PlanBody, PlanPolicy, SupplyLevel, TradeType } from '../../../src/plan/types.js';
import { buildPlanBody, type PlannerInput } from '../../../src/planner/build.js';
import { loadSupplyChain } from '../../../src/supply-chain/index.js';

export const NOW = new Date('2026-01-01T12:00:00.000Z');
export const OBSERVED_AT = '2026-01-01T11:30:00.000Z';

/** The live exportToImportMap (129 goods, cyclic), from the repo's supply_chain.yaml. */
export const REAL_MAP: Record<string, string[]> = loadSupplyChain().map;
export const inputsOf = (map: Record<string, string[]>) => (g: string): readonly string[] => map[g] ?? [];

/** A crafted market: `goods` maps a good to [type, supply, ask, tradeVolume?]; bid = ask/2. */
export function market(
  waypoint: string,
  x: number,
  y: number,
  goods: Record<string, readonly [TradeType, SupplyLevel, number, number?]>,
): { listing: MarketListing; observations: MarketObservation[] } {
  const listing: MarketListing = { waypoint, x, y, exports: [], imports: [], exchange: [] };
  const observations: MarketObservation[] = [];
  for (const [good, [type, supply, ask, tv]] of Object.entries(goods).sort()) {
    (type === 'EXPORT' ? listing.exports : type === 'IMPORT' ? listing.imports : listing.exchange).push(good);
    observations.push({ waypoint, good, type, supply, purchasePrice: ask, sellPrice: Math.round(ask / 2), tradeVolume: tv ?? 20, observedAt: OBSERVED_AT });
  }
  return { listing, observations };
}

export function view(markets: Array<ReturnType<typeof market>>, map: Record<string, string[]> = REAL_MAP, opts: { observed?: boolean } = {}): MarketView {
  return new MarketView({
    system: 'X1-TEST',
    listings: markets.map((m) => m.listing),
    observations: opts.observed === false ? [] : markets.flatMap((m) => m.observations),
    now: NOW,
    inputsOf: inputsOf(map),
  });
}

export function ship(symbol: string, waypoint: string, cargoCapacity = 40, speed = 36): FleetShip {
  return { symbol, role: 'HAULER', frame: 'FRAME_FRIGATE', cargoCapacity, fuelCapacity: 400, speed, waypoint };
}

export const POLICY: PlanPolicy = {
  mode: 'prefer-buy',
  minSupplyToBuy: 'MODERATE',
  maxCredits: 1_000_000,
  maxUnitPrice: {},
  reserveCredits: 10_000,
  productionTimeoutSeconds: 7200,
  pollSeconds: 60,
  flightMode: 'CRUISE',
};

export function plan(
  v: MarketView,
  good: string,
  quantity: number,
  opts: { policy?: Partial<PlanPolicy>; fleet?: FleetShip[]; map?: Record<string, string[]>; credits?: number; deliver?: PlanBody['spec']['target']['deliver']; targetHeld?: number; server?: PlannerInput['server'] } = {},
): PlanBody {
  const first = v.listings()[0]!.waypoint;
  const input: PlannerInput = {
    spec: {
      name: 'test',
      system: v.system,
      target: { good, quantity, deliver: opts.deliver ?? { kind: 'hold' } },
      policy: { ...POLICY, ...opts.policy },
    },
    lineage: { agentSymbol: 'TESTER', resetDate: '2026-01-01' },
    specHash: 'sha256:spec',
    supplyChainHash: 'sha256:chain',
    fleet: withHeld(opts.fleet ?? [ship('TESTER-1', first), ship('TESTER-3', first)], good, opts.targetHeld),
    view: v,
    inputsOf: inputsOf(opts.map ?? REAL_MAP),
    agentCredits: opts.credits ?? 500_000,
    ...(opts.server ? { server: opts.server } : {}),
  };
  return buildPlanBody(input);
}

/** `held` units of the target in the first ship's hold (as the API's cargo would show). */
function withHeld(fleet: FleetShip[], good: string, held?: number): FleetShip[] {
  if (!held) return fleet;
  return fleet.map((s, i) => (i === 0 ? { ...s, cargo: [{ good, units: held }] } : s));
}

/** Every decision node of a tree, depth first. */
export function nodes(body: PlanBody): PlanBody['decisions'][] {
  const out: PlanBody['decisions'][] = [];
  const walk = (n: PlanBody['decisions']): void => {
    out.push(n);
    n.inputs.forEach(walk);
  };
  walk(body.decisions);
  return out;
}

interface World {
  system: { symbol: string };
  waypoints: Array<{ symbol: string; x: number; y: number }>;
  markets: Array<{ symbol: string; goods: Array<{ symbol: string; type: TradeType; supply: SupplyLevel; purchasePrice: number; sellPrice: number; tradeVolume: number }> }>;
}

/**
 * The real starting system X1-AD75 (25 markets; live capture of 2025-04-09, as the repo's
 * worlds/X1-AD75.json holds it), every price observed at OBSERVED_AT.
 */
export function captureView(opts: { observed?: boolean } = {}): MarketView {
  const world = JSON.parse(fs.readFileSync(path.resolve('worlds/X1-AD75.json'), 'utf8')) as World;
  const pos = new Map(world.waypoints.map((w) => [w.symbol, w]));
  const listings: MarketListing[] = world.markets.map((m) => {
    const of = (t: TradeType) => m.goods.filter((g) => g.type === t).map((g) => g.symbol).sort();
    return { waypoint: m.symbol, x: pos.get(m.symbol)!.x, y: pos.get(m.symbol)!.y, exports: of('EXPORT'), imports: of('IMPORT'), exchange: of('EXCHANGE') };
  });
  const observations: MarketObservation[] = world.markets.flatMap((m) =>
    m.goods.map((g) => ({ waypoint: m.symbol, good: g.symbol, type: g.type, supply: g.supply, purchasePrice: g.purchasePrice, sellPrice: g.sellPrice, tradeVolume: g.tradeVolume, observedAt: OBSERVED_AT })),
  );
  return new MarketView({ system: world.system.symbol, listings, observations: opts.observed === false ? [] : observations, now: NOW, inputsOf: inputsOf(REAL_MAP) });
}
