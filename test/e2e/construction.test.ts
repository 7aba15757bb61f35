/**
 * Building the home gate with the real binary (issue 13): `apply SPEC --auto-approve` (the cron
 * form) killed with SIGKILL the instant a construction supply was answered, before its result
 * reached the journal; the re-run reconciles it from the hold and finishes the gate, counting
 * every unit the site received exactly once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Journal } from '../../src/state/journal.js';
import { Store } from '../../src/state/store.js';
import { gateWorld } from '../integration/construction/helpers.js';
import { cli } from './apply-helpers.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;

describe('e2e: the home gate built by cron re-runs, killed mid-delivery (issue 13)', function () {
  this.timeout(240_000);

  it('kill -9 after a supply answered, before its result was journaled: the re-run reconciles it once and completes the site', async () => {
    const w = await gateWorld({ haulers: 2, bill: { FAB_MATS: 60, ADVANCED_CIRCUITRY: 30 } });
    try {
      const store = path.join(w.dir, 'cli-store.sqlite');
      const env = { ...process.env, NO_COLOR: '1', CI: '1', ST_BASE_URL: w.sim.baseUrl, ST_TOKEN: w.sim.token, ST_GOODS_STORE: store, ST_GOODS_CONFIG_DIR: w.dir };
      const spec = w.spec('home-gate', '{construction: home-gate}');
      const killed = await cli(['apply', spec, '--auto-approve'], { ...env, ST_GOODS_FAILPOINT: 'construction-supplied' });
      expect(killed.signal, killed.stderr).to.equal('SIGKILL');
      const mid = await w.site();
      const inBefore = mid.materials.reduce((a, m) => a + (m.tradeSymbol === 'QUANTUM_STABILIZERS' ? 0 : m.fulfilled), 0);
      expect(inBefore).to.be.greaterThan(0);
      expect(mid.isComplete).to.equal(false);

      const again = await cli(['apply', spec, '--auto-approve'], env);
      expect(again.code, again.stderr).to.equal(0);
      const site = await w.site();
      expect(site.isComplete).to.equal(true);

      const s = await Store.open(store);
      try {
        const journal = new Journal(s);
        const [run] = (await journal.runs()).filter((r) => r.agentSymbol === w.sim.agentSymbol);
        expect(run!.status).to.equal('completed');
        expect(run!.attempts).to.equal(2);
        const tasks = await journal.getTasks(run!.runId, run!.plan.tasks.map((t) => t.id));
        const byGood = (good: string): number => run!.plan.tasks.filter((t) => t.good === good && t.destination.kind === 'construction').reduce((a, t) => a + tasks.get(t.id)!.delivered, 0);
        // Nothing counted twice: the journal's deliveries are exactly the bill.
        expect(byGood('FAB_MATS')).to.equal(60);
        expect(byGood('ADVANCED_CIRCUITRY')).to.equal(30);
        const steps = await journal.steps(run!.runId);
        // The supply the kill followed is reconciled as made; another ship's supply may have been in
        // flight at the same moment (under load both were), reconciled as whatever the site shows.
        const reconciled = steps.filter((x) => x.kind === 'deliver.reconciled');
        expect(reconciled.length).to.be.within(1, new Set(run!.plan.tasks.map((t) => t.ship)).size);
        expect(reconciled.filter((r) => r.result!.happened && r.result!.units > 0)).to.have.length.at.least(1);
      } finally {
        await s.close();
      }
      // status shows the bill: required, fulfilled, what this run supplied, the rate; --json per its schema.
      const text = await cli(['status'], env);
      expect(text.stdout).to.match(/Construction X1-AD75-I55: COMPLETE, 100% of the bill; [\d.]+ units \([\d.]+%\) per game hour/);
      expect(text.stdout).to.match(/FAB_MATS: 60\/60 \(100%; 60 by this run\)/);
      const report = JSON.parse((await cli(['status', '--json'], env)).stdout);
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ajv);
      const valid = ajv.compile(JSON.parse(fs.readFileSync('schemas/status.schema.json', 'utf8')));
      expect(valid(report), JSON.stringify(valid.errors)).to.equal(true);
      expect(report.construction).to.include({ waypoint: 'X1-AD75-I55', isComplete: true, percent: 100 });
      expect(report.construction.materials.map((m: { good: string; required: number; fulfilled: number; byRun: number }) => [m.good, m.required, m.fulfilled, m.byRun])).to.deep.equal([
        ['FAB_MATS', 60, 60, 60],
        ['ADVANCED_CIRCUITRY', 30, 30, 30],
        ['QUANTUM_STABILIZERS', 1, 1, 0],
      ]);
      expect(report.construction.unitsPerHour).to.be.greaterThan(0);
      expect(report.otherTrees.map((t: { good: string }) => t.good)).to.deep.equal(['ADVANCED_CIRCUITRY']);
      // Cron fires again: nothing to do.
      const third = await cli(['apply', spec, '--auto-approve'], env);
      expect(third.code, third.stderr).to.equal(0);
      expect(third.stdout + third.stderr).to.match(/nothing to do|complete/i);
      expect(fs.existsSync(store)).to.equal(true);
    } finally {
      await w.close();
    }
  });
});
