import { systemOfKnown } from '../api/symbols.js';
import type { PlanBody } from './types.js';

/**
 * (issue 16) Every system a plan involves: its home, the systems of its tasks' sources and
 * destinations, of its routes' crossings and jumps, and where its fleet was when planned. Home
 * first, then by name.
 */
export function planSystems(plan: Pick<PlanBody, 'spec' | 'tasks' | 'fleet'>): string[] {
  const home = plan.spec.system;
  const out = new Set<string>();
  const add = (wp: string): void => void out.add(systemOfKnown(wp));
  for (const t of plan.tasks) {
    add(t.source.waypoint);
    if (t.destination.kind !== 'hold') add(t.destination.waypoint);
    for (const c of t.route?.crossings ?? []) {
      add(c.from);
      add(c.to);
      for (const j of c.jumps) {
        add(j.from);
        add(j.to);
      }
    }
  }
  for (const f of plan.fleet) add(f.waypoint);
  out.delete(home);
  return [home, ...[...out].sort()];
}
