import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../src/state/store.js';
import { Journal } from '../../../src/state/journal.js';

describe('state/journal', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-journal-'));
    store = await Store.open(path.join(dir, 's.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps steps in order and finds the last sequence number after reopening', async () => {
    const j = new Journal(store);
    for (let i = 1; i <= 12; i++) await j.appendStep({ seq: i, runId: 'r1', ship: 'S', kind: 'k', at: new Date().toISOString() });
    await j.appendStep({ seq: 1, runId: 'r2', ship: 'S', kind: 'other', at: new Date().toISOString() });
    await store.close();
    store = await Store.open(path.join(dir, 's.sqlite'));
    const j2 = new Journal(store);
    expect(await j2.lastStepSeq('r1')).to.equal(12);
    expect((await j2.steps('r1')).map((s) => s.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await j2.lastStepSeq('none')).to.equal(0);
  });

  it('bumps the generation atomically under concurrency', async () => {
    const j = new Journal(store);
    await Promise.all(Array.from({ length: 10 }, () => j.bumpGeneration('A')));
    expect(await j.generation('A')).to.equal(10);
    expect(await j.generation('B')).to.equal(0);
  });

  it('records and clears a stop request', async () => {
    const j = new Journal(store);
    expect(await j.stopRequested('r')).to.equal(false);
    await j.requestStop('r');
    expect(await j.stopRequested('r')).to.equal(true);
    await j.clearStop('r');
    expect(await j.stopRequested('r')).to.equal(false);
  });
});
