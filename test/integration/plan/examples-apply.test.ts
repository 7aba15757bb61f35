import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { SpaceTradersClient } from '../../../src/api/client.js';
import { Secret } from '../../../src/config/redact.js';
import { applyPlan } from '../../../src/executor/apply.js';
import { realClock } from '../../../src/executor/clock.js';
import { createPlan } from '../../../src/planner/create.js';
import { Store } from '../../../src/state/store.js';
import { loadSupplyChain } from '../../../src/supply-chain/index.js';
import { withSim } from '../../helpers/sim.js';

const TIME_SCALE = 2000;

/**
 * The examples run, not only plan: a new agent (175,000 credits, its 40-unit frigate) applies
 * each example that needs nothing filled in, as written, on the X1-AD75 world, to completion
 * within the example's own budget. (ship-parts.yaml needs a SHIP_PARTS contract, which a new agent
 * lacks: test/e2e/first-hour.test.ts gives it one and applies every example one after another.)
 */
describe('integration: the example specs apply as written for a new agent (X1-AD75, simulator)', function () {
  this.timeout(60_000);

  for (const example of ['iron.yaml', 'machinery.yaml', 'advanced-circuitry.yaml']) {
    it(`${example}: planned and applied to completion within its budget`, async () => {
      const sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: TIME_SCALE, seed: 3 });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-examples-'));
      const store = await Store.open(path.join(dir, 'store.sqlite'));
      try {
        const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
        const { plan } = await createPlan({ specFile: path.join('plans', example), client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: '0.0.0-test' });
        const out = await applyPlan({ plan, client, store, clock: realClock(TIME_SCALE), renderer: 'silent' });
        expect(out.status, out.message).to.equal('completed');
        expect(out.spent).to.be.at.most(plan.spec.policy.maxCredits);
        const target = plan.spec.target;
        const ships = await client.listShips();
        const held = ships.reduce((a, s) => a + (s.cargo.inventory.find((i) => i.symbol === target.good)?.units ?? 0), 0);
        expect(held, `${target.good} in the holds`).to.equal(target.deliver.kind === 'hold' ? target.quantity : 0);
        if (example === 'advanced-circuitry.yaml') {
          expect(plan.decisions.action).to.equal('MAKE');
          const fed = out.tasks.filter((t) => plan.tasks.find((p) => p.id === t.id)!.destination.kind === 'feed');
          expect(fed.length).to.be.at.least(3);
          for (const t of fed) expect(t.delivered, `${t.id} sold to its factory`).to.be.greaterThan(0);
        }
      } finally {
        await store.close();
        await sim.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
