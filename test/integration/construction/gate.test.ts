import { expect } from 'chai';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { Journal } from '../../../src/state/journal.js';
import { planTargets } from '../../../src/plan/targets.js';
import { apply, planFor } from '../apply/helpers.js';
import { gateWorld, HOME_GATE } from './helpers.js';

const delivered = (out: { tasks: Array<{ id: string; delivered: number }> }, good: string): number =>
  out.tasks.filter((t) => t.id.startsWith(`buy-${good}@`) || t.id.startsWith(`make-${good}@`) || t.id.startsWith(`aboard-${good}@`)).reduce((a, t) => a + t.delivered, 0);

describe('integration: building the home gate (issue 13, simulator over HTTP)', function () {
  this.timeout(180_000);

  it('target {construction: home-gate} from a new agent: one target per material, bought or made, supplied; the run completes with the site', async () => {
    const w = await gateWorld({ haulers: 2, bill: { FAB_MATS: 60, ADVANCED_CIRCUITRY: 30 } });
    try {
      const plan = await planFor(w.client, w.store, w.spec('gate', '{construction: home-gate}'));
      expect(plan.construction).to.include({ waypoint: HOME_GATE, site: 'home-gate', isComplete: false });
      expect(planTargets(plan).map((t) => [t.good, t.quantity])).to.deep.equal([['FAB_MATS', 60], ['ADVANCED_CIRCUITRY', 30]]);
      expect(plan.tasks.every((t) => t.destination.kind !== 'construction' || t.destination.waypoint === HOME_GATE)).to.equal(true);
      const out = await apply(w.client, w.store, plan);
      expect(out.status, out.message).to.equal('completed');
      expect(out.message).to.match(/construction at X1-AD75-I55 complete/);
      const site = await w.site();
      expect(site.isComplete).to.equal(true);
      // What the journal counts is what the site received, once.
      expect(delivered(out, 'FAB_MATS')).to.equal(60);
      expect(delivered(out, 'ADVANCED_CIRCUITRY')).to.equal(30);
      const steps = await new Journal(w.store).steps(out.runId);
      expect(steps.filter((s) => s.kind === 'deliver.intent').length).to.equal(steps.filter((s) => s.kind === 'deliver.result').length);
      expect(steps.filter((s) => s.kind === 'construction').at(-1)!.construction!.isComplete).to.equal(true);
      // Cron re-runs after completion: the next plan has nothing to do.
      const again = await planFor(w.client, w.store, w.spec('gate-again', '{construction: home-gate}'));
      expect(again.tasks).to.have.length(0);
      expect(again.decisions.reason).to.match(/^nothing to do: the construction at X1-AD75-I55 is complete/);
    } finally {
      await w.close();
    }
  });

  it('a material met meanwhile (4801 on supply) ends its tasks cleanly; the run completes and sells the units bought for it as surplus', async () => {
    const w = await gateWorld({ haulers: 1, bill: { FAB_MATS: 40, ADVANCED_CIRCUITRY: 400 } });
    try {
      const plan = await planFor(w.client, w.store, w.spec('fab', '{good: FAB_MATS, quantity: 40, deliver: {construction: home-gate}}'));
      let met = false;
      const out = await apply(w.client, w.store, plan, {
        onEvent: (e) => {
          // Another agent meets the bill while our ship carries its load to the site.
          if (!met && e.type === 'result' && /bought \d+ FAB_MATS/.test(e.message)) {
            met = true;
            void w.admin('PUT', `/construction/${HOME_GATE}`, { materials: [{ tradeSymbol: 'FAB_MATS', fulfilled: 40 }] });
          }
        },
      });
      expect(met).to.equal(true);
      expect(out.status, out.message).to.equal('completed');
      expect(out.exitCode).to.equal(ExitCode.OK);
      const steps = await new Journal(w.store).steps(out.runId);
      expect(steps.some((s) => s.kind === 'deliver.error' && /4801|have been met/.test(s.error ?? ''))).to.equal(true);
      const ended = out.tasks.filter((t) => t.id.startsWith('buy-FAB_MATS@'));
      expect(ended).to.not.have.length(0);
      expect(ended.every((t) => t.status === 'completed' && /needs no more FAB_MATS/.test(t.reason ?? ''))).to.equal(true);
      // The units bought for it were never supplied: the run's surplus step sells them (policy.surplus: sell).
      expect(ended.reduce((a, t) => a + t.delivered, 0)).to.equal(0);
      expect(out.tasks.filter((t) => t.id.startsWith('surplus-FAB_MATS@')).reduce((a, t) => a + t.delivered, 0)).to.equal(ended.reduce((a, t) => a + t.acquired, 0));
    } finally {
      await w.close();
    }
  });

  it('plans refuse a good not on the bill and a site that is not one; a quantity beyond the bill is cut to it', async () => {
    const w = await gateWorld({ haulers: 1, bill: { FAB_MATS: 30, ADVANCED_CIRCUITRY: 10 } });
    try {
      const notOnBill = await planFor(w.client, w.store, w.spec('iron', '{good: IRON, quantity: 10, deliver: {construction: home-gate}}')).catch((e) => e);
      expect(notOnBill.exitCode).to.equal(ExitCode.INVALID_INPUT);
      expect(notOnBill.message).to.match(/does not need IRON: its bill is FAB_MATS 0\/30, ADVANCED_CIRCUITRY 0\/10/);
      const notSite = await planFor(w.client, w.store, w.spec('h51', '{construction: X1-AD75-H51}')).catch((e) => e);
      expect(notSite.exitCode).to.equal(ExitCode.INVALID_INPUT);
      expect(notSite.message).to.match(/X1-AD75-H51 is not a construction site/);
      const cut = await planFor(w.client, w.store, w.spec('cut', '{good: FAB_MATS, quantity: 500, deliver: {construction: X1-AD75-I55}}'));
      expect(cut.spec.target.quantity).to.equal(30);
      expect(cut.decisions.reason).to.match(/the site still needs only 30 of the spec's 500 FAB_MATS/);
    } finally {
      await w.close();
    }
  });
});
