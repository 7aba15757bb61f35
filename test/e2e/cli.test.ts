import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);
const bin = path.resolve('bin/run.js');

/** The real binary, as a user runs it (needs `npm run build`; `npm test` builds first). */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('e2e: the st-goods binary', () => {
  it('--help lists the commands and the exit-code table', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).to.equal(0);
    expect(stdout).to.contain('EXIT CODES');
    expect(stdout).to.match(/130\s+interrupted/);
  });

  it('an unknown flag is a usage error (exit 2), not a stack trace', async () => {
    const { code, stderr } = await cli(['--help-me-please']);
    expect(code).to.equal(2);
    expect(stderr).not.to.match(/\n\s+at /);
  });

  it('oclif plugins: `help COMMAND`, `--version` and `version`, autocomplete', async () => {
    const help = await cli(['help', 'apply']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('Carry out a plan').and.contain('EXIT CODES');
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    for (const args of [['--version'], ['version']]) {
      const v = await cli(args);
      expect(v.code, args.join(' ')).to.equal(0);
      expect(v.stdout).to.contain(`st-goods/${pkg.version}`);
    }
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'st-autocomplete-'));
    try {
      const ac = await cli(['autocomplete', 'bash'], { XDG_CACHE_HOME: cache, HOME: cache });
      expect(ac.code, ac.stderr).to.equal(0);
      expect(ac.stdout).to.contain('st-goods autocomplete');
      const script = await cli(['autocomplete', 'script', 'bash'], { XDG_CACHE_HOME: cache, HOME: cache });
      expect(script.stdout).to.contain('st-goods');
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('a mistyped command is a usage error that says what was meant, as the user types it', async () => {
    const typo = await cli(['aply', 'plans/iron.plan.yaml']);
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.contain('Did you mean `st-goods apply`?');
    const sub = await cli(['supply-chain', 'sho']);
    expect(sub.code).to.equal(2);
    expect(sub.stderr.replace(/\s*›\s*/g, ' ')).to.contain('Did you mean `st-goods supply-chain show`?');
    expect(sub.stderr).not.to.contain('supply-chain:');
    // With --json, one JSON document on stdout, as every command's errors (`markets X` is read as a command).
    const json = await cli(['markets', 'X1-AD75', '--json']);
    expect(json.code).to.equal(2);
    expect(JSON.parse(json.stdout)).to.deep.include({ status: 'error', exitCode: 2 });
    expect(JSON.parse(json.stdout).error.code).to.equal('USAGE');
  });

  it('--help shows the environment variable of each flag, and the API flags only where the API is called', async () => {
    const plan = await cli(['plan', '--help']);
    for (const env of ['ST_GOODS_STORE', 'ST_GOODS_SUPPLY_CHAIN', 'ST_TOKEN_FILE', 'ST_BASE_URL']) expect(plan.stdout).to.contain(`[env: ${env}]`);
    const withApi = ['apply', 'markets', 'contracts', 'unlock', 'stop', 'supply-chain refresh'];
    const offline = ['status', 'init', 'validate', 'graph', 'show', 'sim', 'supply-chain show'];
    const helps = await Promise.all([...withApi, ...offline].map((id) => cli([...id.split(' '), '--help'])));
    withApi.forEach((id, i) => expect(helps[i]!.stdout, id).to.contain('--base-url').and.contain('--token-file'));
    offline.forEach((id, i) => {
      const h = helps[withApi.length + i]!;
      expect(h.code, id).to.equal(0);
      expect(h.stdout, id).not.to.contain('--base-url');
      expect(h.stdout, id).not.to.contain('--token-file');
    });
    const status = await cli(['status', '--help']);
    expect(status.stdout).to.contain('[env: ST_GOODS_STORE]');
  });

  it("the README's token-file line works on a fresh HOME and leaves the token readable by its owner only", () => {
    const line = fs.readFileSync('README.md', 'utf8').split('\n').find((l) => l.includes('~/.config/st-goods/token') && l.includes('MY_AGENT_TOKEN'));
    expect(line, 'the README line that stores the token').to.be.a('string');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'st-fresh-home-'));
    try {
      const r = spawnSync('bash', ['-euc', line!], { env: { PATH: process.env.PATH, HOME: home, MY_AGENT_TOKEN: 'tok-123' }, encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      const file = path.join(home, '.config', 'st-goods', 'token');
      expect(fs.readFileSync(file, 'utf8').trim()).to.equal('tok-123');
      expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("validate's normalised form is itself a valid spec, with the same specHash (every example)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-roundtrip-'));
    try {
      const examples = fs.readdirSync('plans').filter((f) => /\.ya?ml$/.test(f) && !f.includes('.plan.'));
      await Promise.all(
        examples.map(async (f) => {
          const first = await cli(['validate', path.join('plans', f)]);
          expect(first.code, first.stderr).to.equal(0);
          const again = path.join(dir, f);
          fs.writeFileSync(again, first.stdout);
          const second = await cli(['validate', again]);
          expect(second.code, `${f}: ${second.stderr}`).to.equal(0);
          const hash = (out: string) => /specHash: (sha256:[0-9a-f]+)/.exec(out)?.[1];
          expect(hash(second.stdout), f).to.equal(hash(first.stdout)).and.to.be.a('string');
        }),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
