import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { envelope } from '../../src/plan/file.js';
import { Store } from '../../src/state/store.js';
import { circuitryPlan, cli, crashLoop, e2eWorld, startCli, verifyFinished, writeCheckedPlan, type E2EWorld } from './apply-helpers.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;

function validator(schemaFile: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
}

/** Waits until `file` contains `text` (bounded). */
async function waitFor(file: string, text: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(text)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${text} in ${file}`);
}

async function checkFinished(w: E2EWorld, planId: string, creditsBefore: number): Promise<void> {
  expect(await verifyFinished(w, planId, creditsBefore)).to.deep.equal([]);
}

describe('e2e: st-goods apply, status, stop, unlock (the real binary against the simulator)', function () {
  this.timeout(180_000);

  it('applies a three-level plan with 3 ships; status --json reads the journal; NDJSON events match the schema; a re-run is "already complete"', async () => {
    const w = await e2eWorld();
    try {
      const plan = await circuitryPlan(w);
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), plan);
      const before = (await w.client.getAgent()).credits;
      const log = path.join(w.dir, 'events.ndjson');
      const r = await cli(['apply', file, '--log-json', log], w.env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('completed');
      await checkFinished(w, plan.planId, before);
      const events = validator('schemas/events.schema.json');
      const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
      expect(lines.length).to.be.greaterThan(20);
      for (const l of lines) expect(events(JSON.parse(l)), JSON.stringify(events.errors)).to.equal(true);
      expect(fs.readFileSync(log, 'utf8')).to.not.contain(w.sim.token);
      const s = await cli(['status', '--json'], w.env);
      expect(s.code, s.stderr).to.equal(0);
      const report = JSON.parse(s.stdout);
      expect(validator('schemas/status.schema.json')(report)).to.equal(true);
      expect(report.status).to.equal('completed');
      expect(report.tree.state).to.equal('COMPLETED');
      const text = await cli(['status'], w.env);
      expect(text.stdout).to.match(/ADVANCED_CIRCUITRY \[MAKE\] ✅ COMPLETED/);
      const again = await cli(['apply', file, '--json'], w.env);
      expect(again.code).to.equal(0);
      expect(JSON.parse(again.stdout).status).to.equal('already-complete');
      expect(fs.readFileSync(w.store).includes(Buffer.from(w.sim.token))).to.equal(false);
    } finally {
      await w.close();
    }
  });

  it('--log-json - puts pure NDJSON on stdout (progress and summary on stderr), for cron pipes', async () => {
    const w = await e2eWorld();
    try {
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), await circuitryPlan(w));
      const r = await cli(['apply', file, '--log-json', '-'], w.env);
      expect(r.code, r.stderr).to.equal(0);
      const events = validator('schemas/events.schema.json');
      const lines = r.stdout.trim().split('\n');
      for (const l of lines) expect(events(JSON.parse(l)), l).to.equal(true);
      expect(JSON.parse(lines.at(-1)!).type).to.equal('run.end');
      expect(r.stderr).to.contain('completed');
    } finally {
      await w.close();
    }
  });

  it('SIGKILL at seeded random points, resumed each time: target reached, journal consistent, nothing bought twice, nothing stranded', async () => {
    const w = await e2eWorld();
    try {
      const plan = await circuitryPlan(w);
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), plan);
      const before = (await w.client.getAgent()).credits;
      // Kill points are seeded and spread by progress (see crashLoop), whatever the machine's speed.
      w.sim.sim.setFaults('latency=2-8,seed=1');
      const kills = Number(process.env.CRASH_KILLS ?? 6);
      const { killed } = await crashLoop(w, file, { seed: Number(process.env.CRASH_SEED ?? 42), kills, spread: Number(process.env.CRASH_SPREAD ?? 14), log: path.join(w.dir, 'events.ndjson') });
      w.sim.sim.setFaults('off');
      const last = await cli(['apply', file], w.env);
      expect(last.code, last.stderr).to.equal(0);
      await checkFinished(w, plan.planId, before);
      expect(killed, 'kills before the run completed').to.be.at.least(Math.min(kills, 5));
    } finally {
      await w.close();
    }
  });

  it('SIGINT finishes the call in flight, releases the lock and exits 130; the same apply then resumes to 0', async () => {
    const w = await e2eWorld();
    try {
      const plan = await circuitryPlan(w);
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), plan);
      const before = (await w.client.getAgent()).credits;
      w.sim.sim.setFaults('latency=20-40,seed=2');
      const log = path.join(w.dir, 'events.ndjson');
      const { child, done } = startCli(['apply', file, '--log-json', log], w.env);
      await waitFor(log, '"type":"result"');
      child.kill('SIGINT');
      const r = await done;
      expect(r.code, r.stderr).to.equal(ExitCode.INTERRUPTED);
      expect(r.stderr).to.not.match(/\n\s+at /);
      const store = await Store.open(w.store);
      expect(await import('../../src/state/lock.js').then((m) => m.AgentLock.read(store, w.sim.agentSymbol))).to.equal(undefined);
      await store.close();
      w.sim.sim.setFaults('off');
      const again = await cli(['apply', file], w.env);
      expect(again.code, again.stderr).to.equal(0);
      await checkFinished(w, plan.planId, before);
    } finally {
      await w.close();
    }
  });

  it('lock contention: a second apply exits LOCKED naming the holder; `stop` ends the first cooperatively (130)', async () => {
    const w = await e2eWorld();
    try {
      const plan = await circuitryPlan(w);
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), plan);
      w.sim.sim.setFaults('latency=80-120,seed=3');
      const log = path.join(w.dir, 'events.ndjson');
      const first = startCli(['apply', file, '--log-json', log], w.env);
      await waitFor(log, '"type":"run.start"');
      const second = await cli(['apply', file, '--json', '--lock-timeout', '0s'], w.env);
      expect(second.code).to.equal(ExitCode.LOCKED);
      const err = JSON.parse(second.stdout);
      expect(err.error.code).to.equal('LOCKED');
      expect(err.error.message).to.contain(String(first.child.pid));
      const stop = await cli(['stop'], w.env);
      expect(stop.code, stop.stderr).to.equal(0);
      const r = await first.done;
      expect(r.code, r.stderr).to.equal(ExitCode.INTERRUPTED);
      const unlock = await cli(['unlock', w.sim.agentSymbol], w.env);
      expect(unlock.code).to.equal(0);
      expect(unlock.stdout).to.contain('No lock');
    } finally {
      await w.close();
    }
  });

  it('status --watch follows a run another process is applying, from the journal, until it ends', async () => {
    const w = await e2eWorld();
    try {
      const file = writeCheckedPlan(path.join(w.dir, 'adv.plan.yaml'), await circuitryPlan(w));
      w.sim.sim.setFaults('latency=80-120,seed=4');
      const log = path.join(w.dir, 'events.ndjson');
      const applying = startCli(['apply', file, '--log-json', log], w.env);
      await waitFor(log, '"type":"run.start"');
      const watch = await cli(['status', '--watch', '--interval', '1'], w.env);
      const applied = await applying.done;
      expect(applied.code, applied.stderr).to.equal(0);
      expect(watch.code, watch.stderr).to.equal(0);
      const frames = watch.stdout.split('Dependency Tree:').length - 1;
      expect(frames).to.be.at.least(2);
      expect(watch.stdout).to.match(/Status: RUNNING/);
      expect(watch.stdout).to.match(/Status: COMPLETED/);
    } finally {
      await w.close();
    }
  });

  it('apply SPEC: plans first; without a terminal it needs --auto-approve; with it, applies', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      const spec = path.join(w.dir, 'iron.yaml');
      fs.writeFileSync(spec, 'name: iron-e2e\nsystem: X1-AD75\ntarget:\n  good: IRON\n  quantity: 30\n  deliver: hold\npolicy:\n  maxCredits: 50000\n');
      const refused = await cli(['apply', spec], w.env);
      expect(refused.code).to.equal(ExitCode.USAGE);
      expect(refused.stderr).to.contain('--auto-approve');
      expect(refused.stderr).to.not.match(/\n\s+at /);
      const ok = await cli(['apply', spec, '--auto-approve'], w.env);
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stderr).to.match(/BUY 30 IRON/);
      const ships = await w.client.listShips();
      expect(ships.reduce((a, x) => a + (x.cargo.inventory.find((i) => i.symbol === 'IRON')?.units ?? 0), 0)).to.equal(30);
    } finally {
      await w.close();
    }
  });

  it('apply PLAN --spec SPEC refuses the plan when the spec changed since (exit 6)', async () => {
    const w = await e2eWorld({ haulers: 1 });
    try {
      const spec = path.join(w.dir, 'iron.yaml');
      fs.writeFileSync(spec, 'name: iron-e2e\nsystem: X1-AD75\ntarget:\n  good: IRON\n  quantity: 30\n  deliver: hold\npolicy:\n  maxCredits: 50000\n');
      const planned = await cli(['plan', spec, '--out', path.join(w.dir, 'iron.plan.yaml')], w.env);
      expect(planned.code, planned.stderr).to.equal(0);
      fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('quantity: 30', 'quantity: 40'));
      const r = await cli(['apply', path.join(w.dir, 'iron.plan.yaml'), '--spec', spec], w.env);
      expect(r.code, r.stderr).to.equal(ExitCode.STALE_PLAN);
      expect(r.stderr).to.contain('spec changed');
      expect(r.stderr).to.contain('st-goods plan');
    } finally {
      await w.close();
    }
  });

  it('refuses a stale plan (another agent) with exit 6 before anything moves', async () => {
    const w = await e2eWorld();
    try {
      const plan = await circuitryPlan(w);
      const { planId: _p, toolVersion: _t, createdAt: _c, expiresAt: _e, ...body } = plan;
      const other = envelope({ ...body, lineage: { ...body.lineage, agentSymbol: 'SOMEONE-ELSE' } }, { now: new Date(), toolVersion: 't' });
      const file = writeCheckedPlan(path.join(w.dir, 'other.plan.yaml'), other);
      const r = await cli(['apply', file], w.env);
      expect(r.code).to.equal(ExitCode.STALE_PLAN);
      expect(r.stderr).to.contain('SOMEONE-ELSE').and.contain('plan');
      const expired = envelope(body, { now: new Date(Date.now() - 3 * 3600_000), toolVersion: 't' });
      const r2 = await cli(['apply', writeCheckedPlan(path.join(w.dir, 'old.plan.yaml'), expired)], w.env);
      expect(r2.code).to.equal(ExitCode.STALE_PLAN);
      expect(r2.stderr).to.contain('expired');
    } finally {
      await w.close();
    }
  });
});
