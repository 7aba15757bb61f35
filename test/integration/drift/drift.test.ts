import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { realClock } from '../../../src/executor/clock.js';
import { applyEntry } from '../../../src/executor/entry.js';
import { refreshPlan } from '../../../src/drift/refresh.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { readPlan, writePlan } from '../../../src/plan/file.js';
import type { PlanFile } from '../../../src/plan/types.js';
import { loadSupplyChain } from '../../../src/supply-chain/index.js';
import { TIME_SCALE, adaptSpec, applyWorld, planFor } from '../apply/helpers.js';
import { admin, observe } from '../pnl/helpers.js';

describe('integration: drift before apply (simulator over HTTP)', function () {
  this.timeout(120_000);

  it('a plan refused (exit 6, with the diff) after an admin-made price jump at its source, then applied with --replan', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      await observe(w, 'X1-AD75-H51'); // the IRON source: the plan rests on a real observation there
      const spec = adaptSpec('iron.yaml', w.dir);
      const plan = await planFor(w.client, w.store, spec);
      const source = plan.tasks.find((t) => t.good === 'IRON')!.source;
      expect(source).to.deep.include({ kind: 'market', waypoint: 'X1-AD75-H51' });
      const planFile = path.join(w.dir, 'iron.plan.yaml');
      writePlan(planFile, plan);

      // Within policy.maxDrift: refresh sees no breach.
      expect((await refreshPlan(plan, w.client, w.store)).report.exceeds).to.equal(false);
      const planned = plan.observations.find((o) => o.waypoint === 'X1-AD75-H51' && o.good === 'IRON')!;
      const jump = await admin(w, 'markets/X1-AD75-H51/IRON', { sellPrice: planned.sellPrice * 2 });
      expect(jump.purchasePrice).to.be.greaterThan(planned.purchasePrice * 1.5);

      const { report } = await refreshPlan(plan, w.client, w.store);
      expect(report.exceeds).to.equal(true);
      const iron = report.markets.find((m) => m.good === 'IRON' && m.waypoint === 'X1-AD75-H51')!;
      expect(iron.role).to.equal('buy');
      expect(iron.askMovedPct).to.be.greaterThan(50);
      expect(iron.breach).to.match(/the ask rose [\d.]+% \(\d+ → \d+\), more than policy\.maxDrift\.price 25%/);

      const entry = (replan: boolean, approved: PlanFile[] = []) =>
        applyEntry({
          file: planFile,
          client: w.client,
          store: w.store,
          supplyChain: () => loadSupplyChain(),
          toolVersion: 'test',
          clock: realClock(TIME_SCALE),
          replan,
          ...(replan ? { specFile: spec } : {}),
          approve: async (p) => {
            approved.push(p);
            return true;
          },
        });
      const before = (await w.client.getAgent()).credits;
      try {
        await entry(false);
        expect.fail('the drifted plan should be refused');
      } catch (e) {
        expect((e as { exitCode?: number }).exitCode, String(e)).to.equal(ExitCode.STALE_PLAN);
        expect((e as Error).message).to.match(/moved beyond policy\.maxDrift[\s\S]*✖ IRON at X1-AD75-H51 \(bought here\): ask \d+ → \d+ \(\+[\d.]+%\)[\s\S]*refuses the plan/);
      }
      expect((await w.client.getAgent()).credits).to.equal(before); // nothing bought

      const approved: PlanFile[] = [];
      const out = await entry(true, approved);
      expect(out.status, out.message).to.equal('completed');
      expect(approved).to.have.length(1);
      expect(out.planId).to.equal(approved[0]!.planId).and.not.equal(plan.planId);
      // The new plan rests on the new price, and replaced the plan file (a re-run resumes it, never plans again).
      expect(approved[0]!.observations.find((o) => o.waypoint === 'X1-AD75-H51' && o.good === 'IRON')!.purchasePrice).to.be.greaterThan(planned.purchasePrice * 1.5);
      expect(readPlan(planFile).planId).to.equal(out.planId);
      const again = await entry(true);
      expect(again.status).to.equal('already-complete');
      expect(fs.existsSync(planFile)).to.equal(true);
    } finally {
      await w.close();
    }
  });
});
