import { systemOfKnown } from '../api/symbols.js';
import type { PlanBody, Task, TaskRoute } from './types.js';

/**
 * (issue 13) The routes of a plan that crosses systems, as text and Markdown: for each task its
 * crossings (legs, gate → gate jumps with their antimatter and cooldown), the cooldown waits and
 * the gates it relies on being built; in Markdown also a Mermaid map of the systems involved.
 */

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

function routed(plan: PlanBody): Array<Task & { route: TaskRoute }> {
  return plan.tasks.filter((t): t is Task & { route: TaskRoute } => t.route !== undefined);
}

function crossingText(c: TaskRoute['crossings'][number]): string {
  const jumps = c.jumps.map((j) => `${j.from} ⇒ ${j.to} (${n(j.antimatter)} cr${j.estimated ? ' est.' : ''}, cooldown ${j.cooldownSeconds}s)`).join(', ');
  return `${c.from} → ${c.to}${c.times > 1 ? ` ×${c.times}` : ''}: ${jumps}`;
}

/** Lines for `plan`'s text summary (empty when no task leaves home). */
export function routeLines(plan: PlanBody): string[] {
  const tasks = routed(plan);
  if (tasks.length === 0) return [];
  const lines = ['', `Routes across systems (home ${plan.sector?.home ?? plan.spec.system}):`];
  for (const t of tasks) {
    lines.push(`  ${t.id}  ${n(t.route.antimatterCredits)} cr antimatter, ${t.route.cooldownWaitSeconds}s cooldown waits, relies on gates ${t.route.gates.join(', ')}`);
    for (const c of t.route.crossings) lines.push(`    ${crossingText(c)}`);
  }
  const unbuilt = (plan.sector?.gates ?? []).filter((g) => !g.built);
  if (unbuilt.length) lines.push(`  unbuilt gates (not crossed): ${unbuilt.map((g) => `${g.gate}${g.construction ? ` (${g.construction})` : ''}`).join('; ')}`);
  return lines;
}

const id = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** A "Systems and routes" Markdown section (empty when no task leaves home). */
export function routesMarkdown(plan: PlanBody): string[] {
  const tasks = routed(plan);
  if (tasks.length === 0 || !plan.sector) return [];
  const out = ['## Systems and routes', ''];
  const used = new Set<string>();
  const jumps = new Map<string, { from: string; to: string; tasks: Set<string> }>();
  for (const t of tasks) {
    for (const c of t.route.crossings) {
      for (const j of c.jumps) {
        used.add(systemOfKnown(j.from));
        used.add(systemOfKnown(j.to));
        const key = `${j.from}>${j.to}`;
        if (!jumps.has(key)) jumps.set(key, { from: j.from, to: j.to, tasks: new Set() });
        jumps.get(key)!.tasks.add(t.id);
      }
    }
  }
  out.push('```mermaid');
  out.push('graph LR');
  const gates = plan.sector.gates;
  // The systems crossed, and their unbuilt neighbours (dashed): what the routes avoid.
  const shown = new Set(used);
  for (const g of gates) if (used.has(g.system)) for (const c of g.connections ?? []) if (!gates.find((x) => x.gate === c)?.built) shown.add(systemOfKnown(c));
  for (const g of gates.filter((x) => shown.has(x.system))) {
    const label = `${g.system}${g.system === plan.sector.home ? ' (home)' : ''}<br/>gate ${g.gate}${g.built ? '' : '<br/>UNDER CONSTRUCTION'}`;
    out.push(`  ${id(g.system)}["${label}"]`);
  }
  for (const j of jumps.values()) out.push(`  ${id(systemOfKnown(j.from))} -->|${j.tasks.size} task(s)| ${id(systemOfKnown(j.to))}`);
  for (const g of gates.filter((x) => used.has(x.system))) {
    for (const c of g.connections ?? []) {
      const far = gates.find((x) => x.gate === c);
      if (far && !far.built) out.push(`  ${id(g.system)} -.-x ${id(far.system)}`);
    }
  }
  out.push('```');
  out.push('');
  out.push('| task | crossing | jumps (antimatter, cooldown) | cooldown waits | gates relied on |');
  out.push('|---|---|---|---:|---|');
  for (const t of tasks) {
    for (const [i, c] of t.route.crossings.entries()) {
      const hops = c.jumps.map((j) => `${j.from} ⇒ ${j.to} (${n(j.antimatter)}${j.estimated ? ' est.' : ''}, ${j.cooldownSeconds}s)`).join('<br/>');
      const legs = c.legs.map((l) => `${l.from} → ${l.to}`).join(', ');
      out.push(`| ${i === 0 ? cell(t.id) : ''} | ${c.from} → ${c.to}${c.times > 1 ? ` ×${c.times}` : ''}<br/>flights: ${legs || 'none'} | ${hops} | ${i === 0 ? `${t.route.cooldownWaitSeconds}s` : ''} | ${i === 0 ? t.route.gates.join(', ') : ''} |`);
    }
  }
  out.push('');
  return out;
}
