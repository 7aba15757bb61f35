import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { applyPlan } from '../../../src/executor/apply.js';
import { rendererFor } from '../../../src/executor/progress.js';
import { Store } from '../../../src/state/store.js';
import { FakeGame } from './fake-game.js';
import { makePlan, task } from './plan-fixture.js';

/** Captures what is written to stderr while `fn` runs (the progress stream). */
async function stderrOf<T>(fn: () => Promise<T>): Promise<{ value: T; text: string }> {
  const write = process.stderr.write.bind(process.stderr);
  let text = '';
  (process.stderr as unknown as { write: unknown }).write = (chunk: string | Uint8Array): boolean => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  try {
    return { value: await fn(), text };
  } finally {
    (process.stderr as unknown as { write: unknown }).write = write;
  }
}

function world(): FakeGame {
  const g = new FakeGame('AGENT', 1_000_000);
  g.addWaypoint('X1-T-A', 0, 0);
  g.addWaypoint('X1-T-B', 30, 0);
  g.addGood('X1-T-A', 'ORE', 'EXPORT', 50, 20);
  g.addGood('X1-T-A', 'GEL', 'EXPORT', 80, 20);
  g.addGood('X1-T-A', 'FUEL', 'EXCHANGE', 72, 60);
  g.addGood('X1-T-B', 'ORE', 'IMPORT', 120, 20);
  g.addGood('X1-T-B', 'GEL', 'IMPORT', 160, 20);
  g.addGood('X1-T-B', 'FUEL', 'EXCHANGE', 72, 60);
  g.addShip('S-1', 'X1-T-A');
  g.addShip('S-2', 'X1-T-A');
  return g;
}

describe('executor: progress (listr2 lanes and subtasks)', function () {
  this.timeout(30_000);
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-progress-'));
    store = await Store.open(path.join(dir, 's.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('one subtask per plan task under its ship with units done/wanted; a lane whose task failed is ✖, never a green ✔', async () => {
    const g = world();
    const plan = makePlan({
      fleet: ['S-1', 'S-2'],
      target: { good: 'ORE', quantity: 40, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
      tasks: [
        task({ id: 'buy-ORE', good: 'ORE', quantity: 40, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } }),
        // GEL asks 80 at A: this guard fails the task.
        task({ id: 'buy-GEL', good: 'GEL', quantity: 20, ship: 'S-2', guards: { maxUnitPrice: 10, minSellPrice: 0 }, source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } }),
      ],
    });
    const { value: out, text } = await stderrOf(() => applyPlan({ plan, client: g, store, clock: g.clock(), renderer: 'simple' }));
    expect(out.status).to.equal('partial');
    const lines = text.split('\n');
    expect(lines.some((l) => /✔ buy-ORE: 40\/40 ORE delivered/.test(l)), text).to.equal(true);
    expect(lines.some((l) => /✖ .*buy-GEL: price guard/.test(l)), text).to.equal(true);
    // The lane S-2 (parent) is not green.
    expect(lines.some((l) => /✔ S-2$/.test(l.trim())), text).to.equal(false);
    expect(lines.some((l) => /S-2: 1 of its 1 task\(s\) did not complete/.test(l)), text).to.equal(true);
    expect(lines.some((l) => /✔ S-1$/.test(l.trim())), text).to.equal(true);
  });

  it('an interrupted run shows its lanes and tasks as not done (no ✔ for them)', async () => {
    const g = world();
    const plan = makePlan({
      fleet: ['S-1'],
      target: { good: 'ORE', quantity: 40, deliver: { kind: 'sell', waypoint: 'X1-T-B' } },
      tasks: [task({ id: 'buy-ORE', good: 'ORE', quantity: 40, ship: 'S-1', source: { kind: 'market', waypoint: 'X1-T-A' }, destination: { kind: 'sell', waypoint: 'X1-T-B' } })],
    });
    const controller = new AbortController();
    controller.abort();
    const { value: out, text } = await stderrOf(() => applyPlan({ plan, client: g, store, clock: g.clock(), renderer: 'simple', signal: controller.signal }));
    expect(out.status).to.equal('interrupted');
    expect(text).to.not.match(/✔/);
    expect(text).to.match(/interrupted/);
  });

  it('the renderer is chosen from the stream it draws on (stderr), not from stdout', () => {
    expect(rendererFor('default', { isTTY: true })).to.not.equal('simple');
    expect(rendererFor('default', { isTTY: false })).to.equal('simple');
    expect(rendererFor('silent', { isTTY: true })).to.equal('silent');
  });
});
