/**
 * (issue 14) An extraction world for the e2e test and scripts/crash-torture.ts (`--paths
 * extraction`): two mining drones and a surveyor at the PRECIOUS_METAL asteroid X1-AD75-B39 and a
 * light hauler at X1-AD75-B7, a spec that mines GOLD_ORE (no market sells it with enough supply)
 * and feeds it to B7's GOLD factory, and the check that every unit is accounted for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Journal, type TaskRecord } from '../../src/state/journal.js';
import { Store } from '../../src/state/store.js';
import type { Task } from '../../src/plan/types.js';
import type { E2EWorld } from './apply-helpers.js';

export const SITE = 'X1-AD75-B39';
export const FACTORY = 'X1-AD75-B7';

export interface ExtractionCrew {
  drones: string[];
  surveyor: string;
  hauler: string;
}

async function addShips(w: E2EWorld, type: string, waypoint: string, count = 1): Promise<string[]> {
  const res = await fetch(`${w.sim.sim.adminUrl}/agents/${w.sim.agentSymbol}/ships`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shipType: type, waypointSymbol: waypoint, count }) });
  if (!res.ok) throw new Error(`admin ships: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: { ships: string[] } }).data.ships;
}

/** The crew's ships, placed by the simulator's admin endpoint. */
export async function extractionCrew(w: E2EWorld): Promise<ExtractionCrew> {
  const drones = await addShips(w, 'SHIP_MINING_DRONE', SITE, 2);
  const [surveyor] = await addShips(w, 'SHIP_SURVEYOR', SITE);
  const [hauler] = await addShips(w, 'SHIP_LIGHT_HAULER', FACTORY);
  return { drones, surveyor: surveyor!, hauler: hauler! };
}

/** A spec: `ore` GOLD_ORE mined by the crew and sold into B7's import (feeding its GOLD), or (`gold`) GOLD made from it and kept. */
export function extractionSpec(w: E2EWorld, crew: ExtractionCrew, opts: { ore?: number; gold?: number; name?: string } = {}): string {
  const name = opts.name ?? 'gold-ore';
  const file = path.join(w.dir, `${name}.yaml`);
  const ships = [...crew.drones, crew.surveyor, crew.hauler];
  const target = opts.gold !== undefined ? `  good: GOLD\n  quantity: ${opts.gold}\n  deliver: hold\n` : `  good: GOLD_ORE\n  quantity: ${opts.ore ?? 40}\n  deliver: {sell: ${FACTORY}}\n`;
  const make = opts.gold !== undefined ? '  make: [GOLD]\n' : '';
  fs.writeFileSync(file, `name: ${name}\nsystem: X1-AD75\ntarget:\n${target}fleet:\n  ships: [${ships.join(', ')}]\npolicy:\n  maxCredits: 500000\n  productionTimeout: 6h\n${make}`);
  return file;
}

/**
 * Every GOLD_ORE unit accounted for, hold by hold, from the journal and the game: for each miner,
 * what it extracted less what it still holds is what the hauler pulled from it; what the hauler
 * pulled less what it delivered is what it holds; what it delivered is what the journal's sales
 * say and what the factory's market recorded; the run completed with no open intent.
 */
export async function verifyExtraction(w: E2EWorld, crew: ExtractionCrew, planId: string): Promise<{ problems: string[]; extracted: number; delivered: number }> {
  const problems: string[] = [];
  const store = await Store.open(w.store);
  try {
    const j = new Journal(store);
    const runId = await j.runForPlan(w.sim.agentSymbol, planId);
    const run = runId ? await j.getRun(runId) : undefined;
    if (!runId || !run) return { problems: ['no run in the journal'], extracted: 0, delivered: 0 };
    if (run.status !== 'completed') problems.push(`run status ${run.status}: ${run.message ?? ''}`);
    const tasks = await j.getTasks(runId, run.plan.tasks.map((t) => t.id));
    for (const t of tasks.values()) if (t.pending) problems.push(`open ${t.pending.kind} intent in ${t.taskId}`);
    const crewTasks = run.plan.tasks.filter((t) => t.source.kind === 'extract' && t.good === 'GOLD_ORE');
    const recOf = (t: Task): TaskRecord => tasks.get(t.id)!;
    const haul = crewTasks.find((t) => t.source.kind === 'extract' && t.source.role === 'haul')!;
    const hr = recOf(haul);
    const held = async (ship: string): Promise<number> => (await w.client.getShip(ship)).cargo.inventory.find((i) => i.symbol === 'GOLD_ORE')?.units ?? 0;
    let extracted = 0;
    for (const drone of crew.drones) {
      const yields = crewTasks.filter((t) => t.ship === drone || recOf(t).ship === drone).reduce((s, t) => s + (recOf(t).extraction?.yields['GOLD_ORE'] ?? 0), 0);
      const pulled = hr.extraction?.pulled[`GOLD_ORE@${drone}`] ?? 0;
      const left = await held(drone);
      extracted += yields;
      if (yields - left !== pulled) problems.push(`${drone}: extracted ${yields}, holds ${left}, but the hauler pulled ${pulled} (${yields - left - pulled > 0 ? 'lost' : 'counted twice'})`);
    }
    const haulerHolds = await held(crew.hauler);
    const pulledAll = Object.entries(hr.extraction?.pulled ?? {}).filter(([k]) => k.startsWith('GOLD_ORE@')).reduce((s, [, v]) => s + v, 0);
    if (hr.acquired !== pulledAll) problems.push(`haul acquired ${hr.acquired} but pulled ${pulledAll}`);
    if (run.plan.spec.target.good === 'GOLD_ORE' && hr.delivered !== haul.quantity) problems.push(`delivered ${hr.delivered}, expected ${haul.quantity}`);
    if (pulledAll - hr.delivered !== haulerHolds) problems.push(`hauler pulled ${pulledAll}, delivered ${hr.delivered}, holds ${haulerHolds}`);
    const steps = await j.steps(runId);
    const sold = steps.filter((s) => (s.kind === 'sell.result' || s.kind === 'sell.reconciled') && s.intent?.good === 'GOLD_ORE' && s.result?.happened).reduce((s, x) => s + x.result!.units, 0);
    if (sold !== hr.delivered) problems.push(`journal sales ${sold} != delivered ${hr.delivered}`);
    const hauler = await w.client.getShip(crew.hauler);
    if (hauler.nav.waypointSymbol === FACTORY) {
      const m = await w.client.getMarket('X1-AD75', FACTORY);
      const tx = (m.transactions ?? []).filter((t) => t.shipSymbol === crew.hauler && t.tradeSymbol === 'GOLD_ORE' && t.type === 'SELL').reduce((s, t) => s + t.units, 0);
      if (tx !== hr.delivered) problems.push(`the market recorded ${tx} GOLD_ORE sold by ${crew.hauler}, the journal ${hr.delivered}`);
    }
    const jettisonedWanted = crewTasks.reduce((s, t) => s + (recOf(t).extraction?.jettisoned['GOLD_ORE'] ?? 0), 0);
    if (jettisonedWanted) problems.push(`${jettisonedWanted} GOLD_ORE jettisoned`);
    return { problems, extracted, delivered: hr.delivered };
  } finally {
    await store.close();
  }
}
