import fs from 'node:fs';
import { expect } from 'chai';
import { SpaceTradersClient } from '../../../src/api/client.js';
import { Secret } from '../../../src/config/redact.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { loadStatus, renderStatus } from '../../../src/executor/status-view.js';
import { Journal, actualSpend } from '../../../src/state/journal.js';
import type { PlanFile } from '../../../src/plan/types.js';
import { makePlan, task } from '../../unit/executor/plan-fixture.js';
import { adaptSpec, apply, applyWorld, planFor } from './helpers.js';

type World = Awaited<ReturnType<typeof applyWorld>>;

/** Credits the journal says the run cost, net: purchases + fuel − sales. */
async function journalNet(w: World, runId: string, plan: PlanFile): Promise<{ spent: number; earned: number }> {
  const j = new Journal(w.store);
  const tasks = await j.getTasks(runId, plan.tasks.map((t) => t.id));
  const ships = await j.getShips(runId, [...new Set([...plan.tasks.map((t) => t.ship), ...[...tasks.values()].map((t) => t.ship)])]);
  return { spent: actualSpend(tasks.values(), ships.values()), earned: [...tasks.values()].reduce((a, t) => a + t.earned, 0) };
}

/** A hand-made plan on the X1-AD75 world (the executor is tested here, not the planner's choices). */
function handPlan(w: World, ships: string[], tasks: Parameters<typeof task>[0][], target: { good: string; quantity: number }): PlanFile {
  const plan = makePlan({ agent: w.sim.agentSymbol, fleet: ships, target, tasks: tasks.map(task) });
  return { ...plan, lineage: { ...plan.lineage, agentSymbol: w.sim.agentSymbol } };
}

const factory = (waypoint: string) => ({ kind: 'factory' as const, waypoint, minSupply: 'MODERATE' as const, resumeSupply: 'HIGH' as const, pollSeconds: 30, maxPollSeconds: 300, timeoutSeconds: 7200 });

