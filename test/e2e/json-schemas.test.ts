import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'chai';
import YAML from 'yaml';
import { readPlan } from '../../src/plan/file.js';
import { Journal } from '../../src/state/journal.js';
import { AgentLock } from '../../src/state/lock.js';
import { Store } from '../../src/state/store.js';
import { withSim, type TestSim } from '../helpers/sim.js';

/**
 * Every command's --json output, from the real binary, validated against its committed schema in
 * schemas/ (and user errors against schemas/error.schema.json). Also checks that each schema is
 * strict: the same output with a required field removed, or an unknown field added, is refused.
 */

const run = promisify(execFile);
const bin = path.resolve('bin/run.js');
const schemasDir = path.resolve('schemas');
const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;

/** Each command (oclif id) and the schema of its --json output. */
const RESULT_SCHEMAS: Record<string, string> = {
  apply: 'apply-result.schema.json',
  contracts: 'contracts-result.schema.json',
  dashboard: 'dashboard-result.schema.json',
  demo: 'demo-result.schema.json',
  graph: 'graph-result.schema.json',
  init: 'init-result.schema.json',
  markets: 'markets-result.schema.json',
  opportunities: 'opportunities-result.schema.json',
  plan: 'plan-result.schema.json',
  refresh: 'refresh-result.schema.json',
  register: 'register-result.schema.json',
  show: 'show-result.schema.json',
  sim: 'sim-result.schema.json',
  status: 'status.schema.json',
  stop: 'stop-result.schema.json',
  unlock: 'unlock-result.schema.json',
  validate: 'validate-result.schema.json',
  'supply-chain refresh': 'supply-chain-refresh-result.schema.json',
  'supply-chain show': 'supply-chain-show-result.schema.json',
};

/** Two ajv instances: draft-07 and 2020-12 schemas cannot share one. */
function loadValidators(): (file: string) => ValidateFunction {
  const draft7 = new Ajv({ allErrors: true, strict: false });
  const d2020 = new Ajv2020({ allErrors: true, strict: false });
  addFormats(draft7);
  addFormats(d2020);
  for (const f of fs.readdirSync(schemasDir).filter((n) => n.endsWith('.schema.json'))) {
    const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, f), 'utf8'));
    (String(schema.$schema).includes('2020-12') ? d2020 : draft7).addSchema(schema, f);
  }
  return (file) => {
    const v = draft7.getSchema(file) ?? d2020.getSchema(file);
    if (!v) throw new Error(`schema ${file} not loaded`);
    return v;
  };
}

