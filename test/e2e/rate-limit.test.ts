import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { withSim, type TestSim } from '../helpers/sim.js';

/**
 * Two processes, one rate limit: `plan` then `apply` back to back (the real binary), for an agent
 * whose pools a previous command has just spent, against the simulator with the real limits on.
 * Each process seeds its limiter from the server's x-ratelimit-* headers, and every process of the
 * host takes its slots from one ledger of the server's pools (src/api/limiter-ledger.ts): apply
 * starting inside plan's last window waits for it instead of drawing a 429, and two commands at
 * once share 2/s instead of each spending it. (npm run bench:back-to-back measures the same.)
 */
describe('e2e: plan then apply back to back meet no 429 against the real rate limits', function () {
  this.timeout(180_000);
  let sim: TestSim;
  let dir: string;

  before(async () => {
    sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: 1000, rateLimit: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-b2b-'));
  });
  after(async () => {
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plan, then apply, right after the burst pool was spent: 0 429s', async () => {
    const env = { ...process.env, NO_COLOR: '1', ST_BASE_URL: sim.baseUrl, ST_TOKEN: sim.token, ST_GOODS_STORE: path.join(dir, 'store.sqlite'), ST_GOODS_CONFIG_DIR: dir };
    const run = (args: string[]) => promisify(execFile)(process.execPath, [path.resolve('bin/run.js'), ...args], { env });
    // A previous command spent the agent's (and the IP's) burst: 32 reads at once.
    await Promise.all(Array.from({ length: 32 }, () => sim.api('GET', '/my/agent')));
    await new Promise((r) => setTimeout(r, 1100));
    const limited = () => sim.sim.controls.stats.byStatus['429'] ?? 0;
    const before = limited();
    await run(['plan', 'plans/iron.yaml', '--out', path.join(dir, 'iron.plan.yaml')]);
    const afterPlan = limited();
    const { stdout } = await run(['apply', path.join(dir, 'iron.plan.yaml'), '--json']);
    expect(JSON.parse(stdout).status).to.equal('completed');
    expect({ plan: afterPlan - before, apply: limited() - afterPlan }).to.deep.equal({ plan: 0, apply: 0 });
  });

  it('plan and markets --refresh at once, for one agent: they share the pools, 0 429s', async () => {
    const env = { ...process.env, NO_COLOR: '1', ST_BASE_URL: sim.baseUrl, ST_TOKEN: sim.token, ST_GOODS_STORE: path.join(dir, 'store2.sqlite'), ST_GOODS_CONFIG_DIR: dir };
    const run = (args: string[]) => promisify(execFile)(process.execPath, [path.resolve('bin/run.js'), ...args], { env });
    await Promise.all(Array.from({ length: 32 }, () => sim.api('GET', '/my/agent')));
    await new Promise((r) => setTimeout(r, 1100));
    const limited = () => sim.sim.controls.stats.byStatus['429'] ?? 0;
    const before = limited();
    await Promise.all([run(['plan', 'plans/iron.yaml', '--out', path.join(dir, 'iron2.plan.yaml')]), run(['markets', '--refresh'])]);
    expect(limited() - before).to.equal(0);
  });
});
