import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { UserError } from '../../../src/cli/errors.js';
import { loadSupplyChain } from '../../../src/supply-chain/load.js';
import { readSavedSupplyChainJson, refreshSupplyChainFile } from '../../../src/supply-chain/refresh.js';
import { liveApiBody } from './fixtures.js';

describe('supply chain: refresh', () => {
  const live = liveApiBody().data.exportToImportMap;
  const origin = { source: 'test', fetchedAt: '2026-01-01' };
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-refresh-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes a new file, leaves an identical one alone, rewrites and reports a changed one', () => {
    const out = path.join(tmp, 'sc.yaml');
    const first = refreshSupplyChainFile(out, live, origin);
    expect(first).to.include({ written: true, previousMissing: true, goods: 129 });
    const mtime = fs.statSync(out).mtimeMs;

    const second = refreshSupplyChainFile(out, live, { source: 'test', fetchedAt: '2026-02-02' });
    expect(second).to.include({ written: false, previousMissing: false });
    expect(second.diff.same).to.equal(true);
    expect(fs.readFileSync(out, 'utf8')).to.contain('Fetched: 2026-01-01');
    expect(fs.statSync(out).mtimeMs).to.equal(mtime);

    const next = { ...live, NEW_GOOD: ['IRON'], IRON: ['IRON_ORE', 'FUEL'] };
    delete (next as Record<string, string[]>).FUEL;
    const third = refreshSupplyChainFile(out, next, origin);
    expect(third.written).to.equal(true);
    expect(third.diff).to.deep.equal({ added: ['NEW_GOOD'], removed: ['FUEL'], changed: [{ good: 'IRON', before: ['IRON_ORE'], after: ['IRON_ORE', 'FUEL'] }], same: false });
    expect(third.previousHash).to.equal(first.hash);
    expect(loadSupplyChain(out, {}).map.NEW_GOOD).to.deep.equal(['IRON']);

    expect(refreshSupplyChainFile(out, next, { source: 'forced', fetchedAt: 'now' }, true).written).to.equal(true);
    expect(fs.readFileSync(out, 'utf8')).to.contain('Source: forced');
  });

  it('an unreadable previous file is replaced', () => {
    const out = path.join(tmp, 'sc.yaml');
    fs.writeFileSync(out, 'not: [valid');
    expect(refreshSupplyChainFile(out, live, origin)).to.include({ written: true, previousMissing: true });
  });

  it('reads a saved API response in any of its three shapes, and refuses anything else', () => {
    const file = path.join(tmp, 'r.json');
    for (const shape of [{ data: { exportToImportMap: live } }, { exportToImportMap: live }, live]) {
      fs.writeFileSync(file, JSON.stringify(shape));
      expect(JSON.stringify(readSavedSupplyChainJson(file))).to.equal(JSON.stringify(live));
    }
    for (const bad of ['{', '[]', '{"data": {"exportToImportMap": {"IRON": "IRON_ORE"}}}', '{}']) {
      fs.writeFileSync(file, bad);
      expect(() => readSavedSupplyChainJson(file), bad).to.throw(UserError);
    }
  });
});
