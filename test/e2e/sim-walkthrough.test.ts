import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

/**
 * docs/sim-walkthrough.md, run exactly as written: its `sh` blocks (all but the one marked
 * `walkthrough:skip`, which starts the simulator) are concatenated into one bash script and run in
 * an empty folder against `st-goods sim` started with the flags the skipped block shows (plus
 * `--port 0 --json` to learn the URL). The rate limiter stays on, as in the doc. Assertions read the
 * answers the doc saves (*.json) and the simulator's state, so the page cannot drift from the sim.
 */

const bin = path.resolve('bin/run.js');
const doc = path.resolve('docs/sim-walkthrough.md');

interface Blocks {
  /** The skipped block's `st-goods sim ...` arguments. */
  simArgs: string[];
  /** The runnable blocks, in order. */
  run: string[];
}

function extractBlocks(markdown: string): Blocks {
  const re = /(<!--\s*walkthrough:skip[^>]*-->\s*\n)?```sh\n([\s\S]*?)```/g;
  let simArgs: string[] | undefined;
  const run: string[] = [];
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const body = m[2]!;
    if (m[1]) {
      const start = /^st-goods sim (.*)$/m.exec(body);
      if (start) simArgs = start[1]!.trim().split(/\s+/);
      continue;
    }
    run.push(body);
  }
  if (!simArgs) throw new Error(`${doc}: no skipped block with the st-goods sim command`);
  return { simArgs, run };
}

function readJson(dir: string, file: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
}

/** GET with the agent's token; waits out a 429 (the walkthrough may have drained the pools), bounded. */
async function getJson(url: string, token: string): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 429 || attempt >= 5) return res.json();
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
  }
}

