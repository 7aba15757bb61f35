/**
 * The short crash suite (issue 8): the real binary against the simulator over HTTP, killed with
 * SIGKILL where users met the holes: the cron form (`apply SPEC --auto-approve`), two applies of
 * one plan, a store deleted, damaged or read-only, a kill while `plan --out` writes. The long
 * version is `npm run crash-torture` (scripts/crash-torture.ts).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { Journal } from '../../src/state/journal.js';
import { Store } from '../../src/state/store.js';
import { BIN, cli, e2eWorld, ironSpec, killAfter, holdsOf, type E2EWorld } from './apply-helpers.js';

/** Runs of the world's agent in its store. */
async function runsOf(w: E2EWorld) {
  const store = await Store.open(w.store);
  try {
    return (await new Journal(store).runs()).filter((r) => r.agentSymbol === w.sim.agentSymbol);
  } finally {
    await store.close();
  }
}

describe('e2e crash suite: kill -9 where users run st-goods (cron form, two applies, lost store, plan --out)', function () {
  this.timeout(240_000);

  it('cron form: `apply SPEC --auto-approve` killed after a purchase and re-run resumes the same run: the target exactly, nothing stranded', async () => {
    const w = await e2eWorld({ haulers: 2 });
    try {
      const spec = ironSpec(w, 60);
      const before = (await w.client.getAgent()).credits;
      const log = path.join(w.dir, 'events.ndjson');
      const killed = await killAfter(['apply', spec, '--auto-approve', '--log-json', log], w.env, log, '"type":"result"');
      expect(killed.signal).to.equal('SIGKILL');
      const again = await cli(['apply', spec, '--auto-approve', '--log-json', log], w.env);
      expect(again.code, again.stderr).to.equal(0);
      expect(fs.readFileSync(log, 'utf8')).to.match(/"type":"run.resume".*unfinished run of spec iron-crash/);
      expect(await holdsOf(w, 'IRON')).to.equal(60);
      const runs = await runsOf(w);
      expect(runs.map((r) => r.status)).to.deep.equal(['completed']);
      // Credits moved = what the one run journaled.
      const after = (await w.client.getAgent()).credits;
      const s = JSON.parse((await cli(['status', '--json'], w.env)).stdout);
      expect(before - after).to.equal(s.credits.spent);
      // Re-run once more (cron keeps firing): a completed run is not resumed; a new plan is made.
      const third = await cli(['apply', spec, '--auto-approve', '--json'], w.env);
      expect(third.code, third.stderr).to.be.oneOf([0, ExitCode.DECISION_NEEDED, ExitCode.INFEASIBLE]);
    } finally {
      await w.close();
    }
  });

  it('cron form with a changed spec and an unfinished run: stops with exit 12 naming the choices, buys nothing; --replan abandons the old run', async () => {
    const w = await e2eWorld({ haulers: 2 });
    try {
      const spec = ironSpec(w, 60);
      const log = path.join(w.dir, 'events.ndjson');
      await killAfter(['apply', spec, '--auto-approve', '--log-json', log], w.env, log, '"type":"result"');
      fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('quantity: 60', 'quantity: 90'));
      const credits = (await w.client.getAgent()).credits;
      const r = await cli(['apply', spec, '--auto-approve'], w.env);
      expect(r.code, r.stderr).to.equal(ExitCode.DECISION_NEEDED);
      expect(r.stderr).to.match(/did not finish/).and.match(/--replan/).and.match(/put the spec back/);
      expect(r.stderr).to.not.match(/\n\s+at /);
      expect((await w.client.getAgent()).credits).to.equal(credits);
      // --replan abandons the old run and plans the changed spec (how the new plan fits the cargo
      // already aboard is the planner's business: it may end partial when a hold is full).
      const replanned = await cli(['apply', spec, '--auto-approve', '--replan', '--adopt'], w.env);
      expect(replanned.code, replanned.stderr).to.be.oneOf([0, ExitCode.PARTIAL]);
      const runs = await runsOf(w);
      expect(runs).to.have.length(2);
      expect(runs.filter((x) => x.status === 'failed')).to.have.length(1);
      expect(runs.find((x) => x.status === 'failed')!.message).to.contain('--replan');
    } finally {
      await w.close();
    }
  });

  it('two applies of one plan on one store: the second waits for the lock, then finds the plan complete (40 IRON, not 80)', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      const spec = ironSpec(w, 40);
      const planFile = path.join(w.dir, 'iron.plan.yaml');
      const planned = await cli(['plan', spec, '--out', planFile], w.env);
      expect(planned.code, planned.stderr).to.equal(0);
      w.sim.sim.setFaults('latency=40-60,seed=9');
      const log = path.join(w.dir, 'events.ndjson');
      const { startCli } = await import('./apply-helpers.js');
      const first = startCli(['apply', planFile, '--log-json', log], w.env);
      const { waitFor } = await import('./apply-helpers.js');
      await waitFor(log, '"type":"run.start"');
      const second = await cli(['apply', planFile, '--lock-timeout', '120s', '--json'], w.env);
      const a = await first.done;
      expect(a.code, a.stderr).to.equal(0);
      expect(second.code, second.stderr).to.equal(0);
      expect(JSON.parse(second.stdout).status).to.equal('already-complete');
      w.sim.sim.setFaults('off');
      expect(await holdsOf(w, 'IRON')).to.equal(40);
    } finally {
      await w.close();
    }
  });

  it('a store deleted after purchases: the re-run refuses (exit 12) naming the cargo and trades it found, buys nothing; --adopt takes over', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      const spec = ironSpec(w, 40);
      const planFile = path.join(w.dir, 'iron.plan.yaml');
      expect((await cli(['plan', spec, '--out', planFile], w.env)).code).to.equal(0);
      const log = path.join(w.dir, 'events.ndjson');
      await killAfter(['apply', planFile, '--log-json', log], w.env, log, '"type":"result"');
      for (const f of [w.store, `${w.store}-wal`, `${w.store}-shm`]) fs.rmSync(f, { force: true });
      const credits = (await w.client.getAgent()).credits;
      const r = await cli(['apply', planFile], w.env);
      expect(r.code, r.stderr).to.equal(ExitCode.DECISION_NEEDED);
      expect(r.stderr).to.match(/IRON aboard/).and.match(/a purchase of \d+ IRON/).and.match(/--adopt/).and.contain(w.store);
      expect((await w.client.getAgent()).credits).to.equal(credits);
      const held = await holdsOf(w, 'IRON');
      const adopted = await cli(['apply', planFile, '--adopt'], w.env);
      expect(adopted.code, adopted.stderr).to.equal(0);
      expect(await holdsOf(w, 'IRON')).to.be.at.least(held);
    } finally {
      await w.close();
    }
  });

  it('a spec re-run from cron after its store was deleted refuses too (the new plan is not a way around the check)', async () => {
    const w = await e2eWorld({ haulers: 2 });
    try {
      const spec = ironSpec(w, 120);
      const log = path.join(w.dir, 'events.ndjson');
      await killAfter(['apply', spec, '--auto-approve', '--log-json', log], w.env, log, '"type":"result"');
      for (const f of [w.store, `${w.store}-wal`, `${w.store}-shm`]) fs.rmSync(f, { force: true });
      const credits = (await w.client.getAgent()).credits;
      const r = await cli(['apply', spec, '--auto-approve'], w.env);
      expect(r.code, r.stderr).to.equal(ExitCode.DECISION_NEEDED);
      expect(r.stderr).to.match(/a purchase of \d+ IRON/);
      expect((await w.client.getAgent()).credits).to.equal(credits);
    } finally {
      await w.close();
    }
  });

  it('a truncated or garbage store, a store that is a directory, a parent that is a file: user errors naming the path (exit 4), never "internal error"', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      const spec = ironSpec(w, 20);
      const planFile = path.join(w.dir, 'iron.plan.yaml');
      expect((await cli(['plan', spec, '--out', planFile], w.env)).code).to.equal(0);
      const size = fs.statSync(w.store).size;
      fs.truncateSync(w.store, Math.floor(size / 2));
      fs.rmSync(`${w.store}-wal`, { force: true });
      const truncated = await cli(['apply', planFile], w.env);
      expect(truncated.code, truncated.stderr).to.equal(ExitCode.INVALID_INPUT);
      expect(truncated.stderr).to.contain(w.store).and.match(/damaged|not an SQLite/).and.contain('mv ');
      fs.writeFileSync(w.store, 'this is not a database '.repeat(300));
      for (const cmd of [['apply', planFile], ['status'], ['plan', spec, '--out', planFile]]) {
        const r = await cli(cmd, w.env);
        expect(r.code, `${cmd[0]}: ${r.stderr}`).to.equal(ExitCode.INVALID_INPUT);
        expect(r.stderr).to.contain(w.store).and.not.match(/internal error|This is a bug/);
      }
      const dirStore = path.join(w.dir, 'adir');
      fs.mkdirSync(dirStore);
      const d = await cli(['status', '--store', dirStore], w.env);
      expect(d.code, d.stderr).to.equal(ExitCode.INVALID_INPUT);
      expect(d.stderr).to.contain(dirStore).and.contain('is a directory');
      const fileParent = path.join(w.dir, 'afile');
      fs.writeFileSync(fileParent, 'x');
      const p = await cli(['status', '--store', path.join(fileParent, 'store.sqlite')], w.env);
      expect(p.code, p.stderr).to.equal(ExitCode.INVALID_INPUT);
      expect(p.stderr).to.contain('parent that is a file');
    } finally {
      await w.close();
    }
  });

  it('a read-only store (the file and its folder): apply, status and stop are user errors naming the path (exit 4), nothing bought', async () => {
    const w = await e2eWorld({ haulers: 1 });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'st-ro-home-'));
    try {
      const spec = ironSpec(w, 20);
      const planFile = path.join(w.dir, 'iron.plan.yaml');
      expect((await cli(['plan', spec, '--out', planFile], w.env)).code).to.equal(0);
      for (const f of fs.readdirSync(w.dir)) fs.chmodSync(path.join(w.dir, f), 0o444);
      fs.chmodSync(w.dir, 0o555);
      // Root writes through file modes: then the CLI runs as nobody (setpriv), for whom they hold.
      const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
      fs.chmodSync(home, 0o777);
      const env = { ...w.env, HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home, XDG_CONFIG_HOME: home };
      const credits = (await w.client.getAgent()).credits;
      for (const args of [['apply', planFile, '--auto-approve'], ['status'], ['stop']]) {
        // Not spawnSync: the simulator serves from this process.
        const child = spawn(asUser[0]!, [...asUser.slice(1), BIN, ...args], { env, cwd: home, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', (d) => (stderr += d));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        expect(code, `${args[0]}: ${stderr}`).to.equal(ExitCode.INVALID_INPUT);
        expect(stderr).to.contain(w.store).and.match(/read-only|not accessible|may not write/).and.not.match(/internal error|This is a bug|\n\s+at /);
      }
      expect((await w.client.getAgent()).credits).to.equal(credits);
    } finally {
      fs.chmodSync(w.dir, 0o755);
      fs.rmSync(home, { recursive: true, force: true });
      await w.close();
    }
  });

  it('kill -9 while `plan --out` writes: the reviewed plan stays whole; an empty plan file is named as such', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      const spec = ironSpec(w, 20);
      const planFile = path.join(w.dir, 'iron.plan.yaml');
      expect((await cli(['plan', spec, '--out', planFile], w.env)).code).to.equal(0);
      const reviewed = fs.readFileSync(planFile, 'utf8');
      const killed = await cli(['plan', spec, '--out', planFile], { ...w.env, ST_GOODS_FAILPOINT: 'plan-write' });
      expect(killed.signal).to.equal('SIGKILL');
      expect(fs.readFileSync(planFile, 'utf8')).to.equal(reviewed);
      const ok = await cli(['show', planFile], w.env);
      expect(ok.code, ok.stderr).to.equal(0);
      fs.writeFileSync(planFile, '');
      const empty = await cli(['apply', planFile], w.env);
      expect(empty.code).to.equal(ExitCode.INVALID_INPUT);
      expect(empty.stderr).to.match(/is empty/).and.match(/truncated/).and.not.match(/empty production spec/);
    } finally {
      await w.close();
    }
  });
});
