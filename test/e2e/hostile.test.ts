/**
 * Issue 8's remaining holes, each as a hostile user met it: the real binary against the simulator
 * over HTTP. Edited plan times, `stop` across agents, SIGHUP, a prompt at EOF, a server wipe
 * mid-apply, oversized / FIFO specs and unwritable --out targets, a 429 storm.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { AgentLock } from '../../src/state/lock.js';
import { Store } from '../../src/state/store.js';
import { withSim } from '../helpers/sim.js';
import { circuitryPlan, cli, e2eWorld, holdsOf, ironSpec, startCli, waitFor, writeCheckedPlan } from './apply-helpers.js';

describe('e2e: hostile inputs and signals (issue 8 items 5, 7-11)', function () {
  this.timeout(240_000);

  it('an edited expiresAt or createdAt is refused (the seal covers every field apply acts on); nothing is bought', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      const spec = ironSpec(w, 20);
      const planFile = path.join(w.dir, 'iron.plan.yaml');
      expect((await cli(['plan', spec, '--out', planFile, '--expires-in', '1s'], w.env)).code).to.equal(0);
      await new Promise((r) => setTimeout(r, 1500));
      const text = fs.readFileSync(planFile, 'utf8');
      const expired = await cli(['apply', planFile], w.env);
      expect(expired.code).to.equal(ExitCode.STALE_PLAN);
      const credits = (await w.client.getAgent()).credits;
      fs.writeFileSync(planFile, text.replace(/^expiresAt: .*$/m, "expiresAt: '2099-01-01T00:00:00.000Z'"));
      const edited = await cli(['apply', planFile], w.env);
      expect(edited.code, edited.stderr).to.equal(ExitCode.INVALID_INPUT);
      expect(edited.stderr).to.match(/modified after it was written/).and.match(/expiresAt/);
      fs.writeFileSync(planFile, text.replace(/^createdAt: .*$/m, "createdAt: '2099-01-01T00:00:00.000Z'"));
      const created = await cli(['apply', planFile], w.env);
      expect(created.code, created.stderr).to.equal(ExitCode.INVALID_INPUT);
      expect((await w.client.getAgent()).credits).to.equal(credits);
    } finally {
      await w.close();
    }
  });

  it("`stop` without RUN stops the token's agent's run, never another agent's run in the same store", async () => {
    // A slow game clock (20x): the run lasts far longer than two CLI starts (measured on 2 busy
    // cores: 6.5 s at 2000x, where it once finished before `stop` and exited 0; 23 s at 50x).
    const w = await e2eWorld({ timeScale: 20 });
    try {
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), await circuitryPlan(w));
      w.sim.sim.setFaults('latency=60-90,seed=5');
      const log = path.join(w.dir, 'events.ndjson');
      const applying = startCli(['apply', file, '--log-json', log], w.env);
      await waitFor(log, '"type":"run.start"');
      const other = await w.sim.register();
      const stopOther = await cli(['stop'], { ...w.env, ST_TOKEN: other.token });
      expect(stopOther.code, stopOther.stderr).to.equal(ExitCode.INVALID_INPUT);
      expect(stopOther.stderr).to.contain(`no apply run of agent ${other.agentSymbol}`);
      const stop = await cli(['stop'], w.env);
      expect(stop.code, stop.stderr).to.equal(0);
      expect((await applying.done).code).to.equal(ExitCode.INTERRUPTED);
    } finally {
      await w.close();
    }
  });

  it('SIGHUP is handled as SIGTERM: the call in flight is journaled, the lock released, exit 130', async () => {
    const w = await e2eWorld();
    try {
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), await circuitryPlan(w));
      w.sim.sim.setFaults('latency=20-40,seed=6');
      const log = path.join(w.dir, 'events.ndjson');
      const { child, done } = startCli(['apply', file, '--log-json', log], w.env);
      await waitFor(log, '"type":"result"');
      child.kill('SIGHUP');
      const r = await done;
      expect(r.code, r.stderr).to.equal(ExitCode.INTERRUPTED);
      const store = await Store.open(w.store);
      expect(await AgentLock.read(store, w.sim.agentSymbol)).to.equal(undefined);
      await store.close();
    } finally {
      await w.close();
    }
  });

  it('the approval prompt on a terminal whose input is at EOF: a usage error (exit 2) with a message, not a silent exit 13', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      // A terminal on stdout (a pty from script(1)), stdin at EOF before the answer.
      const spec = ironSpec(w, 10);
      const env = { ...w.env };
      delete env.CI;
      // Asynchronously: the simulator answers from this process's event loop.
      const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn('script', ['-qec', `${process.execPath} bin/run.js apply ${spec} < /dev/null`, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (d) => (text += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
        child.on('close', (c) => {
          clearTimeout(timer);
          resolve({ code: c, out: text });
        });
      });
      expect(code, out).to.equal(ExitCode.USAGE);
      expect(out).to.match(/Apply this plan\?/).and.match(/input ended \(EOF\)/).and.match(/--auto-approve/);
    } finally {
      await w.close();
    }
  });

  it('a server wipe during apply ends it with exit 3 and the reason, not 10 (partial)', async () => {
    const w = await e2eWorld();
    try {
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), await circuitryPlan(w));
      w.sim.sim.setFaults('latency=40-60,seed=7');
      const log = path.join(w.dir, 'events.ndjson');
      const applying = startCli(['apply', file, '--log-json', log], w.env);
      await waitFor(log, '"type":"result"');
      // The server is wiped: a new universe on the same address; the old token means nothing there.
      const port = new URL(w.sim.baseUrl).port;
      await w.sim.close();
      const fresh = await withSim({ port: Number(port), world: path.resolve('worlds/X1-AD75.json'), timeScale: 2000, seed: 99, agent: false });
      try {
        const r = await applying.done;
        expect(r.code, r.stderr + r.stdout).to.equal(ExitCode.AUTH);
        expect(r.stdout + r.stderr).to.match(/rejected the (agent )?token/).and.match(/server reset/).and.not.match(/Re-run to resume/);
      } finally {
        await fresh.close();
      }
    } finally {
      await w.close();
    }
  });

  it('a huge spec, a FIFO spec, and --out at a directory, a symlink loop or /dev/full: user errors (exit 4), no hang, no stack', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      const huge = path.join(w.dir, 'huge.yaml');
      fs.writeFileSync(huge, `name: x\ntarget: {good: IRON, quantity: 1}\npolicy: {maxCredits: 1000, make: [${Array(500_000).fill('IRON').join(',')}]}\n`);
      const h = await cli(['validate', huge], w.env);
      expect(h.code, h.stderr).to.equal(ExitCode.INVALID_INPUT);
      expect(h.stderr).to.match(/KiB st-goods reads/);
      const fifo = path.join(w.dir, 'spec.fifo');
      execFileSync('mkfifo', [fifo]);
      for (const cmd of [['validate', fifo], ['plan', fifo], ['apply', fifo]]) {
        const f = await cli(cmd, w.env);
        expect(f.code, `${cmd[0]}: ${f.stderr}`).to.equal(ExitCode.INVALID_INPUT);
        expect(f.stderr).to.contain('not a regular file');
      }
      const spec = ironSpec(w, 10);
      const loop = path.join(w.dir, 'loop.yaml');
      fs.symlinkSync(loop, loop);
      for (const out of [w.dir, loop, '/dev/full']) {
        const r = await cli(['plan', spec, '--out', out], w.env);
        expect(r.code, `${out}: ${r.stderr}`).to.equal(ExitCode.INVALID_INPUT);
        expect(r.stderr).to.contain('Cannot write the plan file').and.not.match(/internal error|\n\s+at /);
      }
    } finally {
      await w.close();
    }
  });

  it('a 429 storm longer than the old 8-attempt bound is waited out (the server says when): the apply completes', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      const spec = ironSpec(w, 40);
      const planFile = path.join(w.dir, 'iron.plan.yaml');
      expect((await cli(['plan', spec, '--out', planFile], w.env)).code).to.equal(0);
      // Every request starts a storm of 10 429s (retry-after 1 s) with probability 0.3, seeded.
      w.sim.sim.setFaults('429=0.3,storm=10,seed=4');
      const r = await cli(['apply', planFile, '--json'], w.env);
      w.sim.sim.setFaults('off');
      expect(r.code, r.stderr + r.stdout.slice(0, 500)).to.equal(0);
      const out = JSON.parse(r.stdout);
      expect(out.api.rateLimited).to.be.at.least(10);
      expect(await holdsOf(w, 'IRON')).to.equal(40);
    } finally {
      await w.close();
    }
  });
});
