import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyPlan } from '../../src/executor/apply.js';
import { realClock } from '../../src/executor/clock.js';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/server.js';
import type { PlanFile } from '../../src/plan/types.js';
import { Journal } from '../../src/state/journal.js';
import { Store } from '../../src/state/store.js';
import { adaptSpec, apply, applyWorld, planFor } from '../integration/apply/helpers.js';
import { SECTOR, sectorWorld, type SectorWorld } from '../integration/routing/helpers.js';
import { axe, launchBrowser, screenshot, screenshotBand, type Browser } from './helpers.js';

/**
 * The dashboard in a real browser (Debian's Chromium, headless) during a simulator run: the run
 * appears without a reload, a task changes state, the map shows the ships, the stop control works
 * after its confirmation; accessibility basics checked with axe-core.
 */
describe('browser: st-goods dashboard during a simulator run', function () {
  this.timeout(120_000);
  let w: Awaited<ReturnType<typeof applyWorld>>;
  let dash: RunningDashboard;
  let browser: Browser;
  let plan: PlanFile;

  before(async () => {
    w = await applyWorld({ haulers: 2, sim: { timeScale: 40 } });
    plan = await planFor(w.client, w.store, adaptSpec('advanced-circuitry.yaml', w.dir));
    dash = await startDashboard({ storeFile: w.store.file, allowControl: true, alertAfterMs: 600_000 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await dash?.close();
    await w?.close();
  });

  it('shows the run as it starts, a task changing state, ships on the map; Stop asks, then stops the apply', async () => {
    const { page } = browser;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(dash.url);
    await page.locator('#live').filter({ hasText: 'live' }).waitFor();
    // An empty store: the page says there is no run yet (drawn once the first view arrives).
    await page.locator('#no-runs').waitFor({ state: 'visible', timeout: 10_000 });

    // A slow sim clock (40x) so that the run lasts long enough to watch and to stop.
    const applying = apply(w.client, w.store, plan, { clock: realClock(40) });

    // The run appears on the open page, pushed by the server (no reload).
    const row = page.locator('#runs tbody tr').first();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator('.badge').innerText()).to.equal('RUNNING');
    const runId = (await row.getAttribute('data-run'))!;
    await screenshot(page, 'runs-list');
    await row.locator('a').click();
    await page.locator('#run-title').filter({ hasText: runId }).waitFor();

    // Stop: a confirmation first; Cancel does nothing, Confirm stops the apply.
    await page.click('#btn-stop');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-text').innerText()).to.contain(runId);
    await page.click('#confirm-cancel');
    expect(await new Journal(w.store).stopRequested(runId)).to.equal(false);
    await page.click('#btn-stop');
    await page.click('#confirm-ok');
    await page.locator('#toast', { hasText: 'Stop requested' }).waitFor();
    const stopped = await applying;
    expect(stopped.status).to.equal('interrupted');
    await page.locator('#run-status', { hasText: 'INTERRUPTED' }).waitFor({ timeout: 10_000 });
    const open: string[] = [];
    for (const tr of await page.locator('#tasks tbody tr').all()) {
      if ((await tr.locator('.badge').innerText()) !== 'COMPLETED') open.push((await tr.getAttribute('data-task'))!);
    }
    expect(open.length).to.be.at.least(1);

    // Resume the same apply: the open page follows it; an open task changes state to COMPLETED.
    const resuming = apply(w.client, w.store, plan, { clock: realClock(40) });
    await page.locator('#run-status', { hasText: 'RUNNING' }).waitFor({ timeout: 10_000 });
    await page.locator(`#tasks tr[data-task="${open[0]}"] .badge`, { hasText: 'COMPLETED' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#tree .badge', { hasText: 'COMPLETED' }).count()).to.be.greaterThan(0);

    // The map (a Chart.js scatter) has every ship of the plan, and the markets the plan uses.
    // (Strings, not functions: tsx would wrap a named inner function in a helper the page lacks.)
    const map = (await page.evaluate(`(() => {
      const sets = Chart.getChart('map').data.datasets;
      const of = (label) => sets.find((d) => d.label === label).data;
      return { ships: of('ships').map((p) => p.label), used: of('markets the plan uses').length };
    })()`)) as { ships: string[]; used: number };
    // Every ship with a task is on it, and only the plan's fleet (under a rate limit the plan may leave a ship idle).
    const ships = [...new Set(plan.tasks.map((t) => t.ship))];
    const onMap = map.ships.map((l: string) => l.split(' ')[0]);
    expect(onMap).to.include.members(ships);
    expect(plan.fleet.map((f) => f.symbol)).to.include.members(onMap);
    expect(map.used).to.be.at.least(3);
    await page.evaluate(`document.getElementById('toast').replaceChildren()`);
    await screenshot(page, 'run-page');
    await screenshotBand(page, 'run-overview', 'header.top', '#tasks');
    await screenshotBand(page, 'run-factories-map', '#t-factories', '#money');
    const done = await resuming;
    expect(done.status).to.equal('completed');
    await page.locator('#run-status', { hasText: 'COMPLETED' }).waitFor({ timeout: 10_000 });

    // The Gantt has flights and trades; the event stream has steps and filters by ship.
    const gantt = (await page.evaluate(`Chart.getChart('gantt').data.datasets.map((d) => [d.label, d.data.length])`)) as Array<[string, number]>;
    expect(Object.fromEntries(gantt).flight).to.be.greaterThan(0);
    expect(Object.fromEntries(gantt).trade).to.be.greaterThan(0);
    // A reactor cooldown journaled (as an extraction crew or a jump writes it) shows on its ship's lane as its own kind, in the legend.
    const journal = new Journal(w.store);
    const seqNow = await journal.lastStepSeq(runId);
    const coolAt = Date.now();
    await journal.appendStep({ seq: seqNow + 1, runId, ship: ships[0]!, kind: 'cooldown', waypoint: 'X1-T-AST', wait: { seconds: 70, reason: 'reactor cooldown after extract at X1-T-AST', until: new Date(coolAt + 2000).toISOString() }, at: new Date(coolAt).toISOString() });
    await page.waitForFunction(`Chart.getChart('gantt').data.datasets.find((d) => d.label === 'reactor cooldown')?.data.length === 1`, undefined, { timeout: 10_000 });
    const cooldown = (await page.evaluate(`Chart.getChart('gantt').data.datasets.find((d) => d.label === 'reactor cooldown').data[0]`)) as { y: string; label: string };
    expect(cooldown).to.deep.include({ y: ships[0], label: 'reactor cooldown after extract at X1-T-AST' });
    expect(await page.locator('#gantt-legend').innerText()).to.contain('reactor cooldown');
    expect(await page.locator('#events tbody tr').count()).to.be.greaterThan(5);
    await page.selectOption('#f-ship', ships[0]!);
    const shipsShown = await page.locator('#events tbody tr td:nth-child(3)').allInnerTexts();
    expect(new Set(shipsShown)).to.deep.equal(new Set([ships[0]]));
    await page.selectOption('#f-ship', '');

    // A step deep-links: the row is highlighted even when the filters would hide it.
    const seq = await page.locator('#events tbody tr').nth(3).getAttribute('id');
    await page.selectOption('#f-kind', 'dock');
    await page.goto(`${dash.url}#run=${runId}&step=${seq!.slice(5)}`);
    await page.locator(`#events tr.focus#${seq}`).waitFor();
    await page.selectOption('#f-kind', '');

    const violations = await axe(page);
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);

    expect(errors).to.deep.equal([]);
  });
});

describe('browser: the map of a run across systems (sector simulator)', function () {
  this.timeout(120_000);
  let w: SectorWorld;
  let dash: RunningDashboard;
  let browser: Browser;
  after(async () => {
    await browser?.close();
    await dash?.close();
    await w?.close();
  });

  it('draws the sector (systems, jumps made) and one panel per system, each with its gate, its markets the plan uses and the ships in it', async () => {
    w = await sectorWorld({ timeScale: 1000 });
    await w.setBuilt(SECTOR.homeGate, true);
    await w.chart(SECTOR.nearGate);
    const { plan } = await w.plan(w.spec('LASER_RIFLES', 2));
    const out = await applyPlan({ plan, client: w.client, store: w.store, clock: realClock(1000), renderer: 'silent' });
    expect(out.status, out.message).to.equal('completed');
    dash = await startDashboard({ storeFile: w.store.file, allowControl: false, alertAfterMs: 600_000 });
    browser = await launchBrowser();
    const page = browser.page;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${dash.url}#run=${out.runId}`);
    await page.locator('#run-status', { hasText: 'COMPLETED' }).waitFor({ timeout: 10_000 });
    await page.locator('#maps section[data-system]').nth(2).waitFor({ timeout: 10_000 });
    // Home first, then the systems crossed (by name): the ship went home → X1-QJ48 → X1-VW73.
    expect(await page.locator('#maps section[data-system]').evaluateAll((els) => els.map((e) => e.getAttribute('data-system')))).to.deep.equal([SECTOR.home, SECTOR.near, SECTOR.far]);
    const panels = (await page.evaluate(`(() => [...document.querySelectorAll('#maps section[data-system] canvas')].map((c) => {
      const sets = Chart.getChart(c).data.datasets;
      const of = (label) => sets.find((d) => d.label === label).data;
      return { gate: of('jump gate').map((p) => p.label.split(':')[0]), ships: of('ships').map((p) => p.label.split(' ')[0]), used: of('markets the plan uses').map((p) => p.label.split(':')[0]) };
    }))()`)) as Array<{ gate: string[]; ships: string[]; used: string[] }>;
    const ship = plan.tasks[0]!.ship;
    expect(panels[0]!.gate).to.deep.equal([SECTOR.homeGate]);
    expect(panels[1]!.gate).to.deep.equal([SECTOR.nearGate]);
    expect(panels.map((p) => p.ships)).to.deep.equal([[], [], [ship]]);
    expect(panels[2]!.used).to.include(plan.tasks[0]!.source.waypoint);
    // The sector: the three systems, and the two jumps the ship made (drawn solid), named below it.
    const sector = (await page.evaluate(`(() => {
      const sets = Chart.getChart('map-sector').data.datasets;
      const of = (label) => sets.find((d) => d.label === label).data;
      return { systems: of('systems').map((p) => p.label.split(':')[0]), made: of('jumps made').filter((p) => !Number.isNaN(p.x)).length };
    })()`)) as { systems: string[]; made: number };
    expect(sector.systems).to.deep.equal([`${SECTOR.home} (home)`, SECTOR.near, SECTOR.far]);
    expect(sector.made).to.equal(4); // two segments, each from and to
    expect(await page.locator('#map-jumps').innerText()).to.match(new RegExp(`${SECTOR.homeGate} → ${SECTOR.nearGate} \\(planned, made 1×\\)`));
    await screenshotBand(page, 'run-sector-map', '#t-map', '#t-events');
    const violations = await axe(page);
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });
});

describe('browser: dashboard controls, read-only mode and the no-progress alert', function () {
  this.timeout(60_000);
  let dir: string;
  let store: Store;
  let browser: Browser;
  const dashes: RunningDashboard[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-dash-browser-'));
    store = await Store.open(path.join(dir, 'store.sqlite'));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    for (const d of dashes) await d.close();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a stalled run raises the alert on the page and as an NDJSON event; a dead holder\'s lock is removed after a confirmation; read-only refuses', async () => {
    const w = await applyWorld({ haulers: 0 });
    let plan: PlanFile;
    try {
      plan = await planFor(w.client, w.store, adaptSpec('iron.yaml', w.dir));
    } finally {
      await w.close();
    }
    const journal = new Journal(store);
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    const run = { runId: 'run-stalled', planId: plan.planId, agentSymbol: plan.lineage.agentSymbol, status: 'running' as const, startedAt, updatedAt: startedAt, attempts: 1, pid: process.pid, host: os.hostname(), timeScale: 1, activeMs: 0, api: { requests: 3, purchases: 0, sales: 0, rateLimited: 1, errors: 0 }, plan };
    await journal.createRun(run);
    // Held by this (live) process: RUNNING, with no step for a minute.
    // The lock row, written as apply writes it (the store's locks table, compare-and-set).
    const setLock = async (h: object): Promise<void> => {
      const cur = await store.lockRow(run.agentSymbol);
      expect(await store.lockTake(run.agentSymbol, cur?.holder, JSON.stringify(h))).to.be.a('number');
    };
    const holder = { runId: run.runId, pid: process.pid, host: os.hostname(), acquiredAt: startedAt, heartbeatAt: new Date().toISOString() };
    await setLock(holder);

    const log = path.join(dir, 'alerts.ndjson');
    const dash = await startDashboard({ storeFile: store.file, allowControl: true, alertAfterMs: 30_000, alertCheckMs: 200, logJson: log });
    dashes.push(dash);
    const { page } = browser;
    // The runs list: status, target, plan id, agent, start, and the lock holder (host, pid, heartbeat age).
    await page.goto(dash.url);
    const row = page.locator(`#runs tbody tr[data-run="${run.runId}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    const target = `${plan.spec.target.quantity} ${plan.spec.target.good}`;
    expect(cells[0]).to.equal(run.runId);
    expect(cells[1]).to.equal('RUNNING');
    expect([cells[2], cells[4], cells[5]]).to.deep.equal([target, plan.planId.slice(0, 12), run.agentSymbol]);
    expect(cells[6]).to.match(/\d/);
    expect(cells[7]).to.match(new RegExp(`^pid ${process.pid} on ${os.hostname()}, heartbeat \\d+s ago$`));
    await page.goto(`${dash.url}#run=${run.runId}`);
    await page.locator('#alerts .alert[data-alert="run-stalled"]').waitFor();
    expect(await page.locator('#alerts').innerText()).to.match(/no progress for 1 min/);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ runId: 'run-stalled', type: 'alert' });
    expect(lines[0].data.thresholdSeconds).to.equal(30);

    // The holder dies (a pid that is not alive on this host): the run shows INTERRUPTED, Unlock appears.
    await setLock({ ...holder, pid: 2 ** 22 + 12345 });
    await page.locator('#run-status', { hasText: 'INTERRUPTED' }).waitFor();
    await page.locator('#alerts .alert').waitFor({ state: 'detached' });
    // By keyboard: focus the control, Enter opens the dialog (focus on Cancel), Escape closes it.
    await page.focus('#btn-unlock');
    await page.keyboard.press('Enter');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.evaluate(`document.activeElement.id`)).to.equal('confirm-cancel');
    await page.keyboard.press('Escape');
    await page.locator('#confirm').waitFor({ state: 'hidden' });
    expect(await store.lockRow(run.agentSymbol)).to.not.equal(undefined);
    await page.click('#btn-unlock');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.locator('#confirm-text').innerText()).to.contain(run.agentSymbol);
    await page.click('#confirm-ok');
    await page.locator('#toast', { hasText: 'Removed the lock' }).waitFor();
    expect(await store.lockRow(run.agentSymbol)).to.equal(undefined);
    const violations = await axe(page);
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);

    // Read-only: the buttons are disabled and the server refuses a control even with a token.
    const ro = await startDashboard({ storeFile: store.file });
    dashes.push(ro);
    await setLock({ ...holder, heartbeatAt: new Date().toISOString() });
    await page.goto(`${ro.url}#run=${run.runId}`);
    await page.locator('#mode', { hasText: 'read-only' }).waitFor();
    await page.locator('#run-status', { hasText: 'RUNNING' }).waitFor();
    expect(await page.locator('#btn-stop').isDisabled()).to.equal(true);
    const refused = await page.evaluate(async (id) => (await fetch(`/api/runs/${id}/stop`, { method: 'POST', headers: { 'x-st-goods-control': 'x' } })).status, run.runId);
    expect(refused).to.equal(403);
    expect(await journal.stopRequested(run.runId)).to.equal(false);
  });
});
