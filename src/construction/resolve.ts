import { GameError } from '../api/errors.js';
import type { Construction, Waypoint } from '../api/types.js';
import { invalidInput } from '../cli/errors.js';
import type { PlanConstruction } from '../plan/types.js';
import { billText } from './bill.js';

/** The spec's name for the jump gate of the system it works in. */
export const HOME_GATE = 'home-gate';

/** The reads planning a construction target makes (SpaceTradersClient satisfies it). */
export interface ConstructionLookup {
  listWaypoints(system: string, filters: { type: 'JUMP_GATE' }): Promise<Waypoint[]>;
  getConstruction(system: string, waypoint: string): Promise<Construction>;
}

/** One material the plan delivers: the good and the units it still needs. */
export interface MaterialTarget {
  good: string;
  quantity: number;
  /** Why the quantity differs from the spec's, when it does (the site needs fewer). */
  note?: string;
}

export interface ResolvedConstruction {
  plan: PlanConstruction;
  /** The materials to deliver, in bill order; empty when nothing is left to deliver. */
  targets: MaterialTarget[];
  /** Read requests made. */
  requests: number;
}

const remainingOf = (m: { required: number; fulfilled: number }): number => Math.max(0, m.required - m.fulfilled);

/**
 * The construction site a spec supplies, read for the plan (`GET …/construction` is a public
 * read): `home-gate` is the JUMP_GATE of `system`. With `good`, that material (at most what the
 * site still needs; none when it is met); without, every material still short (the whole bill).
 * A site that does not exist, is not under construction, or does not need `good` is an
 * INVALID_INPUT UserError naming the site, its bill and the fix.
 */
export async function resolveConstruction(client: ConstructionLookup, system: string, site: string, want?: { good: string; quantity: number }): Promise<ResolvedConstruction> {
  let requests = 0;
  let waypoint = site;
  if (site === HOME_GATE) {
    const gates = await client.listWaypoints(system, { type: 'JUMP_GATE' });
    requests += 1;
    if (gates.length === 0) {
      throw invalidInput(`The spec supplies home-gate, but ${system} has no jump gate.`, 'Name the construction site\'s waypoint instead (target.construction or target.deliver.construction), or work in a system with a gate.');
    }
    waypoint = [...gates].sort((a, b) => (a.symbol < b.symbol ? -1 : 1))[0]!.symbol;
  } else if (!waypoint.startsWith(`${system}-`)) {
    throw invalidInput(`The construction site ${waypoint} is not in ${system}, the system the spec works in.`, `Supply a site of ${system} (home-gate is its jump gate), or change the spec's system.`);
  }
  let c: Construction;
  try {
    c = await client.getConstruction(system, waypoint);
    requests += 1;
  } catch (e) {
    if (e instanceof GameError && e.status === 404) {
      throw invalidInput(`${waypoint} is not a construction site: the game has no construction there (404).`, `Check the waypoint; \`home-gate\` names ${system}'s jump gate.`);
    }
    throw e;
  }
  const materials = c.materials.map((m) => ({ good: m.tradeSymbol, required: m.required, fulfilled: m.fulfilled }));
  const plan: PlanConstruction = { waypoint, site, materials, isComplete: c.isComplete };
  if (!want) {
    const targets = c.isComplete ? [] : materials.filter((m) => remainingOf(m) > 0).map((m) => ({ good: m.good, quantity: remainingOf(m) }));
    return { plan, targets, requests };
  }
  const material = materials.find((m) => m.good === want.good);
  if (!material) {
    throw invalidInput(
      `The construction at ${waypoint} does not need ${want.good}: its bill is ${billText(materials)}.`,
      `Set target.good to a material of the bill, or write target: {construction: ${site}} alone to deliver everything it still needs; then re-run \`st-goods plan\`.`,
    );
  }
  const left = c.isComplete ? 0 : remainingOf(material);
  if (left >= want.quantity) return { plan, targets: [{ good: want.good, quantity: want.quantity }], requests };
  const note = `the site still needs only ${left} of the spec's ${want.quantity} ${want.good} (${material.fulfilled}/${material.required} delivered${c.isComplete ? ', construction complete' : ''})`;
  return { plan, targets: [{ good: want.good, quantity: left, note }], requests };
}
