/** The unit test world plus what mining needs: two asteroids, a gas giant, a mining shipyard and an ore exporter. */
import { DEFAULT_EXTRACTION_CONFIG, type ExtractionConfig, type WorldDefinition } from '../../../src/sim/engine/index.js';
import type { ShipState } from '../../../src/sim/engine/state.js';
import { data, newGame, register, testWorld, wp, type Agent, type Game } from './helpers.js';

/**
 * testWorld() and: E8 ASTEROID (10,0) COMMON_METAL_DEPOSITS; E9 ASTEROID (12,0) with no trait
 * (counts as MINERAL_DEPOSITS); G9 GAS_GIANT (20,0) EXPLOSIVE_GASES; F1 ASTEROID (14,0)
 * RARE_METAL_DEPOSITS; A2's shipyard also sells the
 * mining fleet; A3 exports IRON_ORE (so B4's IRON_ORE import can be a contract).
 */
export function miningWorld(): WorldDefinition {
  const w = testWorld();
  w.waypoints = w.waypoints.map((p) => (p.symbol === wp('A3') ? { ...p, traits: ['MARKETPLACE'] } : p));
  w.waypoints.push(
    { symbol: wp('E8'), type: 'ASTEROID', x: 10, y: 0, traits: ['COMMON_METAL_DEPOSITS'] },
    { symbol: wp('E9'), type: 'ASTEROID', x: 12, y: 0, traits: [] },
    { symbol: wp('G9'), type: 'GAS_GIANT', x: 20, y: 0, traits: ['EXPLOSIVE_GASES'] },
    { symbol: wp('F1'), type: 'ASTEROID', x: 14, y: 0, traits: ['RARE_METAL_DEPOSITS'] },
  );
  w.markets.push({ symbol: wp('A3'), goods: [{ symbol: 'IRON_ORE', type: 'EXPORT', tradeVolume: 60, supply: 'HIGH', sellPrice: 30, purchasePrice: 60 }] });
  w.shipyards[0]!.ships.push(
    { type: 'SHIP_MINING_DRONE', purchasePrice: 41_752, supply: 'HIGH' },
    { type: 'SHIP_SIPHON_DRONE', purchasePrice: 39_861, supply: 'HIGH' },
    { type: 'SHIP_SURVEYOR', purchasePrice: 27_693, supply: 'HIGH' },
    { type: 'SHIP_REFINING_FREIGHTER', purchasePrice: 1_500_000, supply: 'HIGH' },
  );
  return w;
}

export interface MiningGame extends Game {
  a: Agent;
  /** Buys a ship of `type` at A2 (the frigate flies there first if it is elsewhere) and returns its symbol. */
  buy(type: string): string;
  /** Flies `ship` (in orbit or docked) to `waypoint` and leaves it in orbit there. */
  fly(ship: string, waypoint: string): void;
  ship(symbol: string): ShipState;
}

export function miningGame(extraction: Partial<ExtractionConfig> = {}): MiningGame {
  const g = newGame({ startingCredits: 10_000_000, extraction: { ...DEFAULT_EXTRACTION_CONFIG, ...extraction } }, miningWorld());
  const a = register(g);
  const fly = (ship: string, waypoint: string): void => {
    a.call('orbit-ship', undefined, { shipSymbol: ship });
    if (g.u.state.ships[ship]!.waypoint === waypoint) return;
    data(a.call('navigate-ship', { waypointSymbol: waypoint }, { shipSymbol: ship }));
    g.advanceGame(3_600);
    data(a.call('get-ship-nav', undefined, { shipSymbol: ship }));
  };
  return {
    ...g,
    a,
    fly,
    ship: (symbol) => g.u.state.ships[symbol]!,
    buy: (type) => {
      if (g.u.state.ships[a.ship(1)]!.waypoint !== wp('A2')) fly(a.ship(1), wp('A2'));
      return (data(a.call('purchase-ship', { shipType: type, waypointSymbol: wp('A2') }), 201) as any).ship.symbol as string;
    },
  };
}
