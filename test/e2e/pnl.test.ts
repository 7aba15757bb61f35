import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import YAML from 'yaml';
import { SpaceTradersClient } from '../../src/api/client.js';
import { Secret } from '../../src/config/redact.js';
import { withSim, type TestSim } from '../helpers/sim.js';

/**
 * Issue 15 where the user meets it, with the built binary against the simulator: the expected
 * profit in `plan`, a plan refused by policy.minProfit, `refresh`, the P&L in apply's result and
 * `status`, a plan refused after its market moved and applied with --replan, `opportunities`.
 */

const run = promisify(execFile);
const bin = path.resolve('bin/run.js');

describe('e2e: profit and loss, drift, opportunities (real binary, simulator)', function () {
  this.timeout(180_000);
  let sim: TestSim;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  async function adminPut(route: string, body: unknown): Promise<any> {
    const res = await fetch(`${sim.sim.adminUrl}/${route}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return ((await res.json()) as any).data;
  }

  before(async () => {
    sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: 1000, seed: 5 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-e2e-pnl-'));
    env = { ...process.env, NO_COLOR: '1', ST_BASE_URL: sim.baseUrl, ST_TOKEN: sim.token, ST_GOODS_STORE: path.join(dir, 'store.sqlite'), ST_GOODS_CONFIG_DIR: dir };
    const spec = (name: string, policy: Record<string, unknown> = {}) =>
      YAML.stringify({ name, system: 'X1-AD75', target: { good: 'MACHINERY', quantity: 20, deliver: { sell: 'X1-AD75-D44' } }, policy: { make: ['MACHINERY'], maxCredits: 120_000, productionTimeout: '3h', ...policy } });
    fs.writeFileSync(path.join(dir, 'machinery.yaml'), spec('machinery-e2e'));
    fs.writeFileSync(path.join(dir, 'greedy.yaml'), spec('machinery-greedy', { minProfit: 50_000_000 }));
    fs.writeFileSync(path.join(dir, 'iron.yaml'), YAML.stringify({ name: 'iron-e2e', system: 'X1-AD75', target: { good: 'IRON', quantity: 10 }, policy: { maxCredits: 20_000 } }));
  });
  after(async () => {
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plan shows the expected profit; policy.minProfit refuses a plan below it (exit 5) naming the numbers', async () => {
    const plan = await cli('plan', path.join(dir, 'machinery.yaml'));
    expect(plan.code, plan.stderr).to.equal(0);
    expect(plan.stdout).to.match(/profit +~-?[\d,]+ expected \(revenue [\d,]+ − cost [\d,]+; margin -?[\d.]+%\)/);
    const greedy = await cli('plan', path.join(dir, 'greedy.yaml'));
    expect(greedy.code).to.equal(5);
    expect(greedy.stderr).to.match(/below policy\.minProfit \(50,000,000 credits\)/);
    expect(greedy.stderr).to.not.match(/\n\s+at /);
  });

  it('refresh of a fresh plan: within policy.maxDrift; apply prints the P&L, and status keeps it', async () => {
    const planFile = path.join(dir, 'machinery.plan.yaml');
    const refresh = await cli('refresh', planFile);
    expect(refresh.code, refresh.stderr).to.equal(0);
    expect(refresh.stdout).to.contain('Within policy.maxDrift.');
    const apply = await cli('apply', planFile);
    expect(apply.code, apply.stdout + apply.stderr).to.equal(0);
    expect(apply.stdout).to.match(/Profit and loss: [+-]?[\d,]+ credits realized \(earned [\d,]+: feed [\d,]+, target [\d,]+/);
    const status = await cli('status', '--json');
    const report = JSON.parse(status.stdout);
    expect(report.pnl.earned.target).to.be.greaterThan(0);
    expect(report.pnl.realized).to.equal(report.pnl.agentCredits.change);
    expect((await cli('status')).stdout).to.contain('Profit and loss:');
  });

  it('a saved plan whose source market jumped is refused (exit 6, the diff); --replan plans again, applies, replaces the plan file', async () => {
    // Fly the frigate to the IRON source so that the plan rests on a real observation there.
    const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
    const ship = (await client.listShips()).find((s) => s.cargo.capacity > 0)!;
    if (ship.nav.waypointSymbol !== 'X1-AD75-H51') {
      if (ship.nav.status === 'DOCKED') await client.orbit(ship.symbol);
      await client.navigate(ship.symbol, 'X1-AD75-H51');
      for (let i = 0; i < 400 && (await client.getShip(ship.symbol)).nav.status === 'IN_TRANSIT'; i++) await new Promise((r) => setTimeout(r, 25));
    }
    const planFile = path.join(dir, 'iron.plan.yaml');
    const planned = await cli('plan', path.join(dir, 'iron.yaml'), '--out', planFile);
    expect(planned.code, planned.stderr).to.equal(0);
    const before = YAML.parse(fs.readFileSync(planFile, 'utf8'));
    const quote = before.observations.find((o: any) => o.waypoint === 'X1-AD75-H51' && o.good === 'IRON');
    expect(quote, 'the plan observed IRON at H51').to.not.equal(undefined);
    await adminPut('markets/X1-AD75-H51/IRON', { sellPrice: quote.sellPrice * 2 });

    const refused = await cli('apply', planFile);
    expect(refused.code).to.equal(6);
    expect(refused.stderr).to.match(/moved beyond policy\.maxDrift/);
    expect(refused.stderr).to.match(/IRON at X1-AD75-H51 \(bought here\): ask \d+ → \d+ \(\+[\d.]+%\)/);
    expect(refused.stderr).to.contain('--replan');
    const drift = JSON.parse((await cli('refresh', planFile, '--json')).stdout);
    expect(drift.exceeds).to.equal(true);

    const replanned = await cli('apply', planFile, '--replan', '--auto-approve');
    expect(replanned.code, replanned.stdout + replanned.stderr).to.equal(0);
    expect(replanned.stderr).to.contain('Decisions:'); // the new summary, shown for approval
    const after = YAML.parse(fs.readFileSync(planFile, 'utf8'));
    expect(after.planId).to.not.equal(before.planId);
    const again = await cli('apply', planFile);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.contain('already complete');
  });

  it('opportunities ranks what pays and writes a row as a spec that validates', async () => {
    const out = path.join(dir, 'best.yaml');
    const r = await cli('opportunities', '--good', 'MACHINERY', '--good', 'COPPER', '--spec-out', out);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Opportunities in X1-AD75 .*by expected profit per game hour:\n +1\. /);
    expect(r.stdout).to.contain(`Row 1 written to ${out}`);
    const valid = await cli('validate', out);
    expect(valid.code, valid.stderr).to.equal(0);
    const none = await cli('opportunities', '--good', 'MACHINERY', '--spec-out', out, '--pick', '99');
    expect(none.code).to.equal(4);
  });
});
