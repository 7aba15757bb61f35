import { expect } from 'chai';
import { SUPPLY_LEVELS, compareSupply, exchangeHalfSpread, exchangePrices, supplyAtLeast } from '../../../src/game/index.js';

describe('game market helpers (MECHANICS.md §3)', () => {
  it('orders supply levels from SCARCE to ABUNDANT', () => {
    expect(SUPPLY_LEVELS).to.deep.equal(['SCARCE', 'LIMITED', 'MODERATE', 'HIGH', 'ABUNDANT']);
    expect(supplyAtLeast('HIGH', 'MODERATE')).to.equal(true);
    expect(supplyAtLeast('MODERATE', 'MODERATE')).to.equal(true);
    expect(supplyAtLeast('LIMITED', 'MODERATE')).to.equal(false);
    expect(['HIGH', 'SCARCE', 'MODERATE'].sort((a, b) => compareSupply(a as never, b as never))).to.deep.equal(['SCARCE', 'MODERATE', 'HIGH']);
  });

  it('exchange spread is max(2, round(mid/100)): FUEL 70 → 72/68', () => {
    expect(exchangeHalfSpread(70)).to.equal(2);
    expect(exchangeHalfSpread(5000)).to.equal(50);
    expect(exchangePrices(70)).to.deep.equal({ purchasePrice: 72, sellPrice: 68 });
  });
});
