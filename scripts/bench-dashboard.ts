/**
 * Measures the dashboard in Debian's Chromium (headless, playwright-core), against a real apply on
 * the simulator:
 *   - bytes shipped for the page (each file, raw and as sent, gzip) and its load time;
 *   - the run page's first full draw, and what a live apply pushes (SSE messages, bytes);
 *   - latency from a journal write (a step appended by another connection) to the page: the SSE
 *     message arriving, and the row appearing in the event table.
 *
 *   npm run bench:dashboard                         # → bench/results/dashboard.json
 *   node --import tsx scripts/bench-dashboard.ts --writes 30 --out /tmp/d.json
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { chromium } from 'playwright-core';
import { SpaceTradersClient } from '../src/api/client.js';
import { Secret } from '../src/config/redact.js';
import { startDashboard } from '../src/dashboard/server.js';
import { applyPlan } from '../src/executor/apply.js';
import { realClock } from '../src/executor/clock.js';
import { recordObservation } from '../src/market/cache.js';
import { createPlan } from '../src/planner/create.js';
import { SIM_ACCOUNT_TOKEN, startSim } from '../src/sim/index.js';
import { Journal } from '../src/state/journal.js';
import { Store } from '../src/state/store.js';
import { loadSupplyChain } from '../src/supply-chain/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argOf = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const WRITES = Number(argOf('writes') ?? 30);
const OUT = argOf('out') ?? path.join(ROOT, 'bench/results/dashboard.json');
const TIME_SCALE = 200;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-dash-'));
const sim = await startSim({ port: 0, world: path.join(ROOT, 'worlds/X1-AD75.json'), timeScale: TIME_SCALE, rateLimit: false, seed: 1, config: { startingCredits: 5_000_000 }, log: () => undefined });
const store = await Store.open(path.join(dir, 'store.sqlite'));
const anon = new SpaceTradersClient({ baseUrl: sim.baseUrl, limiter: false });
const reg = await anon.register({ symbol: 'BENCHDASH', faction: 'COSMIC' } as never, new Secret(SIM_ACCOUNT_TOKEN));
const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), limiter: false });
const probe = (await client.listShips()).find((s) => s.cargo.capacity === 0)!;
for (let i = 0; i < 2; i++) await client.purchaseShip('SHIP_LIGHT_HAULER', probe.nav.waypointSymbol);
const spec = YAML.parse(fs.readFileSync(path.join(ROOT, 'plans/advanced-circuitry.yaml'), 'utf8')) as Record<string, any>;
delete spec.fleet;
spec.policy.maxCredits = 2_000_000;
const specFile = path.join(dir, 'spec.yaml');
fs.writeFileSync(specFile, YAML.stringify(spec));
const { plan } = await createPlan({ specFile, client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: 'bench' });

const dash = await startDashboard({ storeFile: store.file });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.ST_GOODS_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1000 },
});
const page = context.pages()[0] ?? (await context.newPage());

try {
  // 1. The page itself: what it costs to load (an empty store's runs list).
  await page.goto(dash.url, { waitUntil: 'load' });
  await page.locator('#live', { hasText: 'live' }).waitFor();
  const load = (await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const files = [nav, ...performance.getEntriesByType('resource')].map((e) => ({ url: new URL(e.name).pathname, sent: e.transferSize, encoded: e.encodedBodySize, raw: e.decodedBodySize }));
    return { domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd), loadMs: Math.round(nav.loadEventEnd), files };
  })()`)) as { domContentLoadedMs: number; loadMs: number; files: Array<{ url: string; sent: number; encoded: number; raw: number }> };

  // 2. A live apply: what the page receives while it runs.
  await page.evaluate(`(() => {
    window.__bench = { messages: 0, bytes: 0, byType: {} };
    const es = new EventSource('/api/stream');
    for (const t of ['runs', 'run', 'events', 'alerts']) es.addEventListener(t, (e) => { window.__bench.messages++; window.__bench.bytes += e.data.length; window.__bench.byType[t] = (window.__bench.byType[t] ?? 0) + 1; });
  })()`);
  const applyStart = Date.now();
  const applying = applyPlan({ plan, client, store, clock: realClock(TIME_SCALE), onObservation: (m) => recordObservation(store, m) });
  const runRow = page.locator('#runs tbody tr').first();
  await runRow.waitFor();
  const runId = (await runRow.getAttribute('data-run'))!;
  const outcome = await applying;
  const applySeconds = (Date.now() - applyStart) / 1000;
  await new Promise((r) => setTimeout(r, 1500));
  const pushed = (await page.evaluate('window.__bench')) as { messages: number; bytes: number; byType: Record<string, number> };
  const steps = (await new Journal(store).steps(runId)).length;

  // 3. The run page from cold: navigation to every chart drawn.
  await page.goto('about:blank');
  const t0 = Date.now();
  await page.goto(`${dash.url}#run=${runId}`);
  await page.locator('#run-title', { hasText: runId }).waitFor();
  await page.waitForFunction(`Chart.getChart('map') && Chart.getChart('gantt') && Chart.getChart('money')`);
  const runPageMs = Date.now() - t0;
  const viewBytes = (await (await fetch(`${dash.url}api/runs/${runId}`)).text()).length;

  // 4. Latency: a step appended by another connection (as apply does) → SSE message → table row.
  const journal = new Journal(store);
  const run = (await journal.getRun(runId))!;
  const live = { ...run, runId: 'run-bench-latency', status: 'running' as const, startedAt: new Date().toISOString() };
  await journal.createRun(live);
  await page.goto(`${dash.url}#run=${live.runId}`);
  await page.locator('#run-title', { hasText: live.runId }).waitFor();
  await page.evaluate(`(() => {
    window.__seen = {}; window.__rows = {};
    const es = new EventSource('/api/stream?run=${live.runId}');
    es.addEventListener('events', (e) => { for (const r of JSON.parse(e.data)) window.__seen[r.seq] = Date.now(); });
    new MutationObserver(() => { for (const tr of document.querySelectorAll('#events tbody tr')) { const n = tr.id.slice(5); if (!window.__rows[n]) window.__rows[n] = Date.now(); } }).observe(document.querySelector('#events tbody'), { childList: true });
  })()`);
  const writer = await Store.open(store.file);
  const wj = new Journal(writer);
  const wrote: Record<number, number> = {};
  for (let seq = 1; seq <= WRITES; seq++) {
    await new Promise((r) => setTimeout(r, 1000));
    wrote[seq] = Date.now();
    await wj.appendStep({ seq, runId: live.runId, ship: plan.tasks[0]!.ship, kind: 'dock', waypoint: 'X1-AD75-BENCH', at: new Date().toISOString() });
  }
  await new Promise((r) => setTimeout(r, 2000));
  await writer.close();
  const seen = (await page.evaluate('window.__seen')) as Record<string, number>;
  const rows = (await page.evaluate('window.__rows')) as Record<string, number>;
  const sse = Object.keys(wrote).map((k) => seen[k]! - wrote[Number(k)]!).filter(Number.isFinite);
  const dom = Object.keys(wrote).map((k) => rows[k]! - wrote[Number(k)]!).filter(Number.isFinite);

  const total = (k: 'sent' | 'encoded' | 'raw'): number => load.files.reduce((a, f) => a + f[k], 0);
  const result = {
    measuredAt: new Date().toISOString(),
    machine: `${os.cpus().length} cores, node ${process.version}, ${await context.browser()?.version?.() ?? 'chromium'}`,
    command: 'npm run bench:dashboard',
    pageLoad: { domContentLoadedMs: load.domContentLoadedMs, loadMs: load.loadMs, bytesSent: total('sent'), bytesEncoded: total('encoded'), bytesRaw: total('raw'), files: load.files },
    liveApply: { timeScale: TIME_SCALE, seconds: applySeconds, status: outcome.status, steps, sseMessages: pushed.messages, sseBytes: pushed.bytes, byType: pushed.byType, runViewBytes: viewBytes },
    runPageColdMs: runPageMs,
    latency: {
      writes: WRITES,
      spacingMs: 1000,
      sseMs: { p50: pct(sse, 50), p95: pct(sse, 95), max: Math.max(...sse), received: sse.length },
      rowMs: { p50: pct(dom, 50), p95: pct(dom, 95), max: Math.max(...dom), shown: dom.length },
    },
    note: 'Latency = a step appended by another SQLite connection → the page: the watcher (inotify on the store folder, 50 ms debounce), the recompute, the SSE push (at most one per 500 ms while the store keeps changing), then the row drawn. Page load is from an empty store on loopback; bytes are what Chromium reports (transferSize includes headers).',
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ pageLoad: { ...result.pageLoad, files: undefined }, liveApply: result.liveApply, runPageColdMs: runPageMs, latency: result.latency }, null, 2));
} finally {
  await context.close().catch(() => undefined);
  fs.rmSync(profile, { recursive: true, force: true });
  await dash.close();
  await store.close();
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
