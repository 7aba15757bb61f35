import { expect } from 'chai';
import { loadWorld } from '../../../src/sim/engine/index.js';
import { data, newGame, register, wp } from './helpers.js';

describe('sim engine: shipyard transactions as the spec describes them', () => {
  it('ShipyardTransaction.shipSymbol holds the ship type (spec: "NOT the symbol of the ship that was purchased"), in the purchase answer and the shipyard\'s list', () => {
    const g = newGame();
    const a = register(g);
    const bought = data(a.call('purchase-ship', { shipType: 'SHIP_PROBE', waypointSymbol: wp('A2') }), 201);
    expect(bought['ship']['symbol']).to.equal(a.ship(3));
    expect(bought['transaction']).to.deep.include({ shipSymbol: 'SHIP_PROBE', shipType: 'SHIP_PROBE', waypointSymbol: wp('A2'), agentSymbol: 'ALPHA' });
    const yard = data(a.call('get-shipyard', undefined, { waypointSymbol: wp('A2') }));
    expect(yard['transactions']).to.have.length(1);
    expect(yard['transactions'][0]).to.deep.include({ shipSymbol: 'SHIP_PROBE', shipType: 'SHIP_PROBE', price: bought['transaction']['price'] });
  });
});

describe('sim worlds: the shipyards sell the mining fleet at MECHANICS.md §6.3 prices', () => {
  const PRICES: Record<string, number> = {
    SHIP_MINING_DRONE: 41_752, SHIP_SIPHON_DRONE: 39_861, SHIP_SURVEYOR: 27_693, SHIP_LIGHT_SHUTTLE: 88_853, SHIP_LIGHT_HAULER: 272_775,
  };
  for (const [label, world, tolerance] of [['generated (seed 1)', loadWorld('generated', 1), 0.03], ['X1-AD75', loadWorld('worlds/X1-AD75.json'), 0]] as const) {
    it(`${label}: each of mining drone, siphon drone, surveyor, light shuttle and light hauler is sold, within ${tolerance * 100}% of its price`, () => {
      for (const [type, price] of Object.entries(PRICES)) {
        const offers = world.shipyards.flatMap((y) => y.ships.filter((s) => s.type === type));
        expect(offers, type).to.not.be.empty;
        for (const o of offers) expect(o.purchasePrice, type).to.be.within(price * (1 - tolerance), price * (1 + tolerance));
      }
    });
  }
});
