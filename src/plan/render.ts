import { billText } from '../construction/bill.js';
import { expectedPnl } from '../pnl/expected.js';
import { planTargets, targetsText } from './targets.js';
import type { DecisionNode, PlanBody, PlanFile, Task, TaskDestination } from './types.js';
import { routeLines, routesMarkdown } from './render-routes.js';

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** 5400 → "1h30m", 95 → "1m35s". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

export function destinationText(d: TaskDestination): string {
  switch (d.kind) {
    case 'feed':
      return `feed ${d.forGood} factory ${d.waypoint}`;
    case 'hold':
      return 'keep in hold';
    case 'sell':
      return `sell at ${d.waypoint}`;
    case 'contract':
      return `contract ${d.contractId} at ${d.waypoint}`;
    case 'construction':
      return `supply construction at ${d.waypoint}`;
  }
}

/** (issue 14) What an extraction task does, with the crew's rate, cooldown and survey use. */
export function extractionText(t: Task): string | undefined {
  const x = t.source;
  if (x.kind !== 'extract') return undefined;
  const verb = x.method === 'EXTRACT' ? 'mine' : 'siphon';
  const survey = x.rate.surveyed ? `surveyed by ${x.surveyor}` : x.method === 'EXTRACT' ? 'no surveys' : 'no surveys (gas giant)';
  const rate = `${x.rate.unitsPerHour} u/h for the crew, ${Math.round(x.rate.share * 100)}% of yields, cooldown ${x.rate.cooldownSeconds}s, ${survey}`;
  if (x.role === 'haul') {
    const self = x.miners.includes(t.ship) ? `${t.ship} mines too` : `from ${x.miners.join(', ')} by transfer`;
    return `${verb}s ${t.quantity} ${t.good} at ${x.waypoint} (${self}; ${rate}), unwanted yields ${x.unwanted === 'sell' ? 'sold' : 'jettisoned'}`;
  }
  if (x.role === 'survey') return `surveys ${x.waypoint} for ${t.good} for the crew of ${x.crew} (${rate})`;
  return `${verb}s ~${t.quantity} ${t.good} at ${x.waypoint} for the crew of ${x.crew} (${rate})`;
}

function shipsOf(plan: PlanBody, node: DecisionNode): string {
  const ships = [...new Set(plan.tasks.filter((t) => node.taskIds.includes(t.id)).map((t) => t.ship))].sort();
  return ships.join(', ');
}

export function budgetOf(plan: PlanBody): number {
  return plan.spec.policy.maxCredits;
}

