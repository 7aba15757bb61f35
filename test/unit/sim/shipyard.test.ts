import { expect } from 'chai';
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
