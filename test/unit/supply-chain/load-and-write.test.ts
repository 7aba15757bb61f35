import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { loadSupplyChain, parseSupplyChain, resolveSupplyChainPath, SUPPLY_CHAIN_ENV, userSupplyChainPath } from '../../../src/supply-chain/load.js';
import { bundledSupplyChainPath } from '../../../src/supply-chain/paths.js';
import { diffSupplyChains, renderSupplyChainYaml, writeSupplyChainFile } from '../../../src/supply-chain/writer.js';
import { liveApiBody } from './fixtures.js';
import { caught } from '../../helpers/user-error.js';

const origin = { source: 'test', fetchedAt: '2026-01-01T00:00:00Z' };

describe('supply chain: supply_chain.yaml, loading and writing', () => {
  const live = liveApiBody().data.exportToImportMap;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-sc-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the bundled supply_chain.yaml holds the live map: 129 goods, in the API order, duplicate MERITIUM kept', () => {
    const sc = loadSupplyChain(undefined, {});
    expect(sc.source).to.equal(bundledSupplyChainPath());
    expect(Object.keys(sc.map)).to.have.length(129);
    expect(JSON.stringify(sc.map)).to.equal(JSON.stringify(live));
    expect(sc.map.MODULE_WARP_DRIVE_III).to.deep.equal(['PLATINUM', 'ADVANCED_CIRCUITRY', 'MERITIUM', 'MERITIUM']);
    const text = fs.readFileSync(sc.source, 'utf8');
    expect(text).to.match(/^# .*supply chain/i);
    expect(text).to.match(/Source: .*market\/supply-chain/);
    expect(text).to.match(/- MERITIUM # duplicate: a quirk of the live API response/);
  });

  it('the bundled file is exactly what the writer produces from the live API body (regenerable byte for byte)', () => {
    const text = fs.readFileSync(bundledSupplyChainPath(), 'utf8');
    const header = text.split('\n').filter((l) => l.startsWith('#'));
    const source = header.find((l) => l.startsWith('# Source: '))?.slice('# Source: '.length) ?? '';
    const fetchedAt = header.find((l) => l.startsWith('# Fetched: '))?.slice('# Fetched: '.length) ?? '';
    const note = header.slice(header.findIndex((l) => l.startsWith('# Fetched: ')) + 1, header.findIndex((l) => l.startsWith('# Written by the supply-chain writer'))).map((l) => l.slice(2)).join('\n');
    expect(renderSupplyChainYaml(live, { source, fetchedAt, note })).to.equal(text);
  });

  it('round-trips a map through the writer byte-exactly: same keys, same order, duplicates kept', () => {
    const file = path.join(tmp, 'sc.yaml');
    writeSupplyChainFile(file, live, origin);
    const back = loadSupplyChain(file, {}).map;
    expect(JSON.stringify(back)).to.equal(JSON.stringify(live));
    expect(renderSupplyChainYaml(back, origin)).to.equal(fs.readFileSync(file, 'utf8'));
    // Flow style for ordinary lists, one line per good.
    expect(fs.readFileSync(file, 'utf8')).to.contain('\n  IRON: [IRON_ORE]\n');
  });

  it('the hash is stable: same content gives the same hash whatever the key order or comments; a change changes it', () => {
    const a = loadSupplyChain(undefined, {});
    const reversed = Object.fromEntries(Object.entries(live).reverse());
    const file = path.join(tmp, 'rev.yaml');
    writeSupplyChainFile(file, reversed, { source: 'elsewhere', fetchedAt: 'another day' });
    const b = loadSupplyChain(file, {});
    expect(b.hash).to.equal(a.hash).and.to.match(/^sha256:[0-9a-f]{64}$/);
    writeSupplyChainFile(file, { ...live, IRON: ['IRON_ORE', 'MACHINERY'] }, origin);
    expect(loadSupplyChain(file, {}).hash).not.to.equal(a.hash);
    // Pinned: the bundled map's hash is part of every plan (supplyChainHash); it changes only with the map.
    expect(a.hash).to.equal('sha256:041df9c8c08693f0e940af675dcf2bebf317dff1590dceb17785a768d37518d8');
  });

  it('resolution: --supply-chain flag > ST_GOODS_SUPPLY_CHAIN > the bundled file (not the cwd)', () => {
    expect(resolveSupplyChainPath('x.yaml', { [SUPPLY_CHAIN_ENV]: '/e.yaml' })).to.equal(path.resolve('x.yaml'));
    expect(resolveSupplyChainPath(undefined, { [SUPPLY_CHAIN_ENV]: '/e.yaml' })).to.equal('/e.yaml');
    expect(resolveSupplyChainPath(undefined, {})).to.equal(bundledSupplyChainPath());
    const cwd = process.cwd();
    try {
      process.chdir(tmp);
      expect(loadSupplyChain(undefined, {}).source).to.equal(bundledSupplyChainPath());
    } finally {
      process.chdir(cwd);
    }
    const file = path.join(tmp, 'env.yaml');
    writeSupplyChainFile(file, { IRON: ['IRON_ORE'] }, origin);
    expect(Object.keys(loadSupplyChain(undefined, { [SUPPLY_CHAIN_ENV]: file }).map)).to.deep.equal(['IRON']);
  });

  it('a refreshed copy in the config dir comes after ST_GOODS_SUPPLY_CHAIN and before the bundled file', () => {
    const env = { ST_GOODS_CONFIG_DIR: path.join(tmp, 'config') };
    expect(resolveSupplyChainPath(undefined, env)).to.equal(bundledSupplyChainPath());
    writeSupplyChainFile(userSupplyChainPath(env), { IRON: ['IRON_ORE'] }, origin);
    expect(userSupplyChainPath(env)).to.equal(path.join(tmp, 'config', 'supply_chain.yaml'));
    expect(Object.keys(loadSupplyChain(undefined, env).map)).to.deep.equal(['IRON']);
    expect(resolveSupplyChainPath(undefined, { ...env, [SUPPLY_CHAIN_ENV]: '/e.yaml' })).to.equal('/e.yaml');
  });

  it('a missing file is INVALID_INPUT naming the path and where it came from', () => {
    const e = caught(() => loadSupplyChain(undefined, { [SUPPLY_CHAIN_ENV]: path.join(tmp, 'nope.yaml') }));
    expect(e.exitCode).to.equal(ExitCode.INVALID_INPUT);
    expect(e.message).to.contain('nope.yaml').and.contain(SUPPLY_CHAIN_ENV).and.contain('ENOENT');
  });

  it('bad YAML and schema violations are INVALID_INPUT with file:line:column', () => {
    const syntax = caught(() => parseSupplyChain('exportToImportMap:\n  IRON: [IRON_ORE\n', 'sc.yaml'));
    expect(syntax.code).to.equal('INVALID_INPUT');
    expect(syntax.message).to.match(/sc\.yaml:\d+:\d+: YAML syntax error/);

    const schema = caught(() => parseSupplyChain('exportToImportMap:\n  IRON: IRON_ORE\n  copper: [COPPER_ORE]\n  FUEL: [hydrocarbon]\nextra: 1\n', 'sc.yaml'));
    expect(schema.message).to.contain('sc.yaml:2:9: exportToImportMap.IRON must be a list (got "IRON_ORE")');
    expect(schema.message).to.contain('sc.yaml:3:3: the key "copper" in exportToImportMap must be a trade symbol in capitals');
    expect(schema.message).to.contain('sc.yaml:4:10: exportToImportMap.FUEL[0] must be a trade symbol in capitals');
    expect(schema.message).to.match(/sc\.yaml:5:1: extra is not a known field/);
    expect(schema.message).to.contain('(4 problems)');
  });

  it('diffSupplyChains names goods added, removed and changed', () => {
    const before = { A: ['X'], B: ['Y'], C: ['Z'] };
    const after = { A: ['X'], C: ['Z', 'Y'], D: [] };
    expect(diffSupplyChains(before, after)).to.deep.equal({
      added: ['D'],
      removed: ['B'],
      changed: [{ good: 'C', before: ['Z'], after: ['Z', 'Y'] }],
      same: false,
    });
    expect(diffSupplyChains(live, { ...live }).same).to.equal(true);
  });
});
