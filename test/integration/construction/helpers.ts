import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpaceTradersClient } from '../../../src/api/client.js';
import { Secret } from '../../../src/config/redact.js';
import { Store } from '../../../src/state/store.js';
import { withSim, type TestSim, type WithSimOptions } from '../../helpers/sim.js';

export const HOME_GATE = 'X1-AD75-I55';

/**
 * A new agent on the captured X1-AD75 home system, set up through the simulator's admin
 * endpoints (allowed to shorten setup): credits, `haulers` light haulers at its headquarters,
 * and the home gate's bill cut to `bill` so that building it takes seconds, not game days.
 */
export async function gateWorld(opts: { haulers?: number; credits?: number; bill?: Record<string, number>; sim?: WithSimOptions } = {}) {
  const sim: TestSim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: 2000, seed: 5, ...opts.sim });
  const admin = async (method: string, p: string, body: unknown): Promise<any> => {
    const res = await fetch(`${sim.sim.adminUrl}${p}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`admin ${p}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: unknown }).data;
  };
  await admin('PUT', `/agents/${sim.agentSymbol}/credits`, { credits: opts.credits ?? 3_000_000 });
  const hq = (sim.registered.data?.agent ?? sim.registered.agent).headquarters as string;
  if ((opts.haulers ?? 2) > 0) await admin('POST', `/agents/${sim.agentSymbol}/ships`, { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: hq, count: opts.haulers ?? 2 });
  const bill = opts.bill ?? { FAB_MATS: 60, ADVANCED_CIRCUITRY: 30 };
  await admin('PUT', `/construction/${HOME_GATE}`, { materials: Object.entries(bill).map(([tradeSymbol, required]) => ({ tradeSymbol, required, fulfilled: 0 })) });
  const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-gate-'));
  const store = await Store.open(path.join(dir, 'store.sqlite'));
  const spec = (name: string, target: string, policy = ''): string => {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, `name: ${name}\ntarget: ${target}\npolicy: {maxCredits: 2500000, productionTimeout: 4h${policy}}\n`);
    return file;
  };
  return {
    sim,
    client,
    store,
    dir,
    admin,
    spec,
    site: () => client.getConstruction('X1-AD75', HOME_GATE),
    async close() {
      await store.close().catch(() => undefined);
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
