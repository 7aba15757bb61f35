import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { findOpportunities } from '../../../src/opportunities/find.js';
import { parseSpec } from '../../../src/spec/load.js';
import { loadSupplyChain } from '../../../src/supply-chain/index.js';
import { applyWorld, planFor } from '../apply/helpers.js';
import { admin, observe } from '../pnl/helpers.js';

describe('integration: opportunities (simulator over HTTP)', function () {
  this.timeout(120_000);

  it('ranks first the good whose sale pays most by construction; a read that buys nothing; its row is a spec that plans', async () => {
    const w = await applyWorld({ haulers: 1 });
    try {
      // By construction: D44 pays 40,000 per MACHINERY (made at E46 from IRON for a few thousand), seen by a ship.
      await admin(w, 'markets/X1-AD75-D44/MACHINERY', { sellPrice: 40_000 });
      await observe(w, 'X1-AD75-D44');
      const supplyChain = loadSupplyChain();
      const credits = (await w.client.getAgent()).credits;
      const found = await findOpportunities({ client: w.client, store: w.store, supplyChain });
      expect((await w.client.getAgent()).credits).to.equal(credits);
      expect(found.rows.length).to.be.greaterThan(3);
      const [best] = found.rows;
      expect(best).to.include({ kind: 'make', good: 'MACHINERY', deliverTo: 'X1-AD75-D44', action: 'MAKE' });
      expect(best!.unitValue).to.be.greaterThan(30_000);
      expect(best!.profitPerHour).to.be.greaterThan(0);
      for (let i = 1; i < found.rows.length; i++) expect(found.rows[i - 1]!.profitPerHour).to.be.at.least(found.rows[i]!.profitPerHour);
      // The starter contract is listed as a contract row (or says why it cannot be planned).
      const contract = [...found.rows, ...found.skipped].find((r) => r.kind === 'contract');
      expect(contract, 'the starter contract').to.not.equal(undefined);
      // The row's spec is a valid spec that plans the same thing.
      const file = path.join(w.dir, 'best.yaml');
      fs.writeFileSync(file, YAML.stringify(best!.spec));
      parseSpec(fs.readFileSync(file, 'utf8'), file, supplyChain);
      const plan = await planFor(w.client, w.store, file);
      expect(plan.decisions).to.include({ good: 'MACHINERY', action: 'MAKE', waypoint: best!.waypoint });
      expect(plan.spec.target.deliver).to.deep.equal({ kind: 'sell', waypoint: 'X1-AD75-D44' });
    } finally {
      await w.close();
    }
  });
});
