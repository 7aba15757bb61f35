import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { SpaceTradersClient } from '../api/client.js';
import { Secret } from '../config/redact.js';
import { recordObservation } from '../market/cache.js';
import { writePlan } from '../plan/file.js';
import type { DecisionNode, PlanFile } from '../plan/types.js';
import { renderText } from '../plan/render.js';
import { createPlan } from '../planner/create.js';
import { SIM_ACCOUNT_TOKEN, startSim } from '../sim/index.js';
import { Store } from '../state/store.js';
import { loadSupplyChain } from '../supply-chain/index.js';
import { applyPlan, type ApplyOutcome } from '../executor/apply.js';
import { realClock } from '../executor/clock.js';
import type { RendererKind } from '../executor/scheduler.js';
import { detectServer } from '../executor/time-scale.js';
import { loadStatus, renderStatus, type StatusReport } from '../executor/status-view.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface DemoOptions {
  /** Example spec under plans/ (default advanced-circuitry.yaml). */
  spec?: string;
  timeScale?: number;
  rateLimit?: boolean;
  haulers?: number;
  /** Where to keep the store and the plan (default: a new temp dir). */
  dir?: string;
  renderer: RendererKind;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Called with the store's file once it exists, before anything is applied (`demo --dashboard`). */
  onStore?: (file: string) => Promise<void>;
}

export interface DemoResult {
  dir: string;
  planFile: string;
  store: string;
  agentSymbol: string;
  outcome: ApplyOutcome;
  status: StatusReport;
}

/** One paragraph saying what the plan will do: what is made where, from what, on how many ships. */
export function storyOf(plan: PlanFile): string {
  const made: string[] = [];
  const walk = (n: DecisionNode): void => {
    if (n.action === 'MAKE') {
      const inputs = n.inputs.map((i) => `${i.good} (${i.action === 'MAKE' ? `made at ${i.waypoint}` : `bought at ${i.waypoint}`})`);
      made.push(`${n.quantity} ${n.good} at the factory ${n.waypoint}, fed ${inputs.join(' and ') || 'nothing'}`);
    }
    n.inputs.forEach(walk);
  };
  walk(plan.decisions);
  const ships = new Set(plan.tasks.map((t) => t.ship)).size;
  const how = `${plan.tasks.length} task(s) on ${ships} ship(s), independent ones in parallel`;
  if (made.length === 0) return `This plan buys ${plan.decisions.quantity} ${plan.decisions.good} at ${plan.decisions.waypoint}: ${how}.`;
  return `This plan MAKES ${made.join('; then ')}: it sells the inputs to each factory, waits for its supply of the output to be up, and buys the output there. ${how}.`;
}

/**
 * The quick start: a simulator in this process (the captured X1-AD75 system), a new agent with
 * enough credits, light haulers bought where the probe sits (a shipyard), the example spec
 * planned and applied with the progress UI, then the status. Nothing touches the real API.
 * The default example, plans/advanced-circuitry.yaml, MAKES (policy.make): with the frigate and
 * two haulers its feeds run on three ships at once.
 */
export const DEMO_DEFAULTS = { spec: 'advanced-circuitry.yaml', timeScale: 300, haulers: 2 } as const;

