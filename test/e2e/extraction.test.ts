import path from 'node:path';
import { expect } from 'chai';
import { parsePlan } from '../../src/plan/file.js';
import fs from 'node:fs';
import { cli, crashLoop, e2eWorld, type E2EWorld } from './apply-helpers.js';
import { SITE, extractionCrew, extractionSpec, verifyExtraction } from './extraction-helpers.js';

/**
 * Extraction end to end with the real binary (issue 14): `plan` chooses EXTRACT for GOLD_ORE (no
 * eligible market), `apply` runs the crew (surveys, extraction, jettison, transfers) and feeds
 * the GOLD factory, `status` shows the crew; and a short crash torture of an extraction run (the
 * long one: npm run crash-torture:extract).
 */
describe('e2e: extraction as a source (real binary, simulator)', function () {
  this.timeout(300_000);
  let w: E2EWorld;
  afterEach(async () => w?.close());

  it('GOLD_ORE is mined and fed to the GOLD factory; GOLD made and kept; status shows the crew', async () => {
    w = await e2eWorld({ haulers: 0, seed: 11 });
    const crew = await extractionCrew(w);
    const spec = extractionSpec(w, crew, { gold: 10, name: 'gold' });
    const planFile = path.join(w.dir, 'gold.plan.yaml');
    const planned = await cli(['plan', spec, '--out', planFile], w.env);
    expect(planned.code, planned.stderr).to.equal(0);
    const plan = parsePlan(fs.readFileSync(planFile, 'utf8'), planFile);
    const ore = plan.decisions.inputs.find((n) => n.good === 'GOLD_ORE')!;
    expect(ore).to.include({ action: 'EXTRACT', waypoint: SITE });
    expect(planned.stdout).to.match(/EXTRACT 25 GOLD_ORE @ X1-AD75-B39/);
    expect(planned.stdout).to.match(/mines 25 GOLD_ORE at X1-AD75-B39 \(from .* by transfer; [\d.]+ u\/h for the crew/);
    const md = await cli(['show', planFile, '--format', 'markdown'], w.env);
    expect(md.stdout).to.include('## Extraction');
    const applied = await cli(['apply', planFile], w.env);
    expect(applied.code, applied.stderr).to.equal(0);
    const { problems } = await verifyExtraction(w, crew, plan.planId);
    expect(problems).to.deep.equal([]);
    const gold = (await w.client.listShips()).reduce((s, x) => s + (x.cargo.inventory.find((i) => i.symbol === 'GOLD')?.units ?? 0), 0);
    expect(gold).to.equal(10);
    const status = await cli(['status'], w.env);
    expect(status.stdout).to.match(/Extraction \(units of the wanted good per game hour/);
    expect(status.stdout).to.match(/mine at X1-AD75-B39: extracted \d+/);
    const json = JSON.parse((await cli(['status', '--json'], w.env)).stdout);
    const tasks = (json.result ?? json).tasks as Array<{ extraction?: { role: string } }>;
    expect(tasks.filter((t) => t.extraction?.role === 'mine')).to.have.length(2);
  });

  it('crash torture (short): apply killed with SIGKILL at 8 seeded points of an extraction run, resumed: no unit lost or counted twice', async () => {
    w = await e2eWorld({ haulers: 0, seed: 3 });
    const crew = await extractionCrew(w);
    const spec = extractionSpec(w, crew, { ore: 40 });
    const planFile = path.join(w.dir, 'ore.plan.yaml');
    expect((await cli(['plan', spec, '--out', planFile], w.env)).code).to.equal(0);
    const plan = parsePlan(fs.readFileSync(planFile, 'utf8'), planFile);
    w.sim.sim.setFaults('latency=2-8,seed=3');
    const loop = await crashLoop(w, planFile, { seed: 3, kills: 8, spread: 4, log: path.join(w.dir, 'events.ndjson') });
    w.sim.sim.setFaults('off');
    const last = await cli(['apply', planFile], w.env);
    expect(last.code, last.stderr).to.equal(0);
    expect(loop.killed).to.be.at.least(4);
    const { problems, delivered } = await verifyExtraction(w, crew, plan.planId);
    expect(problems).to.deep.equal([]);
    expect(delivered).to.equal(40);
  });
});
