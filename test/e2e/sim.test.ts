import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';

/**
 * `st-goods sim` as a user runs it (the built binary; `npm run test:e2e` builds first): start on a
 * free port, read the printed base URL, register with fetch, stop with SIGTERM → exit 0, state saved.
 */

const bin = path.resolve('bin/run.js');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** ST_SIM_TEST_WORLD=worlds/X1-AD75.json runs these against a world file instead of the generated one. */
const worldArgs = process.env.ST_SIM_TEST_WORLD ? ['--world', process.env.ST_SIM_TEST_WORLD] : [];

function start(args: string[]): Running {
  const child = spawn(process.execPath, [bin, 'sim', ...worldArgs, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits (bounded) until stdout matches. */
async function waitFor(r: Running, re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = re.exec(r.stdout());
    if (m) return m;
    if (Date.now() > deadline || r.child.exitCode !== null) throw new Error(`no ${re} in stdout: ${r.stdout()}\nstderr: ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

describe('e2e: st-goods sim', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-sim-e2e-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--json prints one line with the base URL, serves the API, and saves state on SIGTERM (exit 0)', async () => {
    const state = path.join(dir, 'state.json');
    const r = start(['--port', '0', '--json', '--time-scale', '100', '--rate-limit', 'off', '--state', state]);
    try {
      const line = (await waitFor(r, /^(\{.*\})\n/))[1]!;
      const info = JSON.parse(line);
      expect(info.baseUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      expect(info).to.include({ rateLimit: 'off', faults: 'off', stateFile: state, resumed: false });
      const reg = await fetch(`${info.baseUrl}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer any-account-token' },
        body: JSON.stringify({ symbol: 'E2EAGENT', faction: 'COSMIC' }),
      });
      expect(reg.status).to.equal(201);
      const token = ((await reg.json()) as any).data.token as string;
      const me = await fetch(`${info.baseUrl}/my/agent`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await me.json()) as any).data.symbol).to.equal('E2EAGENT');
      expect(r.stdout().trim().split('\n')).to.have.length(1);
    } finally {
      r.child.kill('SIGTERM');
    }
    expect(await r.exited).to.equal(0);
    expect(fs.readFileSync(state, 'utf8')).to.contain('E2EAGENT');
    expect(r.stderr()).to.not.match(/\n\s+at /);
  });

  it('--world sector --systems 50 serves a 50-system sector; GET / and /_sim/health report it', async () => {
    const child = spawn(process.execPath, [bin, 'sim', '--world', 'sector', '--systems', '50', '--port', '0', '--json', '--rate-limit', 'off'], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const r: Running = { child: child as ChildProcessWithoutNullStreams, stdout: () => out, stderr: () => '', exited };
    try {
      const info = JSON.parse((await waitFor(r, /^(\{.*\})\n/))[1]!);
      expect(info).to.include({ world: 'sector', systems: 50 });
      const status = (await (await fetch(`${info.baseUrl}/`)).json()) as any;
      expect(status.stats.systems).to.equal(50);
      const health = (await (await fetch(`${info.adminUrl}/health`)).json()) as any;
      expect(health.data.sector).to.include({ systems: 50, jumpGates: 50 });
      expect(health.data.sector.gatesUnderConstruction).to.be.within(2, 49);
      expect(health.data.memory.rssBytes).to.be.below(300 * 1024 * 1024);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).to.equal(0);
  });

  it('prints the base URL and a ready-to-paste register command, and stops on SIGINT with exit 0', async () => {
    const r = start(['--port', '0']);
    try {
      const url = (await waitFor(r, /serving (http:\/\/127\.0\.0\.1:\d+\/v2)/))[1]!;
      await waitFor(r, /Stop with Ctrl-C/);
      expect(r.stdout()).to.contain(`export ST_BASE_URL=${url}`);
      expect(r.stdout()).to.contain('ST_ACCOUNT_TOKEN=sim-account st-goods register MYAGENT --faction COSMIC');
      // The printed curl line registers (with an account token) and yields a working agent token.
      const line = r.stdout().split('\n').find((l) => l.trim().startsWith('export ST_TOKEN='))!.trim();
      const sh = spawnSync('bash', ['-euc', `${line}; printf %s "$ST_TOKEN"`], { encoding: 'utf8' });
      expect(sh.status, sh.stderr).to.equal(0);
      const me = await fetch(`${url}/my/agent`, { headers: { authorization: `Bearer ${sh.stdout}` } });
      expect(((await me.json()) as any).data.symbol).to.equal('MYAGENT');
      const health = await fetch(url.replace(/\/v2$/, '/_sim/health'));
      expect(health.status).to.equal(200);
    } finally {
      r.child.kill('SIGINT');
    }
    expect(await r.exited).to.equal(0);
  });

  it('refuses a bad --faults spec and a taken port with one paragraph and exit 4', async () => {
    const bad = await cli(['sim', '--port', '0', '--faults', '5xx=2']);
    expect(bad.code).to.equal(4);
    expect(bad.stderr).to.contain('5xx=2');
    expect(bad.stderr).to.not.match(/\n\s+at /);

    const blocker = net.createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', () => res()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const taken = await cli(['sim', ...worldArgs, '--port', String(port)]);
      expect(taken.code).to.equal(4);
      expect(taken.stderr).to.contain(`Port ${port}`);
    } finally {
      blocker.close();
    }
  });

  it('--help shows the flags and examples', async () => {
    const { code, stdout } = await cli(['sim', '--help']);
    expect(code).to.equal(0);
    for (const s of ['--time-scale', '--rate-limit', '--faults', '--state', '--starting-credits', 'EXAMPLES', '/_sim/health']) expect(stdout).to.contain(s);
  });
});
