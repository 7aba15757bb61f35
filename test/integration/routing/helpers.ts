import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { SpaceTradersClient } from '../../../src/api/client.js';
import { Secret } from '../../../src/config/redact.js';
import { createPlan } from '../../../src/planner/create.js';
import { Store } from '../../../src/state/store.js';
import { loadSupplyChain } from '../../../src/supply-chain/index.js';
import { apiCall, withSim, type TestSim, type WithSimOptions } from '../../helpers/sim.js';

/**
 * A 12-system sector (seed 3): home X1-TA50, its gate X1-TA50-M26 UNDER_CONSTRUCTION; one jump
 * away X1-QJ48 (a core system: ROBOTIC_DRONES is exported there and nowhere nearer), X1-WD86 and
 * X1-YU88 built, X1-BU96, X1-EL30 and X1-ME90 unbuilt; two jumps away through X1-QJ48, X1-VW73
 * (LASER_RIFLES, nowhere nearer). Every gate but home's starts UNCHARTED.
 */
export const SECTOR = { seed: 3, systems: 12, home: 'X1-TA50', homeGate: 'X1-TA50-M26', near: 'X1-QJ48', nearGate: 'X1-QJ48-AA48', far: 'X1-VW73' } as const;

export interface SectorWorld {
  sim: TestSim;
  client: SpaceTradersClient;
  dir: string;
  store: Store;
  admin(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Finishes (or un-finishes) a gate's construction through the admin endpoint. */
  setBuilt(gate: string, complete: boolean): Promise<void>;
  /** Charts a gate the real way: a probe the admin puts there charts it (POST /my/ships/{s}/chart). */
  chart(gate: string): Promise<void>;
  spec(good: string, quantity: number, extra?: Record<string, unknown>): string;
  plan(specFile: string): ReturnType<typeof createPlan>;
  close(): Promise<void>;
}

export async function sectorWorld(opts: WithSimOptions = {}): Promise<SectorWorld> {
  const sim = await withSim({ world: 'sector', systems: SECTOR.systems, seed: SECTOR.seed, timeScale: 1000, config: { startingCredits: 2_000_000 }, ...opts });
  const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-sector-'));
  const store = await Store.open(path.join(dir, 'store.sqlite'));
  const admin = (method: string, p: string, body?: unknown) => apiCall(sim.sim.adminUrl, method, p, body, null);
  let n = 0;
  return {
    sim,
    client,
    dir,
    store,
    admin,
    async setBuilt(gate, complete) {
      const r = await admin('PUT', `/jump-gates/${gate}`, { built: complete });
      if (r.status !== 200) throw new Error(`setBuilt ${gate}: ${r.status} ${JSON.stringify(r.body)}`);
    },
    async chart(gate) {
      const r = await admin('POST', `/agents/${sim.agentSymbol}/ships`, { shipType: 'SHIP_PROBE', waypointSymbol: gate });
      await client.createChart(r.body.data.ships[0]);
    },
    spec(good, quantity, extra = {}) {
      const file = path.join(dir, `spec-${++n}.yaml`);
      const { policy, ...rest } = extra as { policy?: Record<string, unknown> };
      fs.writeFileSync(file, YAML.stringify({ name: `${good.toLowerCase()}-${n}`, target: { good, quantity }, policy: { maxCredits: 400_000, ...policy }, ...rest }));
      return file;
    },
    plan(specFile) {
      return createPlan({ specFile, client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: '0.0.0-test' });
    },
    async close() {
      await store.close();
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
