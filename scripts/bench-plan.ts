/**
 * Benchmark of `st-goods plan` (npm run bench:plan): plans the deepest targets of the real
 * supply chain against the in-process simulator, cold cache (fresh store) then warm cache, and
 * records for each the wall time of planning excluding time spent waiting on the API, and the API
 * requests made. Writes bench/results/plan.json. No timing assertions anywhere: figures only.
 *
 * World: the generated ~30-market world when the simulator offers it, else worlds/X1-AD75.json
 * (25 markets); the file says which. Policy minSupplyToBuy ABUNDANT and mode cheapest force the
 * planner down the tree (MAKE wherever a factory exists), the expensive case.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import YAML from 'yaml';
import { SpaceTradersClient } from '../src/api/client.js';
import { Secret } from '../src/config/redact.js';
import type { DecisionNode } from '../src/plan/types.js';
import { createPlan, type PlanClient } from '../src/planner/create.js';
import { Store } from '../src/state/store.js';
import { loadSupplyChain } from '../src/supply-chain/index.js';
import { withSim } from '../test/helpers/sim.js';
import { MarketView } from '../src/market/view.js';
import { captureView, inputsOf, plan, REAL_MAP, ship } from '../test/unit/planner/helpers.js';

const TARGETS = ['BOTANICAL_SPECIMENS', 'LAB_INSTRUMENTS', 'ADVANCED_CIRCUITRY', 'SHIP_PARTS', 'SHIP_PLATING', 'JEWELRY'];
const ROUNDS = 3;

/**
 * default: the example specs' policy (prefer-buy, MODERATE). force-make: only HIGH supply may be
 * bought, so that the planner searches the whole tree (in a world seen mostly through estimates
 * this ends in a refusal naming why: still the expensive search).
 */
const SCENARIOS = [
  { name: 'default', mode: 'prefer-buy', minSupply: 'MODERATE' },
  { name: 'force-make', mode: 'prefer-buy', minSupply: 'HIGH' },
] as const;

/**
 * Deep trees: the real X1-AD75 capture, every market observed, but every EXPORT drained to
 * LIMITED, so nothing manufactured can be bought and the planner makes its way down to what the
 * exchanges sell (the raw goods).
 */
