import { recordObservation } from '../../../src/market/cache.js';
import type { applyWorld } from '../apply/helpers.js';

/** One of the simulator's admin endpoints (/_sim/...). */
export async function admin(w: { sim: { sim: { adminUrl: string } } }, route: string, body: unknown): Promise<any> {
  const res = await fetch(`${w.sim.sim.adminUrl}/${route}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const json = (await res.json()) as any;
  if (res.status !== 200) throw new Error(`admin ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Flies the agent's hauler to `waypoint` and caches what it sees there, so that plans rest on an observation, not an estimate. */
export async function observe(w: Awaited<ReturnType<typeof applyWorld>>, waypoint: string): Promise<void> {
  const ship = (await w.client.listShips()).find((s) => s.registration.role === 'HAULER')!;
  if (ship.nav.waypointSymbol !== waypoint) {
    if (ship.nav.status === 'DOCKED') await w.client.orbit(ship.symbol);
    await w.client.navigate(ship.symbol, waypoint);
    for (let i = 0; i < 400 && (await w.client.getShip(ship.symbol)).nav.status === 'IN_TRANSIT'; i++) await new Promise((r) => setTimeout(r, 25));
  }
  await recordObservation(w.store, await w.client.getMarket(ship.nav.systemSymbol, waypoint));
}

