import { expect } from 'chai';
import { MEASURED, calibrate, type CalibrationResult } from '../../../src/sim/calibrate.js';
import { ManualClock } from '../../../src/sim/engine/index.js';
import { useSim } from '../../helpers/sim.js';

/**
 * The economy calibration (issue 10): the simulator measured over HTTP the way the real game was
 * (src/sim/calibrate.ts: supply-level step times by good, fed and RESTRICTED, price impact per
 * tranche, recovery half-life by tradeVolume tier, tradeVolume growth) and compared with the
 * measured table (MECHANICS.md §3.4, §3.5; LESSONS.md). `npm run bench:calibration` writes the
 * same table to bench/results/calibration.json.
 */
describe('sim economy calibration: simulated vs measured', function () {
  this.timeout(120_000);
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const sim = useSim({ clock, timeScale: 100, seed: 1, world: process.env.ST_SIM_TEST_WORLD ?? 'generated' });
  let result: CalibrationResult;

  before(async () => {
    result = await calibrate({ baseUrl: sim().baseUrl, adminUrl: sim().sim.adminUrl, token: sim().token, agent: sim().agentSymbol });
  });

  const row = (prefix: string) => {
    const r = result.rows.find((x) => x.figure.startsWith(prefix));
    if (!r) throw new Error(`no calibration row ${prefix}`);
    return r;
  };

  it('a fed export steps up one supply level in the measured minutes, good by good (±10%), 24 on average', () => {
    for (const good of Object.keys(MEASURED.stepMinutes)) expect(Math.abs(row(`step minutes, fed: ${good}`).error), good).to.be.at.most(0.1);
    expect(row('step minutes, fed: mean').simulated).to.be.within(21.6, 26.4);
  });

  it('RESTRICTED (its imports short) adds about 12 minutes a step', () => {
    expect(row('extra minutes per step').simulated).to.be.within(9, 15);
  });

  it('a tranche bought raises the ask ~5%, a tranche sold lowers the bid ~1.5%', () => {
    expect(row('ask change').simulated).to.be.closeTo(MEASURED.buyImpactPerTranche, 0.01);
    expect(row('bid change').simulated).to.be.closeTo(MEASURED.sellImpactPerTranche, 0.005);
  });

  it('prices recover with the measured half-life per tradeVolume tier (±10%)', () => {
    for (const tier of Object.keys(MEASURED.recoveryHalfLifeMinutes)) expect(Math.abs(row(`recovery half-life minutes, ${tier}`).error), tier).to.be.at.most(0.1);
  });

  it('sustained buying grows the tradeVolume to the next observed step', () => {
    const { before, after } = result.tradeVolumeGrowth;
    expect(after).to.be.greaterThan(before);
    expect(MEASURED.tradeVolumeSteps).to.include(after);
    expect(after).to.equal(MEASURED.tradeVolumeSteps.find((s) => s > before));
  });

  after(() => {
    if (process.env.SIM_CALIBRATION_REPORT) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
});
