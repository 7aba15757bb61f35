import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { packAndInstall, type Installed } from '../helpers/pack-install.js';
import { registerAgent } from '../helpers/sim.js';

/**
 * The installed CLI, as a user gets it: `npm pack` (prepack builds and writes oclif.manifest.json),
 * `npm install -g` of the tarball into a temporary prefix, then every command run from an unrelated
 * folder with a fresh HOME: --help, `sim --world X1-AD75` (a bundled world by name), `init` (a
 * starter spec), `plan`, `supply-chain refresh` (into the config dir, never into the package).
 */
describe('e2e: npm pack, npm install -g, run from another folder', function () {
  this.timeout(600_000);
  let inst: Installed;
  let home: string;
  let cwd: string;
  let env: NodeJS.ProcessEnv;

  async function st(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(inst.bin, args, { cwd, env: { ...env, ...extra } });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  /** Every file under the installed package, with its mtime: nothing a command runs may change it. */
  function snapshot(): Map<string, number> {
    const files = fs.readdirSync(inst.root, { recursive: true }).map(String).filter((f) => !f.startsWith('node_modules'));
    return new Map(files.map((f) => [f, fs.statSync(path.join(inst.root, f)).mtimeMs]));
  }

  before(async () => {
    inst = await packAndInstall();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-home-'));
    cwd = path.join(home, 'fleet');
    fs.mkdirSync(cwd);
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ST_|XDG_)/.test(k)));
    env = { ...clean, HOME: home, NO_COLOR: '1', PATH: `${path.join(inst.prefix, 'bin')}${path.delimiter}${process.env.PATH}` };
  });

  after(() => {
    inst?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('the tarball holds the CLI, its manifest, LICENSE and the bundled files, and nothing a README example writes', () => {
    for (const f of ['bin/run.js', 'oclif.manifest.json', 'LICENSE', 'README.md', 'dist/commands/plan.js', 'worlds/X1-AD75.json', 'plans/iron.yaml', 'supply_chain.yaml', 'schemas/plan.schema.json']) {
      expect(inst.files, f).to.include(f);
    }
    // Sources stay out, but for the dashboard's static page (served as is).
    for (const f of inst.files) expect(f).not.to.match(/^(test|bench|scripts)\/|^src\/(?!dashboard\/public\/)|\.plan\.yaml$|\.sqlite|bin\/dev\.js|sim-state|sim\.token|plan\.md$/);
    const manifest = JSON.parse(fs.readFileSync(path.join(inst.root, 'oclif.manifest.json'), 'utf8')) as { version: string; commands: Record<string, unknown> };
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    expect(manifest.version).to.equal(pkg.version);
    expect(Object.keys(manifest.commands)).to.include.members(['plan', 'apply', 'init', 'supply-chain:refresh']);
    // postpack removed it again from the clone, where it would go stale with the next build.
    expect(fs.existsSync('oclif.manifest.json')).to.equal(false);
  });

  it('--help, help COMMAND and --version work from another folder', async () => {
    const help = await st(['--help']);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.contain('EXIT CODES').and.contain('plan').and.contain('init');
    expect((await st(['help', 'plan'])).stdout).to.contain('[env: ST_GOODS_STORE]');
    expect((await st(['--version'])).stdout).to.match(/^st-goods\/\d+\.\d+\.\d+/);
  });

  it('sim --world X1-AD75 (by name), init, plan and supply-chain refresh, none of which writes into the package', async () => {
    const before = snapshot();
    const sim = spawn(inst.bin, ['sim', '--world', 'X1-AD75', '--port', '0', '--time-scale', '1000', '--rate-limit', 'off', '--json'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    sim.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line within 60 s: ${stderr}`)), 60_000);
        readline.createInterface({ input: sim.stdout }).once('line', (l) => {
          clearTimeout(timer);
          resolve(l);
        });
        sim.once('exit', (code) => reject(new Error(`sim exited ${code}: ${stderr}`)));
      });
      const info = JSON.parse(line) as { baseUrl: string; world: string };
      expect(info.world).to.equal(path.join(inst.root, 'worlds', 'X1-AD75.json'));
      const agent = await registerAgent(info.baseUrl);
      const api = { ST_BASE_URL: info.baseUrl, ST_TOKEN: agent.token };
      expect(agent.body.data.agent.headquarters).to.match(/^X1-AD75-/);

      const init = await st(['init', 'iron']);
      expect(init.code, init.stderr).to.equal(0);
      expect(fs.readFileSync(path.join(cwd, 'iron.yaml'), 'utf8')).to.contain(`$schema=${path.join(inst.root, 'schemas', 'production-spec.schema.json')}`);
      const plan = await st(['plan', 'iron.yaml'], api);
      expect(plan.code, plan.stderr + plan.stdout).to.equal(0);
      expect(fs.existsSync(path.join(cwd, 'iron.plan.yaml'))).to.equal(true);
      // The store went to the state dir of the fresh HOME.
      expect(fs.existsSync(path.join(home, '.local', 'state', 'st-goods', 'st-goods.sqlite'))).to.equal(true);

      const refresh = await st(['supply-chain', 'refresh'], api);
      expect(refresh.code, refresh.stderr).to.equal(0);
      const userCopy = path.join(home, '.config', 'st-goods', 'supply_chain.yaml');
      expect(refresh.stdout).to.contain(userCopy);
      expect(fs.existsSync(userCopy)).to.equal(true);
      const show = await st(['supply-chain', 'show', '--json']);
      expect(JSON.parse(show.stdout).source).to.equal(userCopy);
    } finally {
      sim.kill('SIGTERM');
    }
    expect(snapshot()).to.deep.equal(before);
  });
});
