import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import YAML from 'yaml';
import { withSim, type TestSim } from '../helpers/sim.js';

const run = promisify(execFile);
const bin = path.resolve('bin/run.js');

describe('e2e: st-goods plan and show (the real binary against the simulator)', function () {
  this.timeout(120_000);
  let sim: TestSim;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  before(async () => {
    sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: 1000, seed: 3 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-plan-e2e-'));
    env = { ...process.env, NO_COLOR: '1', ST_BASE_URL: sim.baseUrl, ST_TOKEN: sim.token, ST_GOODS_STORE: path.join(dir, 'store.sqlite'), ST_GOODS_CONFIG_DIR: dir };
    fs.writeFileSync(
      path.join(dir, 'iron.yaml'),
      YAML.stringify({ name: 'iron-e2e', system: 'X1-AD75', target: { good: 'IRON', quantity: 20, deliver: 'hold' }, policy: { maxCredits: 50_000 } }),
    );
  });

  after(async () => {
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the plan next to the spec, prints the summary, exits 2 with --detailed-exitcode', async () => {
    const { code, stdout, stderr } = await cli(['plan', path.join(dir, 'iron.yaml'), '--detailed-exitcode']);
    expect(stderr).to.not.match(/\n\s+at /);
    expect(code, stderr).to.equal(2);
    expect(stdout).to.match(/BUY 20 IRON @ X1-AD75-/);
    expect(stdout).to.match(/credits\s+~[\d,]+ of budget 50,000/);
    const file = path.join(dir, 'iron.plan.yaml');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).to.contain('planId: sha256:');
    expect(text).to.not.contain(sim.token);
    expect(stdout + stderr).to.not.contain(sim.token);
  });

  it('--json returns planId, file and the estimates', async () => {
    const out = path.join(dir, 'out', 'iron.json.plan.yaml');
    const { code, stdout } = await cli(['plan', path.join(dir, 'iron.yaml'), '--out', out, '--json', '--expires-in', '30m']);
    expect(code).to.equal(0);
    const result = JSON.parse(stdout);
    expect(result.planId).to.match(/^sha256:/);
    expect(result.file).to.equal(out);
    expect(result.estimates.credits).to.be.a('number');
    const plan = YAML.parse(fs.readFileSync(out, 'utf8'));
    expect(Date.parse(plan.expiresAt) - Date.parse(plan.createdAt)).to.equal(30 * 60 * 1000);
  });

  it('show renders text, Markdown with Mermaid, and JSON', async () => {
    const file = path.join(dir, 'iron.plan.yaml');
    const text = await cli(['show', file]);
    expect(text.code).to.equal(0);
    expect(text.stdout).to.match(/Totals:/);
    const md = await cli(['show', file, '--format', 'markdown']);
    expect(md.stdout).to.contain('```mermaid');
    const json = await cli(['show', file, '--format', 'json']);
    expect(JSON.parse(json.stdout).planId).to.match(/^sha256:/);
  });

  it('markets shows listings with observed prices and ages, and ESTIMATE for unobserved markets', async () => {
    const { code, stdout, stderr } = await cli(['markets', '--good', 'FUEL']);
    expect(code, stderr).to.equal(0);
    expect(stdout).to.match(/FUEL\s+EXCHANGE/);
    expect(stdout).to.match(/ago/);
    expect(stdout).to.match(/ESTIMATE/);
    expect(stdout).to.match(/listings from cache/);
  });

  it('the plan is the contract: st-goods apply carries it out and the hold has the target', async () => {
    const fresh = await cli(['plan', path.join(dir, 'iron.yaml'), '--out', path.join(dir, 'iron.apply.plan.yaml')]);
    expect(fresh.code, fresh.stderr).to.equal(0);
    const applied = await cli(['apply', path.join(dir, 'iron.apply.plan.yaml')]);
    expect(applied.code, applied.stderr + applied.stdout).to.equal(0);
    const ships = await sim.api('GET', '/my/ships?limit=20');
    const iron = (ships.body.data as Array<{ cargo: { inventory: Array<{ symbol: string; units: number }> } }>)
      .flatMap((s) => s.cargo.inventory)
      .filter((i) => i.symbol === 'IRON')
      .reduce((a, i) => a + i.units, 0);
    expect(iron).to.equal(20);
    // Planned again, the same spec has nothing left to do: --detailed-exitcode says 0.
    const again = await cli(['plan', path.join(dir, 'iron.yaml'), '--out', path.join(dir, 'iron.again.plan.yaml'), '--detailed-exitcode']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(/nothing to buy: 20 of the 20 IRON wanted are already aboard/);
    expect(again.stdout).to.match(/Nothing to do\./);
  });

  it('a broken plan file is exit 4, an infeasible spec exit 5, each as one paragraph', async () => {
    const broken = path.join(dir, 'broken.plan.yaml');
    fs.writeFileSync(broken, 'planId: 3\n');
    const bad = await cli(['show', broken]);
    expect(bad.code).to.equal(4);
    expect(bad.stderr).to.match(/^Error: .*not a valid st-goods plan/);
    fs.writeFileSync(
      path.join(dir, 'poor.yaml'),
      YAML.stringify({ name: 'poor', system: 'X1-AD75', target: { good: 'COPPER', quantity: 20, deliver: 'hold' }, policy: { maxCredits: 10 } }),
    );
    const poor = await cli(['plan', path.join(dir, 'poor.yaml')]);
    expect(poor.code).to.equal(5);
    expect(poor.stderr).to.match(/budget allows 10\b/);
    expect(poor.stderr).to.not.match(/\n\s+at /);
  });
});
