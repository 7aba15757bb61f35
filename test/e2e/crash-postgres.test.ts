/**
 * The short crash torture on the shared Postgres store (issue 17): the real binary, SIGKILLed at
 * seeded points of the three-level plan, with the Postgres server restarted once under a running
 * apply (its statements wait for the server and go on). The long version:
 * `npm run crash-torture -- --store postgres` (scripts/crash-torture.ts).
 */
import path from 'node:path';
import { expect } from 'chai';
import { sharedPostgres } from '../helpers/postgres.js';
import { circuitryPlan, cli, crashLoop, e2eWorld, verifyFinished, writeCheckedPlan } from './apply-helpers.js';

describe('e2e crash suite on Postgres: kill -9 and a server restart mid-run', function () {
  this.timeout(300_000);

  it('SIGKILL at seeded points and one Postgres restart under a running apply: target reached, nothing bought twice, credits = journal', async () => {
    const pg = await sharedPostgres();
    const w = await e2eWorld({ store: await pg.freshDatabase() });
    try {
      const plan = await circuitryPlan(w);
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), plan);
      const before = (await w.client.getAgent()).credits;
      w.sim.sim.setFaults('latency=2-8,seed=3');
      const kills = Number(process.env.CRASH_KILLS ?? 6);
      const loop = await crashLoop(w, file, { seed: Number(process.env.CRASH_SEED ?? 17), kills, spread: 14, log: path.join(w.dir, 'events.ndjson'), restartAt: 2, restart: () => pg.restart() });
      w.sim.sim.setFaults('off');
      const last = await cli(['apply', file], w.env);
      expect(last.code, last.stderr).to.equal(0);
      expect(await verifyFinished(w, plan.planId, before)).to.deep.equal([]);
      expect(loop.restarted, 'the server was restarted under a running apply').to.equal(true);
      expect(loop.killed, 'kills before the run completed').to.be.at.least(Math.min(kills, 5));
    } finally {
      await w.close();
    }
  });
});
