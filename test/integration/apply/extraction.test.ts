import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { SpaceTradersClient } from '../../../src/api/client.js';
import { Secret } from '../../../src/config/redact.js';
import { recordObservation } from '../../../src/market/cache.js';
import { lanesOf } from '../../../src/dashboard/view.js';
import { applyPlan } from '../../../src/executor/apply.js';
import { realClock } from '../../../src/executor/clock.js';
import { createPlan } from '../../../src/planner/create.js';
import { Journal } from '../../../src/state/journal.js';
import { loadStatus, renderStatus } from '../../../src/executor/status-view.js';
import { Store } from '../../../src/state/store.js';
import { loadSupplyChain } from '../../../src/supply-chain/index.js';
import { withSim, type TestSim } from '../../helpers/sim.js';

/** Ships of `type` placed at `waypoint` by the simulator's admin endpoint. */
export async function addShips(sim: TestSim, type: string, waypoint: string, count = 1): Promise<string[]> {
  const res = await fetch(`${sim.sim.adminUrl}/agents/${sim.agentSymbol}/ships`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shipType: type, waypointSymbol: waypoint, count }) });
  const body = (await res.json()) as { data: { ships: string[] } };
  return body.data.ships;
}

/**
 * Extraction as a source, planned and applied against the simulator over HTTP (issue 14): GOLD_ORE,
 * which no market of X1-AD75 sells with enough supply, is mined by two drones with a surveyor's
 * surveys, pulled by a hauler and fed to the GOLD factory; a gas is siphoned and kept in the hold.
 */
