import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePlan } from '../../src/plan/file.js';
import type { DecisionNode } from '../../src/plan/types.js';
import { cli } from './apply-helpers.js';

function nodes(n: DecisionNode): DecisionNode[] {
  return [n, ...n.inputs.flatMap(nodes)];
}

describe('e2e: st-goods demo (quick start)', function () {
  this.timeout(180_000);

  it('starts a simulator, buys haulers, plans an example that MAKES, applies it on several ships, prints the status; no token needed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-demo-e2e-'));
    try {
      const env = { ...process.env, NO_COLOR: '1', CI: '1', ST_TOKEN: '', ST_GOODS_CONFIG_DIR: dir, ST_GOODS_STORE: path.join(dir, 'unused.sqlite') };
      const r = await cli(['demo', '--time-scale', '2000', '--no-rate-limit', '--dir', dir], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('Registered agent');
      expect(r.stdout).to.match(/The demo changes plans\/advanced-circuitry.yaml for its richer agent: policy.maxCredits 160,000 → 1,000,000; policy.reserveCredits 10,000 → 50,000\./);
      expect(r.stdout).to.match(/This plan MAKES 10 ADVANCED_CIRCUITRY at the factory X1-AD75-\w+, fed ELECTRONICS \(made at X1-AD75-\w+\) and MICROPROCESSORS \(bought at X1-AD75-\w+\)/);
      expect(r.stdout).to.contain('Dependency Tree:');
      expect(r.stdout).to.match(/Status: COMPLETED/);
      // The plan it applied makes the target from fed inputs, with the work spread over ships.
      const plan = parsePlan(fs.readFileSync(path.join(dir, 'advanced-circuitry.plan.yaml'), 'utf8'));
      expect(plan.decisions).to.include({ good: 'ADVANCED_CIRCUITRY', action: 'MAKE' });
      expect(nodes(plan.decisions).filter((n) => n.action === 'MAKE').map((n) => n.good)).to.deep.equal(['ADVANCED_CIRCUITRY', 'ELECTRONICS']);
      expect(plan.tasks.filter((t) => t.destination.kind === 'feed').length).to.be.at.least(3);
      expect(new Set(plan.tasks.map((t) => t.ship)).size).to.be.at.least(2);
      // Without a TTY every progress line names its ship: lanes that run at once stay readable.
      const progress = r.stderr.split('\n').filter((l) => l.startsWith('› '));
      expect(progress.length).to.be.greaterThan(5);
      for (const line of progress) expect(line).to.match(/^› [A-Z0-9]+-\d+: /);
      expect(new Set(progress.map((l) => l.split(':')[0])).size).to.be.at.least(2);
      const status = await cli(['status', '--store', path.join(dir, 'demo.sqlite'), '--json'], env);
      expect(status.code, status.stderr).to.equal(0);
      const report = JSON.parse(status.stdout);
      expect(report.status).to.equal('completed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