describe('e2e: every --json output matches its schema in schemas/', function () {
  this.timeout(60_000);
  let sim: TestSim;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let schema: (file: string) => ValidateFunction;
  /** Outputs seen, for the strictness check at the end. */
  const seen: Array<{ file: string; data: any }> = [];

  async function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...env, ...extraEnv } });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  function expectValid(file: string, data: unknown): void {
    const v = schema(file);
    const ok = v(data);
    expect(ok, `${file}: ${JSON.stringify(v.errors, null, 1)}\n${JSON.stringify(data).slice(0, 2000)}`).to.equal(true);
    seen.push({ file, data });
  }

  /** Runs a command with --json, expects `code`, parses stdout and validates it. */
  async function json(args: string[], file: string, code = 0, extraEnv: NodeJS.ProcessEnv = {}): Promise<any> {
    const r = await cli([...args, '--json'], extraEnv);
    expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).to.equal(code);
    expect(r.stderr).to.not.match(/\n\s+at /);
    const data = JSON.parse(r.stdout);
    expectValid(file, data);
    expect(r.stdout).to.not.contain(sim.token);
    return data;
  }

  before(async () => {
    schema = loadValidators();
    sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: 1000, seed: 5 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-json-schemas-'));
    env = { ...process.env, NO_COLOR: '1', ST_BASE_URL: sim.baseUrl, ST_TOKEN: sim.token, ST_GOODS_STORE: path.join(dir, 'store.sqlite'), ST_GOODS_CONFIG_DIR: dir };
    fs.writeFileSync(path.join(dir, 'iron.yaml'), YAML.stringify({ name: 'iron-json', system: 'X1-AD75', target: { good: 'IRON', quantity: 10, deliver: 'hold' }, policy: { maxCredits: 50_000 } }));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), YAML.stringify({ name: 'bad', target: { good: 'IRON_OAR', quantity: -1 } }));
  });

  after(async () => {
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every command names a committed result schema (static jsonSchema, shown in --help), and every schema compiles', async () => {
    const files = fs
      .readdirSync(path.resolve('src/commands'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'));
    const commands = files.map((f) => f.replace(/\.ts$/, '').split(path.sep).join(' '));
    expect(commands.sort()).to.deep.equal(Object.keys(RESULT_SCHEMAS).sort());
    for (const f of files) {
      const id = f.replace(/\.ts$/, '').split(path.sep).join(' ');
      const mod = (await import(path.resolve('src/commands', f))) as { default: { jsonSchema?: string } };
      expect(mod.default.jsonSchema, id).to.equal(RESULT_SCHEMAS[id]);
    }
    for (const file of [...Object.values(RESULT_SCHEMAS), 'error.schema.json', 'plan.schema.json']) expect(schema(file), file).to.be.a('function');
    const help = await cli(['supply-chain', 'refresh', '--help']);
    expect(help.stdout).to.match(/JSON OUTPUT\n[^]*schemas\/supply-chain-refresh-result\.schema\.json[^]*schemas\/error\.schema\.json/);
  });

  it('contracts: the starter contract of a new agent', async () => {
    const data = await json(['contracts'], 'contracts-result.schema.json');
    const starter = sim.registered.data.contract;
    const c = data.contracts.find((x: { id: string }) => x.id === starter.id);
    expect(c, JSON.stringify(data)).to.not.equal(undefined);
    expect(c.deliveries).to.have.length(starter.terms.deliver.length);
    expect(c.deliveries[0].good).to.equal(starter.terms.deliver[0].tradeSymbol);
    expect(c.deliveries[0].destination).to.equal(starter.terms.deliver[0].destinationSymbol);
    const text = await cli(['contracts']);
    expect(text.code).to.equal(0);
    expect(text.stdout).to.contain(starter.id);
    expect(text.stdout).to.contain(`deliver: { contract: ${starter.id} }`);
  });

  it('plan, then show of the plan it wrote', async () => {
    const out = path.join(dir, 'iron.plan.yaml');
    const data = await json(['plan', path.join(dir, 'iron.yaml'), '--out', out], 'plan-result.schema.json');
    expect(data.file).to.equal(out);
    const plan = await json(['show', out], 'show-result.schema.json');
    expect(plan.planId).to.equal(data.planId);
    const asFormat = await cli(['show', out, '--format', 'json']);
    expectValid('show-result.schema.json', JSON.parse(asFormat.stdout));
    const drift = await json(['refresh', out], 'refresh-result.schema.json');
    expect(drift.planId).to.equal(data.planId);
  });

  it('apply of that plan, then status', async () => {
    const outcome = await json(['apply', path.join(dir, 'iron.plan.yaml')], 'apply-result.schema.json');
    expect(outcome.status).to.equal('completed');
    const report = await json(['status'], 'status.schema.json');
    expect(report.runId).to.equal(outcome.runId);
  });

  it('a non-zero result is still one JSON document with the documented exit code: plan --detailed-exitcode, a failed apply, its status', async () => {
    const spec = path.join(dir, 'iron-more.yaml');
    fs.writeFileSync(spec, YAML.stringify({ name: 'iron-more', system: 'X1-AD75', target: { good: 'IRON', quantity: 30, deliver: 'hold' }, policy: { maxCredits: 50_000 } }));
    const out = path.join(dir, 'iron-more.plan.yaml');
    const planned = await json(['plan', spec, '--out', out, '--detailed-exitcode'], 'plan-result.schema.json', 2);
    expect(planned.hasWork).to.equal(true);
    // Below the treasury floor, every purchase is refused: the run fails.
    const agent = sim.universe.state.agents[sim.agentSymbol]!;
    const credits = agent.credits;
    agent.credits = 100;
    try {
      const r = await cli(['apply', out, '--json']);
      expect([10, 11], r.stdout + r.stderr).to.include(r.code);
      const outcome = JSON.parse(r.stdout);
      expectValid('apply-result.schema.json', outcome);
      expect(outcome.exitCode).to.equal(r.code);
      const report = await json(['status'], 'status.schema.json');
      expect(report.runId).to.equal(outcome.runId);
      expect(typeof report.status).to.equal(typeof outcome.status);
    } finally {
      agent.credits = credits;
    }
  });

  it('opportunities', async () => {
    const data = await json(['opportunities', '--good', 'MACHINERY', '--good', 'COPPER'], 'opportunities-result.schema.json');
    expect(data.rows.length + data.skipped.length).to.be.greaterThan(0);
  });

  it('markets', async () => {
    const data = await json(['markets', '--system', 'X1-AD75'], 'markets-result.schema.json');
    expect(data.quotes.length).to.be.greaterThan(0);
    const typo = await json(['markets', '--good', 'IRON_OAR'], 'error.schema.json', 4);
    expect(typo.error.message).to.contain('did you mean "IRON_ORE"');
  });

  it('offline commands: validate, graph, supply-chain show (both forms); their user errors', async () => {
    const spec = path.join(dir, 'iron.yaml');
    const [valid, graph, all, one] = await Promise.all([
      json(['validate', spec], 'validate-result.schema.json'),
      json(['graph', 'ADVANCED_CIRCUITRY', '--buyable', 'COPPER'], 'graph-result.schema.json'),
      json(['supply-chain', 'show'], 'supply-chain-show-result.schema.json'),
      json(['supply-chain', 'show', 'IRON_ORE'], 'supply-chain-show-result.schema.json'),
    ]);
    expect(valid.spec.target.good).to.equal('IRON');
    expect(graph.buyable).to.deep.equal(['COPPER']);
    expect(all.goods.length).to.be.greaterThan(100);
    expect(one.good).to.equal('IRON_ORE');
    // The example specs cover the other shapes of a normalised spec (fleet ships/select, contract, make).
    const examples = fs.readdirSync(path.resolve('plans')).filter((f) => /\.ya?ml$/.test(f) && !f.includes('.plan.'));
    expect(examples.length).to.be.greaterThan(2);
    await Promise.all(examples.map((f) => json(['validate', path.resolve('plans', f)], 'validate-result.schema.json')));
    const [badSpec, badGood] = await Promise.all([
      json(['validate', path.join(dir, 'bad.yaml')], 'error.schema.json', 4),
      json(['graph', 'NOT_A_GOOD'], 'error.schema.json', 4),
    ]);
    expect(badSpec).to.include({ status: 'error', exitCode: 4 });
    const usage = await json(['validate', spec, '--no-such-flag'], 'error.schema.json', 2);
    expect(usage.error.code).to.equal('USAGE');
    expect(badGood.error.message).to.match(/NOT_A_GOOD/);
  });

  it('init: a starter spec that validates, the list of examples, and its user errors', async () => {
    const out = path.join(dir, 'starter.yaml');
    const wrote = await json(['init', 'machinery', '--out', out], 'init-result.schema.json');
    expect(wrote).to.deep.equal({ example: 'machinery', file: out });
    await json(['validate', out], 'validate-result.schema.json');
    const list = await json(['init', '--list'], 'init-result.schema.json');
    expect(list.examples.map((e: { name: string }) => e.name)).to.include.members(['iron', 'machinery', 'advanced-circuitry', 'ship-parts']);
    const exists = await json(['init', 'machinery', '--out', out], 'error.schema.json', 4);
    expect(exists.error.code).to.equal('FILE_EXISTS');
    const typo = await json(['init', 'irn', '--out', path.join(dir, 'x.yaml')], 'error.schema.json', 4);
    expect(typo.error.message).to.contain('did you mean "iron"');
  });

  it('supply-chain refresh from the simulator', async () => {
    const out = path.join(dir, 'sc.yaml');
    const first = await json(['supply-chain', 'refresh', '--out', out], 'supply-chain-refresh-result.schema.json');
    expect(first.previousMissing).to.equal(true);
    const second = await json(['supply-chain', 'refresh', '--out', out], 'supply-chain-refresh-result.schema.json');
    expect(second.written).to.equal(false);
    expect(second.previousHash).to.equal(first.hash);
  });

  it('stop and unlock: results and their user errors', async () => {
    const storeFile = path.join(dir, 'stop.sqlite');
    const noRun = await json(['stop', '--store', storeFile], 'error.schema.json', 4);
    expect(noRun.error.code).to.equal('NO_RUN');

    const store = await Store.open(storeFile);
    const plan = readPlan(path.join(dir, 'iron.plan.yaml'));
    const now = new Date().toISOString();
    const runId = 'run-json-schema-1';
    await new Journal(store).createRun({
      runId, planId: plan.planId, agentSymbol: sim.agentSymbol, status: 'running', startedAt: now, updatedAt: now, attempts: 1,
      pid: process.pid, host: os.hostname(), timeScale: 1, activeMs: 0, api: { requests: 0, purchases: 0, sales: 0, rateLimited: 0, errors: 0 }, plan,
    });
    await AgentLock.acquire(store, sim.agentSymbol, runId);
    await store.close();

    const stopped = await json(['stop', runId, '--store', storeFile], 'stop-result.schema.json');
    expect(stopped.requested).to.equal(true);
    const held = await json(['unlock', '--store', storeFile], 'error.schema.json', 7);
    expect(held.error.code).to.equal('LOCK_HELD');
    const forced = await json(['unlock', sim.agentSymbol, '--force', '--store', storeFile], 'unlock-result.schema.json');
    expect(forced.removed).to.equal(true);
    expect(forced.holder.runId).to.equal(runId);
    const none = await json(['unlock', sim.agentSymbol, '--store', storeFile], 'unlock-result.schema.json');
    expect(none).to.deep.equal({ agent: sim.agentSymbol, removed: false });
  });

  it('ST_TOKEN comes before ST_TOKEN_FILE (which oclif also shows as the env of --token-file)', async () => {
    await json(['contracts'], 'contracts-result.schema.json', 0, { ST_TOKEN_FILE: path.join(dir, 'no-such-token-file') });
    const r = await json(['contracts', '--token-file', path.join(dir, 'no-such-token-file')], 'error.schema.json', 3);
    expect(r.error.message).to.contain('--token-file');
  });

  it('register: an account token in, the agent token saved 0600 in the config dir and never printed unless asked', async () => {
    const config = path.join(dir, 'register-config');
    const none = await json(['register', 'NEWCOMER', '--faction', 'COSMIC'], 'error.schema.json', 3, { ST_GOODS_CONFIG_DIR: config, ST_ACCOUNT_TOKEN: '' });
    expect(none.error.code).to.equal('NO_ACCOUNT_TOKEN');
    const account = { ST_GOODS_CONFIG_DIR: config, ST_ACCOUNT_TOKEN: 'sim-account' };
    const typo = await json(['register', 'NEWCOMER', '--faction', 'COSMOS'], 'error.schema.json', 4, account);
    expect(typo.error.message).to.contain('did you mean "COSMIC"');
    const reg = await json(['register', 'NEWCOMER', '--faction', 'cosmic'], 'register-result.schema.json', 0, account);
    const tokenFile = path.join(config, 'token');
    expect(reg).to.include({ agent: 'NEWCOMER', faction: 'COSMIC', tokenFile });
    expect(reg).not.to.have.property('token');
    expect(fs.statSync(tokenFile).mode & 0o777).to.equal(0o600);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    // Every command finds it there (ST_TOKEN unset).
    const mine = await json(['contracts'], 'contracts-result.schema.json', 0, { ST_GOODS_CONFIG_DIR: config, ST_TOKEN: '' });
    expect(mine.contracts[0].id).to.equal(reg.contract);
    const again = await json(['register', 'SECONDONE', '--faction', 'VOID'], 'error.schema.json', 4, account);
    expect(again.error.code).to.equal('TOKEN_FILE_EXISTS');
    expect(fs.readFileSync(tokenFile, 'utf8').trim()).to.equal(token);
    const text = await cli(['register', 'THIRDONE', '--faction', 'VOID', '--token-out', path.join(dir, 'third.token')], account);
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.contain('THIRDONE').and.not.contain(fs.readFileSync(path.join(dir, 'third.token'), 'utf8').trim());
    const shown = await json(['register', 'FOURTHONE', '--faction', 'VOID', '--token-out', path.join(dir, 'fourth.token'), '--show-token'], 'register-result.schema.json', 0, account);
    expect(shown.token).to.equal(fs.readFileSync(path.join(dir, 'fourth.token'), 'utf8').trim());
  });

  it('a missing token is a user error in the envelope', async () => {
    const r = await json(['contracts'], 'error.schema.json', 3, { ST_TOKEN: '', ST_TOKEN_FILE: '', ST_GOODS_CONFIG_DIR: path.join(dir, 'empty-config') });
    expect(r).to.include({ status: 'error', exitCode: 3 });
  });

  it('demo: its own simulator, the apply outcome and the status', async () => {
    const res = await json(['demo', '--spec', 'iron.yaml', '--time-scale', '5000', '--no-rate-limit', '--haulers', '0', '--dir', path.join(dir, 'demo')], 'demo-result.schema.json');
    expect(res.outcome.status).to.equal('completed');
    expect(res.status.runId).to.equal(res.outcome.runId);
  });

  it('sim prints one start line', async () => {
    const child = spawn(process.execPath, [bin, 'sim', '--port', '0', '--rate-limit', 'off', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no start line within 20 s')), 20_000);
        readline.createInterface({ input: child.stdout }).once('line', (l) => {
          clearTimeout(timer);
          resolve(l);
        });
        child.once('exit', (code) => reject(new Error(`sim exited ${code}`)));
      });
      const info = JSON.parse(line);
      expectValid('sim-result.schema.json', info);
      expect(info.pid).to.equal(child.pid);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('dashboard prints one start line', async () => {
    const storeFile = path.join(dir, 'dashboard.sqlite');
    await (await Store.open(storeFile)).close();
    const child = spawn(process.execPath, [bin, 'dashboard', '--store', storeFile, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no start line within 20 s')), 20_000);
        readline.createInterface({ input: child.stdout }).once('line', (l) => {
          clearTimeout(timer);
          resolve(l);
        });
        child.once('exit', (code) => reject(new Error(`dashboard exited ${code}`)));
      });
      const info = JSON.parse(line);
      expectValid('dashboard-result.schema.json', info);
      expect(info.pid).to.equal(child.pid);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('the schemas are strict: a missing required field or an unknown field is refused', () => {
    expect(seen.length).to.be.greaterThan(10);
    // apply-result and status (older schemas) are open at the top level: only their required fields are checked.
    const open = new Set(['apply-result.schema.json', 'status.schema.json']);
    const raw = (file: string) => JSON.parse(fs.readFileSync(path.join(schemasDir, file), 'utf8'));
    for (const { file, data } of seen) {
      const v = schema(file);
      const top = raw(file);
      const required: string[] = top.required ?? (top.$ref ? raw(String(top.$ref).split('#')[0]!).required : undefined) ?? Object.keys(data);
      const key = Object.keys(data).find((k) => required.includes(k))!;
      const dropped = { ...data };
      delete dropped[key];
      expect(v(dropped), `${file} without ${key}`).to.equal(false);
      if (!open.has(file)) expect(v({ ...data, surpriseField: 1 }), `${file} with an unknown field`).to.equal(false);
    }
  });
});
