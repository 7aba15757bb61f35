import { expect } from 'chai';
import { DEFAULT_SIM_CONFIG } from '../../../src/sim/engine/index.js';
import { shipModules } from '../../../src/sim/engine/render.js';

describe('sim engine: cargo modules match the cargo capacity (MECHANICS.md §6.3)', () => {
  it('every ship type\'s cargo modules add up exactly to its cargo capacity', () => {
    for (const [type, spec] of Object.entries(DEFAULT_SIM_CONFIG.ships)) {
      const total = shipModules(spec).reduce((s, m) => s + (m.capacity ?? 0), 0);
      expect(total, type).to.equal(spec.cargoCapacity);
    }
  });

  it('a light hauler (80) carries two CARGO_HOLD_II, a frigate (40) one, a heavy freighter (225) three CARGO_HOLD_III', () => {
    const symbols = (type: keyof typeof DEFAULT_SIM_CONFIG.ships) => shipModules(DEFAULT_SIM_CONFIG.ships[type]).map((m) => m.symbol);
    expect(symbols('SHIP_LIGHT_HAULER')).to.deep.equal(['MODULE_CARGO_HOLD_II', 'MODULE_CARGO_HOLD_II']);
    expect(symbols('SHIP_COMMAND_FRIGATE')).to.deep.equal(['MODULE_CARGO_HOLD_II']);
    expect(symbols('SHIP_HEAVY_FREIGHTER')).to.deep.equal(['MODULE_CARGO_HOLD_III', 'MODULE_CARGO_HOLD_III', 'MODULE_CARGO_HOLD_III']);
    expect(symbols('SHIP_PROBE')).to.deep.equal([]);
  });
});
