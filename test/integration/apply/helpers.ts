import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { SpaceTradersClient } from '../../../src/api/client.js';
import { Secret } from '../../../src/config/redact.js';
import { realClock } from '../../../src/executor/clock.js';
import { applyPlan, type ApplyOptions, type ApplyOutcome } from '../../../src/executor/apply.js';
import { recordObservation } from '../../../src/market/cache.js';
import type { PlanFile } from '../../../src/plan/types.js';
import { createPlan } from '../../../src/planner/create.js';
import { Store } from '../../../src/state/store.js';
import { loadSupplyChain } from '../../../src/supply-chain/index.js';
import { withSim, type TestSim, type WithSimOptions } from '../../helpers/sim.js';

export const TIME_SCALE = 2000;

/** A simulator on the X1-AD75 world with a rich agent that bought `haulers` light haulers. */
export async function applyWorld(opts: { haulers?: number; sim?: WithSimOptions } = {}): Promise<{
  sim: TestSim;
  client: SpaceTradersClient;
  store: Store;
  dir: string;
  close(): Promise<void>;
}> {
  const sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: TIME_SCALE, seed: 5, config: { startingCredits: 5_000_000 }, ...opts.sim });
  const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
  const probe = (await client.listShips()).find((s) => s.cargo.capacity === 0)!;
  for (let i = 0; i < (opts.haulers ?? 1); i++) await client.purchaseShip('SHIP_LIGHT_HAULER', probe.nav.waypointSymbol);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-apply-int-'));
  const store = await Store.open(path.join(dir, 'store.sqlite'));
  return {
    sim,
    client,
    store,
    dir,
    async close() {
      await store.close().catch(() => undefined);
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An example spec adapted to the sim agent: any cargo ship, a larger budget, optional overrides. */
export function adaptSpec(example: string, dir: string, edit: (spec: Record<string, any>) => void = () => undefined): string {
  const spec = YAML.parse(fs.readFileSync(path.join('plans', example), 'utf8')) as Record<string, any>;
  delete spec.fleet;
  spec.policy.maxCredits = 2_000_000;
  if (spec.target.deliver?.contract) spec.target.deliver = 'hold';
  edit(spec);
  const out = path.join(dir, `${Math.random().toString(36).slice(2, 8)}-${example}`);
  fs.writeFileSync(out, YAML.stringify(spec));
  return out;
}

export async function planFor(client: SpaceTradersClient, store: Store, specFile: string): Promise<PlanFile> {
  const created = await createPlan({ specFile, client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: '0.0.0-test' });
  return created.plan;
}

export function apply(client: SpaceTradersClient, store: Store, plan: PlanFile, extra: Partial<ApplyOptions> = {}): Promise<ApplyOutcome> {
  return applyPlan({ plan, client, store, clock: realClock(TIME_SCALE), onObservation: (m) => recordObservation(store, m), ...extra });
}
