import { expect } from 'chai';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { expectedPnl } from '../../../src/pnl/expected.js';
import { loadStatus, renderStatus } from '../../../src/executor/status-view.js';
import { Journal } from '../../../src/state/journal.js';
import { adaptSpec, apply, applyWorld, planFor } from '../apply/helpers.js';
import { admin, observe } from './helpers.js';

/** The journal's money, summed here independently of src/pnl: every transaction the game made. */
function journalSum(steps: Awaited<ReturnType<Journal['steps']>>): number {
  let net = 0;
  for (const s of steps) {
    if (!s.result?.happened) continue;
    if (s.kind === 'contract.accepted' || s.kind === 'contract.fulfilled') net += s.result.totalPrice;
    else if (/^(buy|refuel)\.(result|reconciled)$/.test(s.kind)) net -= s.result.totalPrice;
    else if (/^sell\.(result|reconciled)$/.test(s.kind)) net += s.result.totalPrice;
  }
  return net;
}

describe('integration: profit and loss of a run (simulator over HTTP)', function () {
  this.timeout(180_000);

  it('a MAKE run: realized P&L equals the journal\'s transactions to the credit and the agent\'s credit change; status and the journal keep it', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      const spec = adaptSpec('machinery.yaml', w.dir, (s) => {
        s.policy.make = ['MACHINERY'];
        s.policy.mode = 'prefer-buy';
        s.target.quantity = 20;
        s.policy.productionTimeout = '3h';
      });
      const plan = await planFor(w.client, w.store, spec);
      expect(plan.decisions.action).to.equal('MAKE');
      const before = (await w.client.getAgent()).credits;
      const out = await apply(w.client, w.store, plan);
      expect(out.status, out.message).to.equal('completed');
      const after = (await w.client.getAgent()).credits;
      const steps = await new Journal(w.store).steps(out.runId);

      const p = out.pnl;
      expect(p.realized).to.equal(journalSum(steps));
      expect(p.realized).to.equal(after - before);
      expect(p.agentCredits).to.deep.equal({ start: before, end: after, change: after - before });
      expect(p.earned.target).to.be.greaterThan(0);
      expect(p.earned.feed).to.be.greaterThan(0);
      expect(p.spent.fuel).to.be.greaterThan(0);
      expect(p.spent.total).to.equal(p.spent.purchases + p.spent.fuel + p.spent.antimatter);
      // Per node: the MAKE's cost basis is its buy-back plus the net cost of feeding it.
      const root = p.nodes;
      expect(root.action).to.equal('MAKE');
      expect(root.unitsAcquired).to.equal(20);
      expect(root.costBasis).to.equal(root.spent + root.inputs.reduce((a, i) => a + i.costBasis - i.earned, 0));
      expect(root.held.units).to.equal(0);
      expect(p.counterfactual?.units).to.equal(20);

      // The same P&L in status (recomputed from the journal) and in the run record.
      const report = await loadStatus(w.store, out.runId);
      expect(report.pnl).to.deep.equal(p);
      expect((await new Journal(w.store).getRun(out.runId))!.pnl).to.deep.equal(p);
      expect(renderStatus(report)).to.match(/Profit and loss: [+-]?[\d,]+ credits realized/);
    } finally {
      await w.close();
    }
  });

  it('a losing chain is refused by policy.minProfit (exit 5), naming the node that loses; the same chain plans without it and shows the loss', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      // By construction: the sale market's MACHINERY price collapses to 200, far below what making it costs.
      const shock = await admin(w, 'markets/X1-AD75-D44/MACHINERY', { sellPrice: 200 });
      expect(shock.sellPrice).to.equal(200);
      await observe(w, 'X1-AD75-D44');
      const edit = (minProfit?: number | string) => (s: Record<string, any>) => {
        s.policy.make = ['MACHINERY'];
        s.policy.mode = 'prefer-buy';
        s.target.quantity = 20;
        if (minProfit !== undefined) s.policy.minProfit = minProfit;
      };
      const plan = await planFor(w.client, w.store, adaptSpec('machinery.yaml', w.dir, edit()));
      const expected = expectedPnl(plan)!;
      expect(expected.net).to.be.below(0);
      expect(expected.losing.map((n) => n.good)).to.deep.equal(['MACHINERY']);
      for (const min of [0, '5%']) {
        try {
          await planFor(w.client, w.store, adaptSpec('machinery.yaml', w.dir, edit(min)));
          expect.fail('the plan should be refused');
        } catch (e) {
          expect((e as { exitCode?: number }).exitCode, String(e)).to.equal(ExitCode.INFEASIBLE);
          expect((e as Error).message).to.match(/below policy\.minProfit .*Losing: MACHINERY \[MAKE\] at X1-AD75-\w+: costs ~[\d,]+\/u, earns ~[\d,]+\/u/);
        }
      }
    } finally {
      await w.close();
    }
  });

  it('surplus: plan goods a finished run leaves in a hold beyond what it keeps are sold at the best bid in reach, journaled like any sale; surplus: keep leaves them', async () => {
    for (const policy of ['sell', 'keep'] as const) {
      const w = await applyWorld({ haulers: 1 });
      try {
        const spec = adaptSpec('machinery.yaml', w.dir, (s) => {
          s.policy.make = ['MACHINERY'];
          s.policy.mode = 'prefer-buy';
          s.target.quantity = 20;
          s.policy.surplus = policy;
        });
        const plan = await planFor(w.client, w.store, spec);
        const feed = plan.tasks.find((t) => t.destination.kind === 'feed')!;
        // By construction: 7 more IRON appear in the feeding ship's hold once its task is done (as
        // units a failed ship keeps when its task is bought again elsewhere would): the run does not need them.
        let injected = false;
        const out = await apply(w.client, w.store, plan, {
          onEvent: (e) => {
            if (e.type !== 'task.end' || e.taskId !== feed.id || injected) return;
            injected = true;
            const ship = w.sim.universe.state.ships[e.ship!]!;
            ship.cargo.IRON = (ship.cargo.IRON ?? 0) + 7;
          },
        });
        expect(injected).to.equal(true);
        expect(out.status, out.message).to.equal('completed');
        const held = (await w.client.listShips()).reduce((a, s) => a + (s.cargo.inventory.find((i) => i.symbol === 'IRON')?.units ?? 0), 0);
        const steps = await new Journal(w.store).steps(out.runId);
        const surplusSales = steps.filter((s) => s.kind === 'sell.result' && s.taskId?.startsWith('surplus-IRON@'));
        if (policy === 'keep') {
          expect(held).to.equal(7);
          expect(surplusSales).to.have.length(0);
          expect(out.pnl.earned.surplus).to.equal(0);
          continue;
        }
        expect(held).to.equal(0);
        expect(surplusSales.reduce((a, s) => a + s.result!.units, 0)).to.equal(7);
        // Journaled like any sale: an intent before the call, its result after.
        expect(steps.filter((s) => s.kind === 'sell.intent' && s.taskId?.startsWith('surplus-IRON@'))).to.have.length(surplusSales.length);
        const credits = surplusSales.reduce((a, s) => a + s.result!.totalPrice, 0);
        expect(out.pnl.earned.surplus).to.equal(credits);
        expect(out.surplus?.sold).to.have.length(1);
        expect(out.surplus!.sold[0]).to.include({ good: 'IRON', units: 7, sold: 7, credits });
        // The P&L still equals the agent's credit change, surplus sale included.
        expect(out.pnl.realized).to.equal(out.pnl.agentCredits!.change);
      } finally {
        await w.close();
      }
    }
  });
});
