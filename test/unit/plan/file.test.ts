import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { UserError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { planIdOf } from '../../../src/plan/canonical.js';
import { envelope, parsePlan, readPlan, serializeBody, serializePlan, writePlan } from '../../../src/plan/file.js';
import type { PlanFile } from '../../../src/plan/types.js';
import { verifyPlan } from '../../../src/plan/verify.js';
import { MarketView } from '../../../src/market/view.js';
import { NOW, captureView, inputsOf, plan, REAL_MAP, ship } from '../planner/helpers.js';

function samplePlan(): PlanFile {
  const fleet = [ship('FLWI-1', 'X1-AD75-A1', 40, 36), ship('FLWI-3', 'X1-AD75-H51', 80, 15)];
  const body = plan(captureView(), 'SHIP_PLATING', 24, { fleet, policy: { minSupplyToBuy: 'HIGH' } });
  return envelope(body, { now: NOW, toolVersion: '0.0.0-test' });
}

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(UserError);
    return e as UserError;
  }
  return expect.fail('expected a UserError');
}

describe('plan file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-plan-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips through YAML: same plan, same bytes, schema-valid, planId from the body', () => {
    const p = samplePlan();
    const file = path.join(dir, 'sp.plan.yaml');
    writePlan(file, p);
    const back = readPlan(file);
    expect(back).to.deep.equal(p);
    expect(serializePlan(back)).to.equal(fs.readFileSync(file, 'utf8'));
    expect(p.planId).to.equal(planIdOf(p));
    expect(p.planId).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(Date.parse(p.expiresAt) - Date.parse(p.createdAt)).to.equal(2 * 3600 * 1000);
  });

  it('is deterministic: the same spec and observations give a byte-identical body, whatever the input order or clock', () => {
    const a = samplePlan();
    // Same listings and observations, shuffled, and a view built an hour later.
    const v = captureView();
    const shuffled = new MarketView({
      system: v.system,
      listings: v.listings().reverse(),
      observations: v.observations().reverse(),
      now: new Date(NOW.getTime() + 3600_000),
      inputsOf: inputsOf(REAL_MAP),
    });
    const fleet = [ship('FLWI-3', 'X1-AD75-H51', 80, 15), ship('FLWI-1', 'X1-AD75-A1', 40, 36)];
    const body = plan(shuffled, 'SHIP_PLATING', 24, { fleet, policy: { minSupplyToBuy: 'HIGH' } });
    const b = envelope(body, { now: new Date(NOW.getTime() + 3600_000), toolVersion: '9.9.9' });
    expect(serializeBody(b)).to.equal(serializeBody(a));
    expect(b.planId).to.equal(a.planId);
    expect(b.createdAt).to.not.equal(a.createdAt);
  });

  it('never writes the token, and holds no secret-looking field', () => {
    const token = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.secret-agent-token';
    const text = serializePlan(samplePlan());
    expect(text).to.not.contain(token);
    expect(text).to.not.match(/token|authorization|bearer/i);
  });

  it('a target already in the holds gives a valid plan with nothing to do', () => {
    const fleet = [ship('FLWI-1', 'X1-AD75-A1', 40, 36)];
    const body = plan(captureView(), 'IRON', 30, { fleet, targetHeld: 30 });
    expect(body.tasks).to.deep.equal([]);
    expect(body.decisions.reason).to.match(/nothing to buy: 30 of the 30 IRON wanted are already aboard \(30 on FLWI-1\)/);
    expect(body.estimates.credits).to.equal(0);
    const p = envelope(body, { now: NOW, toolVersion: 't' });
    expect(parsePlan(serializePlan(p)).planId).to.equal(p.planId);
    // Part held: only the rest is bought.
    const part = plan(captureView(), 'IRON', 30, { fleet, targetHeld: 12 });
    expect(part.tasks.reduce((a, t) => a + t.quantity, 0)).to.equal(18);
  });

  it('a broken file is INVALID_INPUT naming the problem', () => {
    const file = path.join(dir, 'broken.plan.yaml');
    fs.writeFileSync(file, 'formatVersion: "1.0"\nplanId: [unclosed\n');
    expect(thrown(() => readPlan(file)).exitCode).to.equal(ExitCode.INVALID_INPUT);
    const p = samplePlan() as unknown as Record<string, unknown>;
    delete p.tasks;
    const err = thrown(() => parsePlan(YAML.stringify(p)));
    expect(err.code).to.equal('INVALID_INPUT');
    expect(err.message).to.match(/tasks/);
    expect(thrown(() => readPlan(path.join(dir, 'missing.yaml'))).message).to.match(/Cannot read/);
  });

  it('a plan an older st-goods wrote, in a form this one does not read, names both versions and says to plan again', () => {
    const p = { ...samplePlan(), toolVersion: '0.0.1' } as unknown as Record<string, unknown>;
    delete p.seal; // written before plans were sealed
    const err = thrown(() => parsePlan(YAML.stringify(p), 'old.plan.yaml'));
    expect(err.exitCode).to.equal(ExitCode.INVALID_INPUT);
    expect(err.message).to.match(/written by st-goods 0\.0\.1/).and.match(/seal/);
    expect(err.hint).to.match(/st-goods plan SPEC/);
  });

  it('hand-edited times (expiresAt, createdAt) no longer match the seal and are refused; an empty file is named as empty', () => {
    const p = samplePlan();
    expect(parsePlan(serializePlan(p)).seal).to.equal(p.seal);
    for (const edit of [{ expiresAt: '2099-01-01T00:00:00.000Z' }, { createdAt: '2099-01-01T00:00:00.000Z' }]) {
      const err = thrown(() => parsePlan(serializePlan({ ...p, ...edit })));
      expect(err.exitCode).to.equal(ExitCode.INVALID_INPUT);
      expect(err.message).to.match(/seal/);
    }
    const empty = path.join(dir, 'empty.plan.yaml');
    fs.writeFileSync(empty, '');
    expect(thrown(() => readPlan(empty)).message).to.match(/is empty/);
  });

  it('writePlan replaces the file atomically: no temporary file is left, a directory is refused', () => {
    const file = path.join(dir, 'atomic.plan.yaml');
    writePlan(file, samplePlan());
    writePlan(file, samplePlan());
    expect(fs.readdirSync(dir).filter((f) => f.includes('atomic') && f.endsWith('.tmp'))).to.deep.equal([]);
    expect(thrown(() => writePlan(dir, samplePlan())).message).to.match(/Cannot write the plan file/);
  });

  it('a hand-edited body no longer matches its planId and is refused', () => {
    const p = samplePlan();
    const edited = serializePlan({ ...p, estimates: { ...p.estimates, credits: 1 } });
    const err = thrown(() => parsePlan(edited));
    expect(err.exitCode).to.equal(ExitCode.INVALID_INPUT);
    expect(err.message).to.match(/modified/);
  });

  describe('verifyPlan', () => {
    const ok = { agentSymbol: 'TESTER', resetDate: '2026-01-01', specHash: 'sha256:spec', now: NOW };
    const stale = (p: PlanFile, ctx: Parameters<typeof verifyPlan>[1]): UserError => {
      const e = thrown(() => verifyPlan(p, ctx));
      expect(e.exitCode).to.equal(ExitCode.STALE_PLAN);
      expect(e.paragraph).to.contain('st-goods plan');
      return e;
    };

    it('accepts a fresh plan for this agent, reset and spec', () => {
      expect(() => verifyPlan(samplePlan(), ok)).to.not.throw();
      expect(() => verifyPlan(samplePlan(), { ...ok, specHash: undefined })).to.not.throw();
    });

    it('checks format major, lineage, spec hash and expiry, in that order', () => {
      const p = samplePlan();
      const late = new Date(Date.parse(p.expiresAt) + 1000);
      const everythingWrong = { agentSymbol: 'OTHER', resetDate: '2027-01-01', specHash: 'sha256:other', now: late };
      expect((stale({ ...p, formatVersion: '2.0' }, everythingWrong).details as { check: string }).check).to.equal('format');
      expect((stale(p, everythingWrong).details as { check: string }).check).to.equal('agent');
      expect((stale(p, { ...everythingWrong, agentSymbol: 'TESTER' }).details as { check: string }).check).to.equal('resetDate');
      expect((stale(p, { ...ok, specHash: 'sha256:other', now: late }).details as { check: string }).check).to.equal('spec');
      expect(stale(p, { ...ok, now: late }).message).to.match(/expired/);
      expect(() => verifyPlan({ ...p, formatVersion: '1.7' }, ok)).to.not.throw();
    });
  });
});
