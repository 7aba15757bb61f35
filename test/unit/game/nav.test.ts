import { expect } from 'chai';
import { distance, fuelCost, refuelMarketUnits, travelSeconds, NAV_MULTIPLIERS } from '../../../src/game/index.js';

describe('game navigation formulas (MECHANICS.md §2)', () => {
  it('distance is euclidean; orbitals share coordinates', () => {
    expect(distance({ x: -479, y: -364 }, { x: -572, y: -435 })).to.be.closeTo(117.004, 0.001);
    expect(distance({ x: 23, y: -9 }, { x: 23, y: -9 })).to.equal(0);
  });

  it('BURN d=117.004 at speed 36 costs 234 fuel and takes 56 s (live capture)', () => {
    expect(fuelCost(117.004, 'BURN', 400)).to.equal(234);
    expect(travelSeconds(117.004, 'BURN', 36)).to.equal(56);
  });

  it('light hauler CRUISE 100 → 182 s, 100 fuel; frigate 84 s; probe 293 s, 0 fuel', () => {
    expect(travelSeconds(100, 'CRUISE', 15)).to.equal(182);
    expect(fuelCost(100, 'CRUISE', 600)).to.equal(100);
    expect(travelSeconds(100, 'CRUISE', 36)).to.equal(84);
    expect(travelSeconds(100, 'CRUISE', 9)).to.equal(293);
    expect(fuelCost(100, 'CRUISE', 0)).to.equal(0);
  });

  it('d = 0 costs no fuel but still takes the minimum flight', () => {
    expect(fuelCost(0, 'CRUISE', 400)).to.equal(0);
    expect(fuelCost(0, 'BURN', 400)).to.equal(0);
    expect(travelSeconds(0, 'CRUISE', 9)).to.equal(18);
  });

  it('DRIFT costs 1 fuel and STEALTH round(d); uses round, not ceil', () => {
    expect(fuelCost(360.81, 'DRIFT', 400)).to.equal(1);
    expect(fuelCost(102.4, 'STEALTH', 400)).to.equal(102);
    expect(fuelCost(102.825, 'BURN', 400)).to.equal(206);
  });

  it('multipliers are overridable', () => {
    expect(travelSeconds(102.825, 'BURN', 36, { ...NAV_MULTIPLIERS, BURN: 5 })).to.equal(29);
    expect(travelSeconds(100, 'CRUISE', 15, NAV_MULTIPLIERS, 0)).to.equal(167);
  });

  it('refuel charges ceil(need/100) market units', () => {
    expect(refuelMarketUnits(0)).to.equal(0);
    expect(refuelMarketUnits(1)).to.equal(1);
    expect(refuelMarketUnits(234)).to.equal(3);
    expect(refuelMarketUnits(400)).to.equal(4);
  });
});
