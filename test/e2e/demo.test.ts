import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from './apply-helpers.js';

describe('e2e: st-goods demo (quick start)', function () {
  this.timeout(180_000);

  it('starts a simulator, buys haulers, plans and applies the example, prints the status; no token needed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-demo-e2e-'));
    try {
      const env = { ...process.env, NO_COLOR: '1', CI: '1', ST_TOKEN: '', ST_GOODS_CONFIG_DIR: dir, ST_GOODS_STORE: path.join(dir, 'unused.sqlite') };
      const r = await cli(['demo', '--time-scale', '2000', '--no-rate-limit', '--dir', dir], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('Registered agent');
      expect(r.stdout).to.contain('Dependency Tree:');
      expect(r.stdout).to.match(/Status: COMPLETED/);
      const status = await cli(['status', '--store', path.join(dir, 'demo.sqlite'), '--json'], env);
      expect(status.code, status.stderr).to.equal(0);
      expect(JSON.parse(status.stdout).status).to.equal('completed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