describe('integration: extraction crews (EXTRACT, SIPHON) planned and applied on the simulator', function () {
  this.timeout(240_000);
  let sim: TestSim;
  let dir: string;
  let client: SpaceTradersClient;

  before(async () => {
    sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: 2000, seed: 7, config: { startingCredits: 3_000_000 } });
    client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-extract-'));
  });
  after(async () => {
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function planAndApply(name: string, spec: Record<string, unknown>) {
    const specFile = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(specFile, YAML.stringify({ name, system: 'X1-AD75', ...spec }));
    const store = await Store.open(path.join(dir, `${name}.sqlite`));
    try {
      const { plan } = await createPlan({ specFile, client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: 'test' });
      const status = await client.getStatus();
      const outcome = await applyPlan({ plan, client, store, resetDate: status.resetDate, adopt: true, renderer: 'silent', clock: realClock(2000), onObservation: (m) => recordObservation(store, m) });
      const journal = new Journal(store);
      const runId = (await journal.latestRunId(plan.lineage.agentSymbol))!;
      const steps = await journal.steps(runId);
      const tasks = await journal.getTasks(runId, plan.tasks.map((t) => t.id));
      const report = await loadStatus(store, runId);
      return { plan, outcome, steps, tasks, report };
    } finally {
      await store.close();
    }
  }

  it('GOLD_ORE (no eligible market) is mined with surveys, pulled by the hauler and fed to the GOLD factory; every unit accounted for', async () => {
    const site = 'X1-AD75-B39';
    const drones = await addShips(sim, 'SHIP_MINING_DRONE', site, 2);
    const [surveyor] = await addShips(sim, 'SHIP_SURVEYOR', site);
    const [hauler] = await addShips(sim, 'SHIP_LIGHT_HAULER', 'X1-AD75-B7');
    const { plan, outcome, steps, tasks, report } = await planAndApply('gold', {
      target: { good: 'GOLD', quantity: 10, deliver: 'hold' },
      fleet: { ships: [...drones, surveyor, hauler] },
      policy: { maxCredits: 500_000, make: ['GOLD'], productionTimeout: '6h' },
    });
    const ore = plan.decisions.inputs.find((n) => n.good === 'GOLD_ORE')!;
    expect(ore.action).to.equal('EXTRACT');
    expect(ore.waypoint).to.equal(site);
    expect(ore.extraction).to.deep.include({ hauler, surveyor });
    expect(outcome.status, outcome.message).to.equal('completed');

    // Every wanted unit extracted is delivered or still in a crew hold; transfers pulled exactly what was delivered.
    const haul = plan.tasks.find((t) => t.source.kind === 'extract' && t.source.role === 'haul')!;
    const haulRec = tasks.get(haul.id)!;
    expect(haulRec.delivered).to.equal(haul.quantity);
    const extracted = [...tasks.values()].reduce((s, r) => s + (r.extraction?.yields['GOLD_ORE'] ?? 0), 0);
    const ships = await client.listShips();
    const left = ships.filter((s) => drones.includes(s.symbol) || s.symbol === hauler).reduce((s, x) => s + (x.cargo.inventory.find((i) => i.symbol === 'GOLD_ORE')?.units ?? 0), 0);
    expect(extracted).to.equal(haulRec.delivered + left);
    const pulled = Object.entries(haulRec.extraction!.pulled).filter(([k]) => k.startsWith('GOLD_ORE@')).reduce((s, [, v]) => s + v, 0);
    expect(pulled).to.equal(haulRec.acquired);
    const sold = steps.filter((s) => s.kind === 'sell.result' && s.intent?.good === 'GOLD_ORE').reduce((s, x) => s + x.result!.units, 0);
    expect(sold).to.equal(haul.quantity);
    // Surveys were made and used; unwanted yields jettisoned; nothing but GOLD_ORE was pulled.
    expect(steps.some((s) => s.kind === 'survey.result')).to.equal(true);
    expect(steps.some((s) => s.kind === 'extract.result' && s.intent?.survey)).to.equal(true);
    expect(steps.some((s) => s.kind === 'jettison.result')).to.equal(true);
    expect(Object.keys(haulRec.extraction!.pulled).every((k) => k.startsWith('GOLD_ORE@'))).to.equal(true);
    // Each reactor cooldown an extraction or survey started is journaled (a cooldown step) and drawn on its ship's dashboard lane.
    const cools = steps.filter((s) => s.kind === 'cooldown');
    const calls = steps.filter((s) => s.kind === 'extract.result' || s.kind === 'survey.result');
    expect(cools.length).to.be.greaterThan(0);
    expect(cools.length).to.be.at.most(calls.length + steps.filter((s) => s.kind.endsWith('.error')).length);
    for (const c of cools) {
      expect(c.wait!.reason).to.match(/^reactor cooldown after (extract|survey|an earlier call) at X1-AD75-B39$/);
      expect(Date.parse(c.wait!.until)).to.be.greaterThan(Date.parse(c.at));
    }
    const lanes = lanesOf(steps, [...drones, surveyor!, hauler!], Date.now());
    expect([...drones, surveyor!].filter((d) => lanes.get(d)!.some((x) => x.kind === 'cooldown'))).to.not.be.empty;
    expect(lanes.get(hauler!)!.every((x) => x.kind !== 'wait' || !/cooldown/.test(x.label))).to.equal(true);
    // The target: GOLD bought at the factory once fed.
    const gold = ships.find((s) => s.symbol === hauler || drones.includes(s.symbol) || s.symbol === surveyor);
    expect(gold).to.not.equal(undefined);
    const heldGold = ships.reduce((s, x) => s + (x.cargo.inventory.find((i) => i.symbol === 'GOLD')?.units ?? 0), 0);
    expect(heldGold).to.equal(10);
    // status: each extraction task with its rate (measured and planned), extractions, survey state.
    const miners = report.tasks.filter((t) => t.extraction?.role === 'mine');
    expect(miners).to.have.length(2);
    for (const m of miners) expect(m.extraction).to.deep.include({ method: 'EXTRACT', site, plannedUnitsPerHour: (haul.source as { rate: { unitsPerHour: number } }).rate.unitsPerHour });
    expect(miners.reduce((s, m) => s + m.extraction!.units, 0)).to.equal(extracted);
    const surveyTask = report.tasks.find((t) => t.extraction?.role === 'survey')!;
    expect(surveyTask.extraction!.surveys).to.be.greaterThan(0);
    expect(surveyTask.extraction!.survey?.share).to.be.greaterThan(0);
    const text = renderStatus(report);
    expect(text).to.match(/Extraction \(units of the wanted good per game hour, measured against the plan\):/);
    expect(text).to.match(/: mine at X1-AD75-B39: extracted \d+ in \d+ extraction\(s\), jettisoned \d+; [\d.]+ u\/h \(planned [\d.]+\)/);
    expect(text).to.match(/: survey at X1-AD75-B39: \d+ survey\(s\); .*survey X1-AD75-B39-\w+ \((SMALL|MODERATE|LARGE), \d+% wanted/);
  });

  it('cheapest: buying HYDROCARBON beats siphoning it while its only exporter is MODERATE; once the admin endpoint makes it SCARCE, siphoning wins', async () => {
    const [frigate] = await addShips(sim, 'SHIP_COMMAND_FRIGATE', 'X1-AD75-C41');
    const spec = (name: string) => {
      const file = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(file, YAML.stringify({ name, system: 'X1-AD75', target: { good: 'HYDROCARBON', quantity: 40, deliver: { sell: 'X1-AD75-G50' } }, fleet: { ships: [frigate] }, policy: { maxCredits: 100_000, mode: 'cheapest', minSupply: 'SCARCE' } }));
      return file;
    };
    const store = await Store.open(path.join(dir, 'cheapest.sqlite'));
    try {
      const moderate = (await createPlan({ specFile: spec('hc-moderate'), client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: 'test' })).plan;
      expect(moderate.decisions).to.include({ action: 'BUY', waypoint: 'X1-AD75-C41' });
      expect(moderate.decisions.reason).to.match(/^cheapest: buying/);
      expect(moderate.decisions.declined.some((d) => d.waypoint === 'X1-AD75-C40' && /^siphoning here costs/.test(d.why))).to.equal(true);
      const res = await fetch(`${sim.sim.adminUrl}/markets/X1-AD75-C41/HYDROCARBON`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ supply: 'SCARCE' }) });
      expect(res.status).to.equal(200);
      const scarce = (await createPlan({ specFile: spec('hc-scarce'), client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: 'test' })).plan;
      expect(scarce.observations.find((o) => o.waypoint === 'X1-AD75-C41' && o.good === 'HYDROCARBON')?.supply).to.equal('SCARCE');
      expect(scarce.decisions).to.include({ action: 'SIPHON', waypoint: 'X1-AD75-C40' });
      expect(scarce.decisions.reason).to.match(/^cheapest: siphoning ~[\d,]+ beats buying ~[\d,]+/);
      expect(scarce.decisions.declined.some((d) => d.waypoint === 'X1-AD75-C41' && /^buying here costs/.test(d.why))).to.equal(true);
    } finally {
      await store.close();
    }
  });

  it('LIQUID_NITROGEN is siphoned at the gas giant by a siphon drone and kept in the hauler (policy.extract)', async () => {
    const giant = 'X1-AD75-C40';
    const [drone] = await addShips(sim, 'SHIP_SIPHON_DRONE', giant);
    const [hauler] = await addShips(sim, 'SHIP_LIGHT_HAULER', 'X1-AD75-C41');
    const { plan, outcome, steps, tasks } = await planAndApply('gas', {
      target: { good: 'LIQUID_NITROGEN', quantity: 30, deliver: 'hold' },
      fleet: { ships: [drone, hauler] },
      policy: { maxCredits: 100_000, extract: ['LIQUID_NITROGEN'] },
    });
    expect(plan.decisions).to.include({ action: 'SIPHON', waypoint: giant });
    expect(outcome.status, outcome.message).to.equal('completed');
    const h = (await client.getShip(hauler)).cargo.inventory.find((i) => i.symbol === 'LIQUID_NITROGEN')?.units;
    expect(h).to.equal(30);
    expect(steps.some((s) => s.kind === 'transfer.result')).to.equal(true);
    const mine = plan.tasks.find((t) => t.source.kind === 'extract' && t.source.role === 'mine')!;
    expect(tasks.get(mine.id)!.extraction!.yields['LIQUID_NITROGEN']).to.be.at.least(30);
  });
});
