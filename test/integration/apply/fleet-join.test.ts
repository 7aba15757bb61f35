import { expect } from 'chai';
import { Journal } from '../../../src/state/journal.js';
import { makePlan, task } from '../../unit/executor/plan-fixture.js';
import { apply, applyWorld } from './helpers.js';

/**
 * Fleets that change while a run goes on (issue 17): a plan made with `fleet.select` records the
 * rule, and apply re-evaluates it (first from its pre-flight fleet list, then between tasks), so a
 * ship bought after the plan was made joins the run and takes work queued behind a busy ship.
 */
describe('integration: ships that join a run (fleet.select re-evaluated)', function () {
  this.timeout(120_000);

  it('a hauler bought after planning joins the run, journaled, and takes a task queued behind the planned ship', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      const hauler = `${w.sim.agentSymbol}-3`;
      const base = makePlan({
        agent: w.sim.agentSymbol,
        fleet: [hauler],
        target: { good: 'IRON', quantity: 80, deliver: { kind: 'sell', waypoint: 'X1-AD75-D44' } },
        tasks: [
          task({ id: 'buy-IRON-1', good: 'IRON', quantity: 40, ship: hauler, tradeVolume: 60, source: { kind: 'market', waypoint: 'X1-AD75-H51' }, destination: { kind: 'feed', waypoint: 'X1-AD75-E46', forGood: 'MACHINERY' } }),
          task({ id: 'buy-IRON-2', good: 'IRON', quantity: 40, ship: hauler, tradeVolume: 60, source: { kind: 'market', waypoint: 'X1-AD75-H51' }, destination: { kind: 'feed', waypoint: 'X1-AD75-E46', forGood: 'MACHINERY' } }),
        ],
      });
      const plan = { ...base, lineage: { ...base.lineage, agentSymbol: w.sim.agentSymbol }, spec: { ...base.spec, system: 'X1-AD75', fleet: { kind: 'select' as const, roles: ['HAULER'], max: 2 } } };
      // Bought after the plan was made: not in plan.fleet.
      const probe = (await w.client.listShips()).find((s) => s.cargo.capacity === 0)!;
      const bought = (await w.client.purchaseShip('SHIP_LIGHT_HAULER', probe.nav.waypointSymbol)).ship.symbol;
      const extra = (await w.client.purchaseShip('SHIP_LIGHT_HAULER', probe.nav.waypointSymbol)).ship.symbol;
      const out = await apply(w.client, w.store, plan);
      expect(out.status, out.message).to.equal('completed');
      expect(out.tasks.map((t) => t.ship)).to.have.members([hauler, bought]);
      const steps = await new Journal(w.store).steps(out.runId);
      const checks = steps.filter((s) => s.kind === 'fleet.select');
      expect(checks.length).to.be.greaterThan(0);
      expect(checks[0]!.fleet!.matched).to.include.members([hauler, bought, extra]);
      // max 2: the planned hauler and the first new one (by symbol), not the third.
      expect(checks.flatMap((c) => c.fleet!.joined)).to.deep.equal([bought]);
    } finally {
      await w.close();
    }
  });
});