function runBash(script: string, cwd: string, env: NodeJS.ProcessEnv, ms: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('e2e: the simulator walkthrough (docs/sim-walkthrough.md)', function () {
  this.timeout(120_000);
  let sim: ChildProcessWithoutNullStreams;
  let exited: Promise<number | null>;
  let baseUrl: string;
  let dir: string;
  let result: { code: number | null; stdout: string; stderr: string };
  const blocks = extractBlocks(fs.readFileSync(doc, 'utf8'));

  before(async () => {
    for (const tool of ['bash', 'curl']) {
      if (spawnSync(tool, ['--version']).status !== 0) throw new Error(`${tool} is not installed: the walkthrough (docs/sim-walkthrough.md) needs it`);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-walkthrough-'));
    sim = spawn(process.execPath, [bin, 'sim', ...blocks.simArgs, '--port', '0', '--json'], { env: { ...process.env, NO_COLOR: '1' } });
    exited = new Promise((resolve) => sim.once('exit', (code) => resolve(code)));
    let out = '';
    sim.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const deadline = Date.now() + 20_000;
    while (!/\n/.test(out)) {
      if (Date.now() > deadline || sim.exitCode !== null) throw new Error(`st-goods sim did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    baseUrl = JSON.parse(out.split('\n')[0]!).baseUrl;
    expect(baseUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);

    // One shell, blocks in order, a marker before each so a failure names its block.
    const script = ['set -euo pipefail', ...blocks.run.map((b, i) => `echo "@@ block ${i + 1}"\n${b}`)].join('\n');
    const env: NodeJS.ProcessEnv = { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: dir, ST_BASE_URL: baseUrl, LANG: 'C.UTF-8' };
    result = await runBash(script, dir, env, 100_000);
  });

  after(async () => {
    if (sim && sim.exitCode === null) {
      sim.kill('SIGTERM');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the doc starts the simulator as the issue says, and every other block runs in bash without an error', () => {
    expect(blocks.simArgs).to.deep.equal(['--seed', '1', '--time-scale', '100', '--starting-credits', '500000']);
    expect(blocks.run.length).to.be.greaterThan(10);
    const failedAt = [...result.stdout.matchAll(/@@ block (\d+)/g)].pop()?.[1];
    expect(result.code, `bash exited ${result.code} in block ${failedAt}:\n${result.stdout.slice(-3000)}\nstderr: ${result.stderr.slice(-3000)}`).to.equal(0);
    expect(result.stderr).to.equal('');
    // curl's retries hide every 429 from the answers the doc reads
    expect(result.stdout).to.not.contain('"code":429');
  });

  it('says what seed 1 gives (the figures the doc quotes)', () => {
    expect(result.stdout).to.contain('buy IRON at X1-RA56-A4 (0 from the hauler), sell at X1-RA56-C6 (100 further)');
    expect(result.stdout).to.contain('meta {"total":30,"page":1,"limit":20}');
    expect(readJson(dir, 'hauler.json').data.transaction.price).to.equal(265_331);
  });

  it('registers with 500000 credits and two ships, and pages through the marketplaces', () => {
    expect(result.stdout).to.match(/agent WALKER: 500000 credits, HQ \S+, 2 ships/);
    expect(result.stdout).to.match(/meta \{"total":\d+,"page":1,"limit":20\}/);
    expect(result.stdout).to.match(/meta \{"total":\d+,"page":2,"limit":20\}/);
    expect(readJson(dir, 'register.json').data.token).to.be.a('string');
  });

  it('buys a light hauler at the probe\'s shipyard', () => {
    const bought = readJson(dir, 'hauler.json').data;
    const register = readJson(dir, 'register.json').data;
    const probe = register.ships.find((s: any) => s.registration.role === 'SATELLITE');
    expect(bought.ship.frame.symbol).to.equal('FRAME_LIGHT_FREIGHTER');
    expect(bought.ship.nav.waypointSymbol).to.equal(probe.nav.waypointSymbol);
    expect(bought.transaction.price).to.be.within(200_000, 350_000);
    expect(bought.agent.credits).to.equal(500_000 - bought.transaction.price);
  });

  it('shows the mistakes a new user makes: 4236 navigating docked, 4244 buying in orbit, 4604 beyond tradeVolume', () => {
    expect(result.stdout).to.match(/error 4236: Ship action failed\. Ship is not currently in orbit at /);
    expect(result.stdout).to.match(/error 4244: .*must be docked/);
    const tooMany = readJson(dir, 'too-many.json').error;
    const before = readJson(dir, 'buy-before.json');
    expect(tooMany.code).to.equal(4604);
    expect(tooMany.data).to.include({ tradeSymbol: 'IRON', tradeVolume: before.tradeVolume, units: before.tradeVolume + 1 });
  });

  it('flies to the exporter, waits for the arrival, buys a tranche and sees the ask rise', () => {
    const nav = readJson(dir, 'nav1.json').data.nav;
    expect(nav.status).to.equal('IN_TRANSIT');
    expect(result.stdout).to.contain(`IN_ORBIT at ${nav.route.destination.symbol}`);
    const before = readJson(dir, 'buy-before.json');
    const after = readJson(dir, 'buy-after.json');
    expect(before.type).to.equal('EXPORT');
    const tx = readJson(dir, 'purchase.json').data.transaction;
    expect(tx).to.include({ type: 'PURCHASE', tradeSymbol: 'IRON', units: Math.min(before.tradeVolume, 80), totalPrice: tx.units * tx.pricePerUnit });
    // Game time runs 100x between the read and the purchase: the factory's production moves the
    // ask a little meanwhile (a label per ~24 game minutes), so the price paid is near the quote.
    expect(tx.pricePerUnit / before.purchasePrice).to.be.within(0.9, 1.1);
    expect(after.purchasePrice).to.be.greaterThan(tx.pricePerUnit);
  });

  it('flies to an importer, sells everything and sees the bid fall; the market lists the sale', async () => {
    const dest = readJson(dir, 'nav2.json').data.nav.route.destination.symbol as string;
    const before = readJson(dir, 'sell-before.json');
    const after = readJson(dir, 'sell-after.json');
    expect(before.type).to.equal('IMPORT');
    const sales = fs.readFileSync(path.join(dir, 'sales.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const bought = readJson(dir, 'purchase.json').data.transaction.units as number;
    expect(sales.reduce((s, x) => s + x.transaction.units, 0)).to.equal(bought);
    expect(sales[0].transaction).to.include({ type: 'SELL', tradeSymbol: 'IRON', waypointSymbol: dest });
    expect(after.sellPrice).to.be.lessThan(before.sellPrice);
    expect(result.stdout).to.match(/profit -?\d+ before fuel/);

    // The simulator agrees: the hauler is docked at the importer with an empty hold.
    const token = readJson(dir, 'register.json').data.token as string;
    const hauler = readJson(dir, 'hauler.json').data.ship.symbol as string;
    const ship = await getJson(`${baseUrl}/my/ships/${hauler}`, token);
    expect(ship.data.nav).to.include({ status: 'DOCKED', waypointSymbol: dest });
    expect(ship.data.cargo.units).to.equal(0);
    const market = await getJson(`${baseUrl}/systems/${ship.data.nav.systemSymbol}/waypoints/${dest}/market`, token);
    const mine = market.data.transactions.filter((t: any) => t.shipSymbol === hauler && t.type === 'SELL' && t.tradeSymbol === 'IRON');
    expect(mine.reduce((s: number, t: any) => s + t.units, 0)).to.equal(bought);
  });
});