function deepTrees(): unknown[] {
  const rows: unknown[] = [];
  const capture = captureView();
  const view = new MarketView({
    system: capture.system,
    listings: capture.listings(),
    observations: capture.observations().map((o) => (o.type === 'EXPORT' ? { ...o, supply: 'LIMITED' as const } : o)),
    now: capture.now,
    inputsOf: inputsOf(REAL_MAP),
  });
  for (const good of TARGETS) {
    const times: number[] = [];
    let shape: Record<string, unknown> = {};
    for (let r = 0; r < ROUNDS * 3; r++) {
      const t = performance.now();
      try {
        const body = plan(view, good, 40, { fleet: [ship('B-1', 'X1-AD75-A1', 40, 36), ship('B-2', 'X1-AD75-H52', 80, 15), ship('B-3', 'X1-AD75-H51', 80, 15)], policy: { minSupplyToBuy: 'MODERATE', maxCredits: 1e9 }, credits: 1e9 });
        shape = { decisionNodes: size(body.decisions), depth: depth(body.decisions), tasks: body.tasks.length, root: body.decisions.action };
      } catch (e) {
        shape = { refused: (e as Error).message.slice(0, 160) };
      }
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const row = { scenario: 'deep-tree (in-process, X1-AD75 capture, exports drained to LIMITED)', good, ...shape, medianPlanMs: +times[Math.floor(times.length / 2)]!.toFixed(2), requests: 0, rounds: times.length };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  return rows;
}

/** Wraps the client so that time inside API calls can be subtracted from planning time. */
function timed(client: SpaceTradersClient): { client: PlanClient; apiMs: () => number; calls: () => number; reset: () => void } {
  let ms = 0;
  const start = client.metrics.snapshot().requestsTotal;
  const wrap = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    const t = performance.now();
    try {
      return await f(...a);
    } finally {
      ms += performance.now() - t;
    }
  };
  const c: PlanClient = {
    getStatus: wrap(client.getStatus.bind(client)),
    getAgent: wrap(client.getAgent.bind(client)),
    listShips: wrap(client.listShips.bind(client)),
    listWaypoints: wrap(client.listWaypoints.bind(client)),
    getMarket: wrap(client.getMarket.bind(client)),
    getContract: wrap(client.getContract.bind(client)),
    getWaypoint: wrap(client.getWaypoint.bind(client)),
  };
  // HTTP requests actually sent (every page of a listing counts), from the client's metrics.
  return { client: c, apiMs: () => ms, calls: () => client.metrics.snapshot().requestsTotal - start, reset: () => (ms = 0) };
}

function depth(n: DecisionNode): number {
  return 1 + Math.max(0, ...n.inputs.map(depth));
}
function size(n: DecisionNode): number {
  return 1 + n.inputs.reduce((a, c) => a + size(c), 0);
}

async function main(): Promise<void> {
  let world = 'generated';
  let sim;
  try {
    sim = await withSim({ world: 'generated', seed: 1, timeScale: 1, config: { startingCredits: 50_000_000 } });
  } catch {
    world = 'worlds/X1-AD75.json';
    sim = await withSim({ world: path.resolve(world), seed: 1, timeScale: 1, config: { startingCredits: 50_000_000 } });
  }
  const api = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
  const markets = (await api.listWaypoints(sim.registered?.data?.agent?.headquarters?.split('-').slice(0, 2).join('-') ?? 'X1-AD75', { traits: 'MARKETPLACE' })).length;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-plan-'));
  const supplyChain = loadSupplyChain();
  const results: unknown[] = [];
  for (const scenario of SCENARIOS) for (const good of TARGETS) {
    const specFile = path.join(dir, `${good}.yaml`);
    fs.writeFileSync(specFile, YAML.stringify({ name: `bench-${good}`, target: { good, quantity: 40, deliver: 'hold' }, policy: { mode: scenario.mode, minSupply: scenario.minSupply, maxCredits: 40_000_000 } }));
    for (const cache of ['cold', 'warm'] as const) {
      const samples: Array<{ wallMs: number; apiMs: number; planMs: number; requests: number }> = [];
      let shape: Record<string, unknown> = {};
      for (let r = 0; r < ROUNDS; r++) {
        const storeFile = path.join(dir, cache === 'cold' ? `${scenario.name}-cold-${good}-${r}.sqlite` : `${scenario.name}-warm-${good}.sqlite`);
        const store = await Store.open(storeFile);
        if (cache === 'warm' && r === 0) {
          const t0 = timed(api);
          await createPlan({ specFile, client: t0.client, store, supplyChain, now: new Date(), toolVersion: 'bench' }).catch(() => undefined);
        }
        const t = timed(api);
        const start = performance.now();
        try {
          const created = await createPlan({ specFile, client: t.client, store, supplyChain, now: new Date(), toolVersion: 'bench' });
          const wallMs = performance.now() - start;
          samples.push({ wallMs, apiMs: t.apiMs(), planMs: wallMs - t.apiMs(), requests: t.calls() });
          shape = { decisionNodes: size(created.plan.decisions), depth: depth(created.plan.decisions), tasks: created.plan.tasks.length, root: created.plan.decisions.action };
        } catch (e) {
          shape = { refused: (e as Error).message.slice(0, 200) };
          samples.push({ wallMs: performance.now() - start, apiMs: t.apiMs(), planMs: performance.now() - start - t.apiMs(), requests: t.calls() });
        }
        await store.close();
      }
      const med = (k: 'wallMs' | 'apiMs' | 'planMs' | 'requests') => samples.map((s) => s[k]).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
      const row = { scenario: scenario.name, good, cache, ...shape, medianPlanMsExcludingApi: +med('planMs').toFixed(2), medianApiMs: +med('apiMs').toFixed(2), medianWallMs: +med('wallMs').toFixed(2), requests: med('requests'), rounds: ROUNDS };
      results.push(row);
      console.log(JSON.stringify(row));
    }
  }
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
  results.push(...deepTrees());
  const out = { benchmark: 'plan', world, markets, node: process.version, cpus: os.cpus().length, date: new Date().toISOString(), results };
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/plan.json', `${JSON.stringify(out, null, 2)}\n`);
  console.log('wrote bench/results/plan.json');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