/** Runs the quick start (see DEMO_DEFAULTS); returns where its files are and how the run ended. */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-demo-'));
  fs.mkdirSync(dir, { recursive: true });
  const timeScale = opts.timeScale ?? DEMO_DEFAULTS.timeScale;
  const sim = await startSim({
    port: 0,
    world: path.join(ROOT, 'worlds/X1-AD75.json'),
    timeScale,
    rateLimit: opts.rateLimit ?? true,
    seed: 1,
    config: { startingCredits: 2_000_000 },
    log: () => undefined,
  });
  const store = await Store.open(path.join(dir, 'demo.sqlite'));
  try {
    if (opts.onStore) await opts.onStore(store.file);
    opts.log(`Simulator on ${sim.baseUrl} (system X1-AD75, time scale ${timeScale}x, rate limit ${opts.rateLimit ?? true ? 'on' : 'off'}).`);
    const anon = new SpaceTradersClient({ baseUrl: sim.baseUrl, limiter: opts.rateLimit === false ? false : undefined });
    const symbol = `DEMO${Date.now().toString(36).slice(-6).toUpperCase()}`;
    const reg = await anon.register({ symbol, faction: 'COSMIC' } as never, new Secret(SIM_ACCOUNT_TOKEN));
    const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(reg.token), limiter: opts.rateLimit === false ? false : undefined });
    opts.log(`Registered agent ${reg.agent.symbol} with ${reg.agent.credits.toLocaleString('en-US')} credits.`);
    const probe = (await client.listShips()).find((s) => s.cargo.capacity === 0)!;
    for (let i = 0; i < (opts.haulers ?? DEMO_DEFAULTS.haulers); i++) {
      const bought = await client.purchaseShip('SHIP_LIGHT_HAULER', probe.nav.waypointSymbol);
      opts.log(`Bought light hauler ${bought.ship.symbol} at ${probe.nav.waypointSymbol}.`);
    }
    const specName = opts.spec ?? DEMO_DEFAULTS.spec;
    const spec = YAML.parse(fs.readFileSync(path.join(ROOT, 'plans', specName), 'utf8')) as Record<string, any>;
    // The demo agent is richer than a new one and has haulers: say what of the spec it changes.
    const changes: string[] = [];
    if (spec.fleet?.ships) {
      delete spec.fleet;
      changes.push('fleet.ships dropped (every ship with a hold is used)');
    }
    if (spec.target?.deliver?.contract) {
      spec.target.deliver = 'hold';
      changes.push('target.deliver contract → hold (the demo agent has no contract for it)');
    }
    const maxCredits = Math.max(Number(spec.policy?.maxCredits ?? 0), 1_000_000);
    if (maxCredits !== spec.policy?.maxCredits) changes.push(`policy.maxCredits ${Number(spec.policy?.maxCredits ?? 0).toLocaleString('en-US')} → ${maxCredits.toLocaleString('en-US')}`);
    if (spec.policy?.reserveCredits !== 50_000) changes.push(`policy.reserveCredits ${Number(spec.policy?.reserveCredits ?? 10_000).toLocaleString('en-US')} → 50,000`);
    spec.policy = { ...spec.policy, maxCredits, reserveCredits: 50_000 };
    if (changes.length) opts.log(`The demo changes plans/${specName} for its richer agent: ${changes.join('; ')}.`);
    const specFile = path.join(dir, specName);
    fs.writeFileSync(specFile, YAML.stringify(spec));
    const server = await detectServer(sim.baseUrl);
    const created = await createPlan({ specFile, client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: 'demo', server });
    const planFile = path.join(dir, specName.replace(/\.ya?ml$/, '.plan.yaml'));
    writePlan(planFile, created.plan);
    opts.log('');
    opts.log(renderText(created.plan).trimEnd());
    opts.log(`\n${storyOf(created.plan)}`);
    opts.log(`Plan written to ${planFile}. Applying it:\n`);
    const outcome = await applyPlan({
      plan: created.plan,
      client,
      store,
      clock: realClock(timeScale),
      renderer: opts.renderer,
      signal: opts.signal,
      onObservation: (m) => recordObservation(store, m),
    });
    const status = await loadStatus(store, outcome.runId);
    opts.log('');
    opts.log(renderStatus(status));
    opts.log(`\nThe journal is in ${store.file}: \`st-goods status --store ${store.file}\` reads it again.`);
    return { dir, planFile, store: store.file, agentSymbol: reg.agent.symbol, outcome, status };
  } finally {
    await store.close().catch(() => undefined);
    await sim.close();
  }
}
