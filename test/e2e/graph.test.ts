import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { withSim } from '../helpers/sim.js';

const run = promisify(execFile);
const bin = path.resolve('bin/run.js');

/** The real binary (needs `npm run build`). */
async function st(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1', ST_GOODS_SUPPLY_CHAIN: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const noStack = (text: string): void => {
  expect(text).not.to.match(/\n\s+at .+:\d+:\d+/);
};

describe('e2e: graph, validate, supply-chain', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-e2e-graph-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('graph ADVANCED_CIRCUITRY --format mermaid draws the reachable subgraph, inputs pointing at products', async () => {
    const { code, stdout, stderr } = await st(['graph', 'ADVANCED_CIRCUITRY', '--format', 'mermaid']);
    expect(code, stderr).to.equal(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).to.equal('flowchart LR');
    for (const edge of ['ELECTRONICS --> ADVANCED_CIRCUITRY', 'MICROPROCESSORS --> ADVANCED_CIRCUITRY', 'COPPER --> ELECTRONICS', 'COPPER_ORE --> COPPER', 'EXPLOSIVES --> SILICON_CRYSTALS', 'IRON_ORE --> IRON', 'IRON --> MACHINERY', 'MACHINERY --> LIQUID_HYDROGEN', 'LIQUID_HYDROGEN --> EXPLOSIVES']) {
      expect(lines, edge).to.include(`  ${edge}`);
    }
    expect(stdout).not.to.contain('SHIP_PARTS');
    expect(lines).to.include('  class ADVANCED_CIRCUITRY target');
  });

  it('graph text: a finite tree with a loop marker; --buyable stops it; --json gives the data', async () => {
    const full = await st(['graph', 'ADVANCED_CIRCUITRY']);
    expect(full.code).to.equal(0);
    expect(full.stdout.split('\n')[0]).to.equal('ADVANCED_CIRCUITRY');
    expect(full.stdout).to.contain('└── EXPLOSIVES ↻ loop: EXPLOSIVES → LIQUID_HYDROGEN → MACHINERY → IRON → IRON_ORE → EXPLOSIVES');
    const cut = await st(['graph', 'ADVANCED_CIRCUITRY', '--buyable', 'SILICON_CRYSTALS,COPPER']);
    expect(cut.stdout).to.equal(
      ['ADVANCED_CIRCUITRY', '├── ELECTRONICS', '│   ├── SILICON_CRYSTALS [buy]', '│   └── COPPER [buy]', '└── MICROPROCESSORS', '    ├── SILICON_CRYSTALS [buy]', '    └── COPPER [buy]', ''].join('\n'),
    );
    const json = await st(['graph', 'MACHINERY', '--depth', '1', '--json']);
    expect(json.code).to.equal(0);
    const view = JSON.parse(json.stdout) as { good: string; edges: Array<{ good: string; input: string }>; nodes: Array<{ good: string }> };
    expect(view.good).to.equal('MACHINERY');
    expect(view.edges).to.deep.equal([{ good: 'MACHINERY', input: 'IRON' }]);
  });

  it('graph of an unknown good exits 4 with a suggestion, no stack trace', async () => {
    const { code, stderr } = await st(['graph', 'ADVANCED_CIRCUTRY']);
    expect(code).to.equal(4);
    expect(stderr).to.contain('did you mean "ADVANCED_CIRCUITRY"');
    noStack(stderr);
  });

  it('validate on a broken spec exits 4 with file:line:col on stderr, every problem, no stack trace', async () => {
    const spec = path.join(tmp, 'broken.yaml');
    fs.writeFileSync(spec, ['name: broken', 'target:', '  good: IRN', '  quantity: 10', 'policy:', '  mode: cheap', '  maxCredits: 1000', ''].join('\n'));
    const { code, stdout, stderr } = await st(['validate', spec]);
    expect(code).to.equal(4);
    expect(stdout).to.equal('');
    expect(stderr).to.contain(`${spec}:3:9: target.good names an unknown good "IRN" (did you mean "IRON"?)`);
    expect(stderr).to.contain(`${spec}:6:9: policy.mode must be one of prefer-buy, cheapest (got "cheap")`);
    noStack(stderr);

    const asJson = await st(['validate', spec, '--json']);
    expect(asJson.code).to.equal(4);
    const envelope = JSON.parse(asJson.stdout) as { status: number; error: { code: string; details: { issues: Array<{ line: number; col: number; path: string }> } } };
    expect(envelope.error.code).to.equal('INVALID_INPUT');
    expect(envelope.error.details.issues.map((i) => `${i.line}:${i.col} ${i.path}`)).to.deep.equal(['3:9 target.good', '6:9 policy.mode']);

    const syntax = path.join(tmp, 'syntax.yaml');
    fs.writeFileSync(syntax, 'name: x\ntarget: {good: IRON\n');
    const bad = await st(['validate', syntax]);
    expect(bad.code).to.equal(4);
    expect(bad.stderr).to.match(new RegExp(`${syntax.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: YAML syntax error`));
    noStack(bad.stderr);
  });

  it('validate on an example spec exits 0 and prints the normalised spec with its hash', async () => {
    const { code, stdout } = await st(['validate', 'plans/advanced-circuitry.yaml']);
    expect(code).to.equal(0);
    expect(stdout).to.match(/specHash: sha256:[0-9a-f]{64}/);
    expect(stdout).to.contain('productionTimeout: 2h');
  });

  it('supply-chain refresh fetches the map over HTTP with the token, writes it, reports changes, and graph reads it', async () => {
    // A small API stand-in on loopback that serves the live capture (the simulator is tested elsewhere).
    const body = fs.readFileSync('test/unit/supply-chain/fixtures/supply-chain.api.json', 'utf8');
    const seen: Array<{ url?: string; auth?: string }> = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      if (req.url === '/v2/market/supply-chain' && req.headers.authorization === 'Bearer tok-e2e-graph') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      } else {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 4100, message: 'no token' } }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
    try {
      const out = path.join(tmp, 'fetched.yaml');
      const env = { ST_TOKEN: 'tok-e2e-graph' };
      const first = await st(['supply-chain', 'refresh', '--base-url', baseUrl, '--out', out], env);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.contain('new file, 129 goods');
      expect(seen).to.deep.equal([{ url: '/v2/market/supply-chain', auth: 'Bearer tok-e2e-graph' }]);
      const text = fs.readFileSync(out, 'utf8');
      expect(text).to.contain(`# Source: GET ${baseUrl}/market/supply-chain`);
      expect(text).not.to.contain('tok-e2e-graph');
      // Same bytes as the bundled file apart from the header: same map, same order, duplicate kept.
      const strip = (t: string): string => t.split('\n').filter((l) => !l.startsWith('#')).join('\n');
      expect(strip(text)).to.equal(strip(fs.readFileSync('supply_chain.yaml', 'utf8')));

      const again = await st(['supply-chain', 'refresh', '--base-url', baseUrl, '--out', out, '--json'], env);
      const result = JSON.parse(again.stdout) as { written: boolean; goods: number; diff: { same: boolean } };
      expect(result).to.include({ written: false, goods: 129 });
      expect(result.diff.same).to.equal(true);

      fs.writeFileSync(out, text.replace('  IRON: [IRON_ORE]\n', '  IRON: [IRON_ORE, FUEL]\n').replace(/^ {2}FUEL: .*\n/m, ''));
      const changed = await st(['supply-chain', 'refresh', '--base-url', baseUrl, '--out', out], env);
      expect(changed.stdout).to.contain('1 added, 0 removed, 1 changed');
      expect(changed.stdout).to.contain('+ FUEL: [HYDROCARBON]');
      expect(changed.stdout).to.contain('~ IRON: [IRON_ORE, FUEL] → [IRON_ORE]');

      const graph = await st(['graph', 'IRON', '--depth', '1', '--json', '--supply-chain', out]);
      expect((JSON.parse(graph.stdout) as { supplyChain: { source: string } }).supplyChain.source).to.equal(out);

      const denied = await st(['supply-chain', 'refresh', '--base-url', baseUrl, '--out', out], { ST_TOKEN: 'wrong-token-e2e' });
      expect(denied.code).to.not.equal(0);
      expect(denied.stderr).not.to.contain('wrong-token-e2e');
      noStack(denied.stderr);
    } finally {
      server.close();
    }
  });

  it('supply-chain refresh against the simulator: the map it serves, written in its order, read back by supply-chain show', async () => {
    const sim = await withSim();
    try {
      const out = path.join(tmp, 'sim-supply-chain.yaml');
      const r = await st(['supply-chain', 'refresh', '--base-url', sim.baseUrl, '--out', out, '--json'], { ST_TOKEN: sim.token });
      expect(r.code, r.stderr).to.equal(0);
      const served = (await sim.api('GET', '/market/supply-chain')).body.data.exportToImportMap as Record<string, string[]>;
      const result = JSON.parse(r.stdout) as { written: boolean; goods: number };
      expect(result).to.include({ written: true, goods: Object.keys(served).length });
      const shown = await st(['supply-chain', 'show', '--json', '--supply-chain', out]);
      const goods = (JSON.parse(shown.stdout) as { goods: Array<{ good: string }> }).goods.map((g) => g.good);
      expect(goods).to.deep.equal(Object.keys(served));
      expect(fs.readFileSync(out, 'utf8')).not.to.contain(sim.token);
    } finally {
      await sim.close();
    }
  });
});