describe('integration: apply against the simulator over HTTP', function () {
  this.timeout(120_000);

  it('plan then apply a plain buy (iron.yaml): target in the holds, journal spend = credits moved, status reads it, no token in the store', async () => {
    const w = await applyWorld({ haulers: 2 });
    try {
      const plan = await planFor(w.client, w.store, adaptSpec('iron.yaml', w.dir));
      const before = (await w.client.getAgent()).credits;
      const out = await apply(w.client, w.store, plan);
      expect(out.status, out.message).to.equal('completed');
      expect(out.exitCode).to.equal(ExitCode.OK);
      const after = (await w.client.getAgent()).credits;
      const ships = await w.client.listShips();
      const iron = ships.reduce((a, s) => a + (s.cargo.inventory.find((i) => i.symbol === 'IRON')?.units ?? 0), 0);
      expect(iron).to.equal(plan.spec.target.quantity);
      const net = await journalNet(w, out.runId, plan);
      expect(before - after).to.equal(net.spent - net.earned);
      const report = await loadStatus(w.store);
      expect(report.runId).to.equal(out.runId);
      expect(report.status).to.equal('completed');
      expect(report.credits.spent).to.equal(net.spent);
      expect(report.api.requests).to.be.greaterThan(0);
      expect(renderStatus(report)).to.contain('IRON [BUY] ✅ COMPLETED');
      await w.store.close();
      const bytes = fs.readFileSync(w.store.file);
      expect(bytes.includes(Buffer.from(w.sim.token))).to.equal(false);
      const wal = `${w.store.file}-wal`;
      if (fs.existsSync(wal)) expect(fs.readFileSync(wal).includes(Buffer.from(w.sim.token))).to.equal(false);
    } finally {
      await w.close();
    }
  });

  it('one level of making: buy IRON, feed the MACHINERY factory, wait for supply, buy and sell MACHINERY', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      const hauler = `${w.sim.agentSymbol}-3`;
      const plan = handPlan(
        w,
        [hauler],
        [
          { id: 'feed-IRON', good: 'IRON', quantity: 60, ship: hauler, tradeVolume: 60, source: { kind: 'market', waypoint: 'X1-AD75-H51' }, destination: { kind: 'feed', waypoint: 'X1-AD75-E46', forGood: 'MACHINERY' } },
          { id: 'make-MACHINERY', good: 'MACHINERY', quantity: 30, ship: hauler, dependsOn: ['feed-IRON'], source: factory('X1-AD75-E46'), destination: { kind: 'sell', waypoint: 'X1-AD75-D44' } },
        ],
        { good: 'MACHINERY', quantity: 30 },
      );
      const before = (await w.client.getAgent()).credits;
      const out = await apply(w.client, w.store, plan);
      expect(out.status, out.message).to.equal('completed');
      const steps = await new Journal(w.store).steps(out.runId);
      const lastFeed = steps.map((s) => s.kind === 'sell.result' && s.taskId === 'feed-IRON').lastIndexOf(true);
      const firstMachinery = steps.findIndex((s) => s.kind === 'buy.result' && s.taskId === 'make-MACHINERY');
      expect(firstMachinery).to.be.greaterThan(lastFeed);
      const buys = steps.filter((s) => s.kind === 'buy.result' && s.taskId === 'make-MACHINERY').map((s) => s.result!.units);
      expect(buys.reduce((a, b) => a + b, 0)).to.equal(30);
      for (const u of buys) expect(u).to.be.at.most(20);
      const net = await journalNet(w, out.runId, plan);
      expect(before - (await w.client.getAgent()).credits).to.equal(net.spent - net.earned);
      const ship = await w.client.getShip(hauler);
      expect(ship.cargo.units).to.equal(0);
    } finally {
      await w.close();
    }
  });

  it('several levels with 3 ships in parallel: ADVANCED_CIRCUITRY from ELECTRONICS and MICROPROCESSORS made from SILICON_CRYSTALS and COPPER', async () => {
    const w = await applyWorld({ haulers: 2 });
    try {
      const [s1, s2, s3] = [`${w.sim.agentSymbol}-1`, `${w.sim.agentSymbol}-3`, `${w.sim.agentSymbol}-4`] as const;
      const feed = (wp: string, forGood: string) => ({ kind: 'feed' as const, waypoint: wp, forGood });
      const plan = handPlan(
        w,
        [s1, s2, s3],
        [
          { id: 'sil>ELEC', good: 'SILICON_CRYSTALS', quantity: 40, ship: s1, tradeVolume: 180, source: { kind: 'market', waypoint: 'X1-AD75-B7' }, destination: feed('X1-AD75-F49', 'ELECTRONICS') },
          { id: 'cop>ELEC', good: 'COPPER', quantity: 40, ship: s2, tradeVolume: 60, source: { kind: 'market', waypoint: 'X1-AD75-H51' }, destination: feed('X1-AD75-F49', 'ELECTRONICS') },
          { id: 'sil>MICRO', good: 'SILICON_CRYSTALS', quantity: 40, ship: s3, tradeVolume: 180, source: { kind: 'market', waypoint: 'X1-AD75-H53' }, destination: feed('X1-AD75-A3', 'MICROPROCESSORS') },
          { id: 'cop>MICRO', good: 'COPPER', quantity: 40, ship: s3, tradeVolume: 60, source: { kind: 'market', waypoint: 'X1-AD75-H51' }, destination: feed('X1-AD75-A3', 'MICROPROCESSORS') },
          { id: 'ELEC>ADV', good: 'ELECTRONICS', quantity: 20, ship: s1, dependsOn: ['sil>ELEC', 'cop>ELEC'], source: factory('X1-AD75-F49'), destination: feed('X1-AD75-D44', 'ADVANCED_CIRCUITRY') },
          { id: 'MICRO>ADV', good: 'MICROPROCESSORS', quantity: 20, ship: s2, dependsOn: ['sil>MICRO', 'cop>MICRO'], source: factory('X1-AD75-A3'), destination: feed('X1-AD75-D44', 'ADVANCED_CIRCUITRY') },
          { id: 'ADV', good: 'ADVANCED_CIRCUITRY', quantity: 20, ship: s3, dependsOn: ['ELEC>ADV', 'MICRO>ADV'], source: factory('X1-AD75-D44'), destination: { kind: 'hold' } },
        ],
        { good: 'ADVANCED_CIRCUITRY', quantity: 20 },
      );
      const out = await apply(w.client, w.store, plan);
      expect(out.status, out.message).to.equal('completed');
      const adv = (await w.client.getShip(s3)).cargo.inventory.find((i) => i.symbol === 'ADVANCED_CIRCUITRY')?.units;
      expect(adv).to.equal(20);
      // The three lanes really overlapped: the first steps of all three ships come before any lane finished.
      const steps = await new Journal(w.store).steps(out.runId);
      const firstOf = (ship: string) => steps.findIndex((s) => s.ship === ship);
      const firstEnd = steps.findIndex((s) => s.kind === 'sell.result');
      for (const s of [s1, s2, s3]) expect(firstOf(s)).to.be.within(0, firstEnd);
      for (const s of [s1, s2]) expect((await w.client.getShip(s)).cargo.units, `${s} hold`).to.equal(0);
      const report = await loadStatus(w.store, out.runId);
      expect(report.progress.percent).to.equal(100);
    } finally {
      await w.close();
    }
  });

  it('delivers to a contract (plan from a spec with deliver: {contract})', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      const [c] = await w.client.listContracts();
      await w.client.acceptContract(c!.id);
      const d = c!.terms.deliver![0]!;
      const file = adaptSpec('iron.yaml', w.dir, (s) => {
        s.target = { good: d.tradeSymbol, quantity: d.unitsRequired, deliver: { contract: c!.id } };
        delete s.system;
      });
      const plan = await planFor(w.client, w.store, file);
      const out = await apply(w.client, w.store, plan);
      expect(out.status, out.message).to.equal('completed');
      const after = (await w.client.getContract(c!.id)).terms.deliver![0]!;
      expect(after.unitsFulfilled).to.equal(d.unitsRequired);
      for (const s of await w.client.listShips()) expect(s.cargo.units, `${s.symbol} hold`).to.equal(0);
    } finally {
      await w.close();
    }
  });

  it('the budget guard stops spending at maxCredits (actual spend, fuel included) and the run is PARTIAL', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      // 120 IRON (~10,000 credits) against a 4,000 cap: the guard must stop it part way.
      const planned = await planFor(w.client, w.store, adaptSpec('iron.yaml', w.dir, (s) => (s.target.quantity = 120)));
      const cap = 4000;
      const plan = { ...planned, spec: { ...planned.spec, policy: { ...planned.spec.policy, maxCredits: cap } } };
      const before = (await w.client.getAgent()).credits;
      const out = await apply(w.client, w.store, plan);
      expect(out.status).to.equal('partial');
      expect(out.exitCode).to.equal(ExitCode.PARTIAL);
      const net = await journalNet(w, out.runId, plan);
      expect(net.spent).to.be.at.most(cap);
      expect(before - (await w.client.getAgent()).credits).to.equal(net.spent - net.earned);
      expect(out.tasks.some((t) => /budget/.test(t.reason ?? ''))).to.equal(true);
    } finally {
      await w.close();
    }
  });

  it('ends correct under injected 5xx, 429s and dropped committed responses', async () => {
    const w = await applyWorld({ haulers: 2 });
    try {
      // 120 IRON over three holds: enough calls for the faults to hit committed trades.
      const plan = await planFor(w.client, w.store, adaptSpec('iron.yaml', w.dir, (s) => (s.target.quantity = 120)));
      const client = new SpaceTradersClient({ baseUrl: w.sim.baseUrl, token: new Secret(w.sim.token), limiter: false, retry: { baseDelayMs: 5, maxDelayMs: 50 } });
      w.sim.sim.setFaults('5xx=0.1,429=0.1,drop=0.15,seed=7');
      const before = (await w.client.getAgent()).credits;
      let out = await apply(client, w.store, plan);
      for (let i = 0; i < 5 && out.status !== 'completed'; i++) out = await apply(client, w.store, plan);
      w.sim.sim.setFaults('off');
      expect(out.status, out.message).to.equal('completed');
      const ships = await w.client.listShips();
      const iron = ships.reduce((a, s) => a + (s.cargo.inventory.find((x) => x.symbol === 'IRON')?.units ?? 0), 0);
      expect(iron, 'IRON in holds: nothing bought twice').to.equal(plan.spec.target.quantity);
      const net = await journalNet(w, out.runId, plan);
      expect(before - (await w.client.getAgent()).credits).to.equal(net.spent - net.earned);
      const steps = await new Journal(w.store).steps(out.runId);
      expect(steps.some((s) => s.kind.endsWith('.reconciled'))).to.equal(true);
    } finally {
      await w.close();
    }
  });
});