/** The concise summary `plan` prints and `show` renders by default. */
export function renderText(plan: PlanFile): string {
  const lines: string[] = [];
  const t = plan.spec.target;
  lines.push(`Plan ${plan.planId.slice(0, 19)}… for ${plan.spec.name}: ${targetsText(plan)} in ${plan.spec.system} (${destinationText(t.deliver)})`);
  lines.push(`  agent ${plan.lineage.agentSymbol}, reset ${plan.lineage.resetDate}; made ${plan.createdAt}, expires ${plan.expiresAt}`);
  if (plan.contract) lines.push(`  ${contractText(plan.contract)}`);
  if (plan.construction) lines.push(`  ${constructionText(plan.construction)}`);
  lines.push('');
  if (plan.tasks.length === 0) {
    lines.push(`${plan.decisions.reason.replace(/^nothing to do: /, 'Nothing to do: ')}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push('Decisions:');
  const walk = (node: DecisionNode, depth: number): void => {
    const pad = '  '.repeat(depth + 1);
    const est = node.priceBasis === 'estimated' ? ' [estimated prices]' : '';
    lines.push(`${pad}${node.action} ${node.quantity} ${node.good} @ ${node.waypoint}  ~${n(node.estimatedCost)} cr  ships ${shipsOf(plan, node)}${est}`);
    lines.push(`${pad}  why: ${node.reason}`);
    if (node.declined.length) lines.push(`${pad}  declined: ${node.declined.length} market(s) (st-goods show --format markdown lists them)`);
    node.inputs.forEach((c) => walk(c, depth + 1));
  };
  for (const target of planTargets(plan)) walk(target.decisions, 0);
  lines.push('');
  lines.push(`Tasks: ${plan.tasks.length} on ${new Set(plan.tasks.map((x) => x.ship)).size} ship(s)`);
  for (const task of plan.tasks) {
    const deps = task.dependsOn.length ? ` after ${task.dependsOn.join(', ')}` : '';
    if (task.source.kind === 'aboard') {
      const what = task.clear ? `sells ${task.quantity} ${task.good} it holds (not used by this plan) to make room` : `${task.quantity} already aboard, carried`;
      lines.push(`  ${task.id}  ${task.ship}  ${what}: ${destinationText(task.destination)}${deps}`);
      continue;
    }
    const extraction = extractionText(task);
    if (extraction) {
      lines.push(`  ${task.id}  ${task.ship}  ${extraction}${task.source.kind === 'extract' && task.source.role === 'haul' ? `: ${destinationText(task.destination)} in ${task.trips.length} trip(s)` : ''}${deps}`);
      continue;
    }
    const est = task.guards.estimated ? ' (from estimates: apply re-derives it from the first real ask)' : '';
    lines.push(`  ${task.id}  ${task.ship}  ${task.quantity} in ${task.trips.length} trip(s)  ≤${n(task.guards.maxUnitPrice)}/u${est}${deps}`);
  }
  lines.push(...routeLines(plan));
  const held = plan.fleet.filter((f) => f.cargo?.length);
  if (held.length) {
    lines.push('');
    lines.push('Cargo aboard when planned:');
    for (const f of held) lines.push(`  ${f.symbol}  ${f.cargo!.map((c) => `${c.units} ${c.good}`).join(', ')} (hold ${f.cargoCapacity})`);
  }
  lines.push('');
  const e = plan.estimates;
  lines.push('Totals:');
  lines.push(`  credits      ~${n(e.credits)} of budget ${n(budgetOf(plan))} (reserve ${n(plan.spec.policy.reserveCredits)} kept)`);
  lines.push(`  fuel         ${n(e.fuel)} units`);
  lines.push(`  game time    ${timeText(plan)}`);
  lines.push(`  API requests ~${n(e.apiRequests)}`);
  const profit = expectedPnl(plan);
  if (profit) {
    const pct = `${(profit.margin * 100).toFixed(1)}%`;
    lines.push(`  profit       ~${n(profit.net)} expected (revenue ${n(profit.revenue)}${profit.clearing ? ` + clearing ${n(profit.clearing)}` : ''} − cost ${n(profit.cost)}; margin ${pct})${profit.nodes.estimated ? ' [estimated prices]' : ''}`);
    for (const l of profit.losing) lines.push(`  loses        ${l.good} [${l.action}] @ ${l.waypoint}: ~${n(l.unitCost)}/u to make, earns ~${n(l.unitValue)}/u (${n(l.net)})`);
  }
  const estimated = plan.tasks.length && planTargets(plan).some((x) => hasEstimates(x.decisions));
  if (estimated) lines.push('  note: some prices are ESTIMATES (markets no ship has observed); apply re-checks every price guard.');
  return `${lines.join('\n')}\n`;
}

/**
 * The plan's time: the schedule's end (ships do one task at a time), the critical path as the
 * lower bound it is, and the ship work summed. Plans from before makespanSeconds show the bound.
 */
export function timeText(plan: PlanBody): string {
  const e = plan.estimates;
  const ships = new Set(plan.tasks.map((t) => t.ship)).size;
  const work = `${duration(e.gameSeconds)} of ship work on ${ships} ship(s)`;
  if (e.makespanSeconds === undefined) return `at least ${duration(e.criticalPathSeconds)} (critical path); ${work}`;
  const p = e.pacing;
  const paced = p ? ` (game time at ${p.timeScale}x${p.rateLimited ? `, ${p.secondsPerRequest}s a request under the rate limit, ${duration(p.requestFloorSeconds)} for all of them` : ', no rate limit'})` : '';
  return `~${duration(e.makespanSeconds)} by the schedule (each ship one task at a time)${paced}, at least ${duration(e.criticalPathSeconds)} (critical path); ${work}`;
}

/** What apply will do with the plan's contract, and what the game pays for it. */
export function contractText(c: NonNullable<PlanBody['contract']>): string {
  const accept = c.accepted ? 'already accepted' : `not accepted yet: apply accepts it before buying anything (pays ${n(c.onAccepted)})`;
  const fulfil = c.fulfils
    ? `apply fulfils it once delivered (pays ${n(c.onFulfilled)})`
    : `this plan delivers part of the ${c.unitsRequired - c.unitsFulfilled} still needed, so it is not fulfilled yet (pays ${n(c.onFulfilled)} when it is)`;
  return `contract ${c.id}: ${accept}; ${fulfil}; deadline ${c.deadline}`;
}

/** The construction site as planned: its bill, and what apply does at it. */
export function constructionText(c: NonNullable<PlanBody['construction']>): string {
  const site = c.site === c.waypoint ? c.waypoint : `${c.site} (${c.waypoint})`;
  return `construction ${site}: ${c.isComplete ? 'complete' : 'under construction'}, bill ${billText(c.materials)} when planned; apply supplies it, a material met ends its tasks`;
}

function hasEstimates(node: DecisionNode): boolean {
  return node.priceBasis === 'estimated' || node.inputs.some(hasEstimates);
}

const mermaidId = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown for pull-request review: a Mermaid graph of the decision tree and a task table. */
export function renderMarkdown(plan: PlanFile): string {
  const out: string[] = [];
  const t = plan.spec.target;
  out.push(`# Plan: ${plan.spec.name}`);
  out.push('');
  out.push(`**${targetsText(plan)}** in \`${plan.spec.system}\`, ${destinationText(t.deliver)}.`);
  out.push('');
  out.push('| | |');
  out.push('|---|---|');
  out.push(`| plan id | \`${plan.planId}\` |`);
  out.push(`| agent / reset | ${plan.lineage.agentSymbol} / ${plan.lineage.resetDate} |`);
  out.push(`| created / expires | ${plan.createdAt} / ${plan.expiresAt} |`);
  out.push(`| spec hash | \`${plan.specHash}\` |`);
  out.push(`| mode | ${plan.spec.policy.mode}, min supply to buy ${plan.spec.policy.minSupplyToBuy}${plan.spec.policy.make?.length ? `, make ${plan.spec.policy.make.join(', ')}` : ''}${plan.spec.policy.extract?.length ? `, extract ${plan.spec.policy.extract.join(', ')}` : ''} |`);
  out.push(`| credits | ~${n(plan.estimates.credits)} of ${n(plan.spec.policy.maxCredits)} (reserve ${n(plan.spec.policy.reserveCredits)}) |`);
  out.push(`| fuel | ${n(plan.estimates.fuel)} |`);
  out.push(`| game time | ${cell(timeText(plan))} |`);
  out.push(`| API requests | ~${n(plan.estimates.apiRequests)} |`);
  if (plan.contract) out.push(`| contract | ${cell(contractText(plan.contract))} |`);
  if (plan.construction) out.push(`| construction | ${cell(constructionText(plan.construction))} |`);
  out.push('');
  out.push('## Decisions');
  out.push('');
  out.push('```mermaid');
  out.push('graph TD');
  let k = 0;
  const walk = (node: DecisionNode, parent?: string): void => {
    const id = `n${k++}_${mermaidId(node.good)}`;
    const est = node.priceBasis === 'estimated' ? '<br/>estimated prices' : '';
    out.push(`  ${id}["${node.action} ${node.quantity} ${node.good}<br/>${node.waypoint}<br/>~${n(node.estimatedCost)} cr${est}"]`);
    if (parent) out.push(`  ${id} -->|feeds| ${parent}`);
    node.inputs.forEach((c) => walk(c, id));
  };
  for (const target of planTargets(plan)) walk(target.decisions);
  out.push('```');
  out.push('');
  const reasons = (node: DecisionNode): void => {
    out.push(`- **${node.action} ${node.good}** at \`${node.waypoint}\`: ${node.reason}`);
    for (const d of node.declined) out.push(`  - declined \`${d.waypoint}\`: ${d.why}`);
    node.inputs.forEach(reasons);
  };
  planTargets(plan).forEach((x) => reasons(x.decisions));
  out.push('');
  const extraction = plan.tasks.filter((x) => x.source.kind === 'extract');
  if (extraction.length) {
    out.push('## Extraction');
    out.push('');
    out.push('| task | ship | role | site | rate | cooldown | survey | unwanted |');
    out.push('|---|---|---|---|---:|---:|---|---|');
    for (const x of extraction) {
      const s = x.source as Extract<Task['source'], { kind: 'extract' }>;
      out.push(`| ${cell(x.id)} | ${x.ship} | ${s.role} | ${s.waypoint}${s.alternates.length ? ` (then ${s.alternates.join(', ')})` : ''} | ${s.rate.unitsPerHour} u/h (${Math.round(s.rate.share * 100)}% of yields) | ${s.rate.cooldownSeconds}s | ${s.rate.surveyed ? `surveys by ${s.surveyor}` : 'none'} | ${s.unwanted} |`);
    }
    out.push('');
  }
  out.push('## Tasks');
  out.push('');
  out.push('| task | ship | good | qty | trips | from | to | max price | after | credits | fuel | time |');
  out.push('|---|---|---|---:|---|---|---|---:|---|---:|---:|---:|');
  for (const task of plan.tasks) out.push(taskRow(task));
  out.push('');
  out.push(...routesMarkdown(plan));
  return `${out.join('\n')}\n`;
}

function taskRow(t: Task): string {
  const from =
    t.source.kind === 'factory'
      ? `${t.source.waypoint} (factory: buy from ${t.source.resumeSupply}, pause below ${t.source.minSupply})`
      : t.source.kind === 'aboard'
        ? `already aboard at ${t.source.waypoint}${t.clear ? ' (cleared: not used by this plan)' : ''}`
        : t.source.kind === 'extract'
          ? `${t.source.method === 'EXTRACT' ? 'mined' : 'siphoned'} at ${t.source.waypoint} (${t.source.role})`
          : t.source.waypoint;
  // Trips, with the units of each: "2 (40+20)".
  return `| ${cell(t.id)} | ${t.ship} | ${t.good} | ${t.quantity} | ${t.trips.length} (${t.trips.join('+')}) | ${from} | ${cell(destinationText(t.destination))} | ${n(t.guards.maxUnitPrice)}${t.guards.estimated ? ' (estimated)' : ''} | ${cell(t.dependsOn.join(', ') || '-')} | ${n(t.estimate.credits)} | ${t.estimate.fuel} | ${duration(t.estimate.gameSeconds)} |`;
}
