import type { DecisionNode, Task } from '../plan/types.js';
import { constructionStatus, type ConstructionStatus } from '../construction/status.js';
import { Journal, actualSpend, type RunRecord, type ShipRecord, type TaskRecord } from '../state/journal.js';
import type { Store } from '../state/store.js';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { extractionLine, extractionStatus, type ExtractionStatus } from './extraction/status.js';
import { realizedPnl, type RunPnl } from '../pnl/realized.js';
import { renderPnl } from '../pnl/render.js';
import { surplusReport, type SurplusReport } from '../surplus/report.js';
import { AgentLock, deadReason, hostId, leaseMs, pidAlive, type LockHolder } from '../state/lock.js';

export type NodeState = 'COMPLETED' | 'IN_PROGRESS' | 'WAITING' | 'FAILED' | 'PENDING';

export interface StatusNode {
  good: string;
  action: DecisionNode['action'];
  quantity: number;
  waypoint: string;
  state: NodeState;
  ships: string[];
  acquired: number;
  delivered: number;
  reason?: string;
  inputs: StatusNode[];
}

/** What `st-goods status` shows, read from the journal apply writes (schemas/status.schema.json). */
export interface StatusReport {
  runId: string;
  planId: string;
  agentSymbol: string;
  status: RunRecord['status'];
  startedAt: string;
  updatedAt: string;
  endedAt?: string;
  attempts: number;
  target: { good: string; quantity: number };
  /**
   * unitsAcquired/unitsDelivered sum every task, inputs fed to factories included; targetUnits is
   * the target alone: kept in holds (already aboard when planned included), sold, or delivered.
   */
  progress: { tasksCompleted: number; tasks: number; percent: number; unitsAcquired: number; unitsDelivered: number; targetUnits: number };
  credits: { spent: number; fuel: number; budget: number; estimate: number; earned: number };
  /** The run's realized profit and loss (src/pnl), from the journal's transactions. */
  pnl: RunPnl;
  /** Game time: on a simulator faster than real time, its game seconds (timeScale per wall second). */
  gameSeconds: { elapsed: number; estimate: number; criticalPath: number; makespan?: number; timeScale: number; eta?: number };
  api: RunRecord['api'];
  tree: StatusNode;
  /** (issue 13) The other targets' trees (a whole construction bill: one per material). */
  otherTrees?: StatusNode[];
  /** (issue 13) The construction site the plan supplies: its bill, the rate, the ETA. */
  construction?: ConstructionStatus;
  /** (issue 15) The plan's goods the run left in holds beyond what it needs: sold (where, for what), left (why) or kept (policy.surplus). */
  surplus?: SurplusReport;
  tasks: Array<{
    id: string;
    good: string;
    status: TaskRecord['status'];
    ship: string;
    acquired: number;
    delivered: number;
    quantity: number;
    spent: number;
    step?: string;
    reason?: string;
    /** A ceiling the plan derived from estimates, re-derived by apply from the first real ask. */
    ceiling?: TaskRecord['ceiling'];
    /** (issue 14) An extraction task: rate, cooldown, survey. */
    extraction?: ExtractionStatus;
  }>;
  ships: Array<{ ship: string; state: ShipRecord['state']; step?: string; taskId?: string; reason?: string }>;
  lock?: LockHolder;
  message?: string;
}

export async function loadStatus(store: Store, runId?: string): Promise<StatusReport> {
  const journal = new Journal(store);
  const id = runId ?? (await journal.latestRunId());
  if (!id) {
    throw new UserError({ code: 'NO_RUN', exitCode: ExitCode.INVALID_INPUT, message: 'There is no apply run in this store yet.', hint: 'Run `st-goods apply PLAN` first, or pass --store FILE to read another store.' });
  }
  const run = await journal.getRun(id);
  if (!run) {
    throw new UserError({ code: 'NO_RUN', exitCode: ExitCode.INVALID_INPUT, message: `There is no run ${id} in this store.`, hint: 'Run `st-goods status` without a RUN to see the latest run.' });
  }
  const plan = run.plan;
  const tasks = await journal.getTasks(id, plan.tasks.map((t) => t.id));
  const shipSymbols = [...new Set([...plan.tasks.map((t) => t.ship), ...[...tasks.values()].map((t) => t.ship).filter(Boolean)])];
  const ships = await journal.getShips(id, shipSymbols);
  const steps = await journal.steps(id);
  const pnl = realizedPnl({ plan, tasks, steps, creditsAtStart: run.creditsAtStart });
  const surplus = surplusReport(run, steps);
  const recOf = (t: Task): TaskRecord => tasks.get(t.id) ?? { taskId: t.id, status: 'pending', ship: t.ship, acquired: 0, delivered: 0, spent: 0, earned: 0, trips: 0, updatedAt: run.startedAt };
  const taskList = plan.tasks.map((t) => {
    const r = recOf(t);
    const extraction = extractionStatus(t, r, Date.now(), run.timeScale);
    return { id: t.id, good: t.good, status: r.status, ship: r.ship || t.ship, acquired: r.acquired, delivered: r.delivered, quantity: t.quantity, spent: r.spent, step: r.step, reason: r.reason, ...(r.ceiling ? { ceiling: r.ceiling } : {}), ...(extraction ? { extraction } : {}) };
  });
  const done = taskList.filter((t) => t.status === 'completed').length;
  const fuel = [...ships.values()].reduce((a, s) => a + s.fuelSpent, 0);
  const elapsed = Math.round((run.activeMs / 1000) * run.timeScale);
  const critical = plan.estimates.criticalPathSeconds;
  const percent = plan.tasks.length ? Math.round((100 * done) / plan.tasks.length) : 100;
  const holder = await AgentLock.read(store, run.agentSymbol);
  const site = plan.construction ? constructionStatus(plan, steps, recOf, run.timeScale) : undefined;
  // "running" in the journal but no live lock holder for it: the apply process died (kill -9, crash).
  let status = run.status;
  let message = run.message;
  if (run.status === 'running') {
    const dead =
      !holder ||
      holder.runId !== id ||
      deadReason(holder, { now: Date.now, host: hostId(), isPidAlive: pidAlive, staleAfterMs: leaseMs() }) !== undefined;
    if (dead) {
      status = 'interrupted';
      message = `The apply process of this run is gone (killed or crashed at ${run.updatedAt}); re-run the same apply to resume.`;
    }
  }
  return {
    runId: id,
    planId: run.planId,
    agentSymbol: run.agentSymbol,
    status,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    endedAt: run.endedAt,
    attempts: run.attempts,
    target: { good: plan.spec.target.good, quantity: plan.spec.target.quantity },
    progress: {
      tasksCompleted: done,
      tasks: plan.tasks.length,
      percent,
      unitsAcquired: taskList.reduce((a, t) => a + t.acquired, 0),
      unitsDelivered: taskList.reduce((a, t) => a + t.delivered, 0),
      targetUnits: targetUnits(plan, recOf),
    },
    credits: {
      spent: actualSpend(tasks.values(), ships.values()),
      fuel,
      budget: plan.spec.policy.maxCredits,
      estimate: plan.estimates.credits,
      earned: [...tasks.values()].reduce((a, t) => a + t.earned, 0),
    },
    pnl,
    // An ETA only while the run goes on: a finished (or stopped) run has none.
    gameSeconds: {
      elapsed,
      estimate: plan.estimates.gameSeconds,
      criticalPath: critical,
      ...(plan.estimates.makespanSeconds !== undefined ? { makespan: plan.estimates.makespanSeconds } : {}),
      timeScale: run.timeScale,
      ...(status === 'running' ? { eta: etaSeconds(plan.tasks, recOf, { nowMs: Date.now(), timeScale: run.timeScale }) } : {}),
    },
    api: run.api,
    tree: node(plan.decisions, plan.tasks, recOf),
    ...(plan.otherTargets?.length ? { otherTrees: plan.otherTargets.map((t) => node(t.decisions, plan.tasks, recOf)) } : {}),
    ...(site ? { construction: site } : {}),
    ...(surplus ? { surplus } : {}),
    tasks: taskList,
    ships: shipSymbols.map((s) => {
      const r = ships.get(s);
      return { ship: s, state: r?.state ?? 'idle', step: r?.step, taskId: r?.taskId, reason: r?.reason };
    }),
    lock: holder && holder.runId === id ? holder : undefined,
    message,
  };
}

/**
 * Game seconds still ahead: ships work in parallel, so the busiest ship's unfinished planned
 * work (a task in progress counts for the share of its units not yet delivered).
 */
export function etaSeconds(tasks: Task[], recOf: (t: Task) => TaskRecord, clock?: { nowMs: number; timeScale: number }): number {
  const perShip = new Map<string, number>();
  for (const t of tasks) {
    const r = recOf(t);
    if (r.status === 'completed' || r.status === 'skipped') continue;
    const share = t.quantity > 0 ? Math.max(0, 1 - r.delivered / t.quantity) : 1;
    let left = t.estimate.gameSeconds * share;
    // A task under way counts down from its start (game time), down to what its units still need.
    if (clock && r.startedAt && (r.status === 'running' || r.status === 'waiting')) {
      const since = Math.max(0, ((clock.nowMs - Date.parse(r.startedAt)) / 1000) * clock.timeScale);
      left = Math.max(0, Math.min(left, t.estimate.gameSeconds - since));
    }
    const ship = r.ship || t.ship;
    perShip.set(ship, (perShip.get(ship) ?? 0) + left);
  }
  return Math.round(Math.max(0, ...perShip.values()));
}

/** Units of the target done: kept in holds (with those already aboard when planned), or delivered to the sale or contract. */
function targetUnits(plan: RunRecord['plan'], recOf: (t: Task) => TaskRecord): number {
  const target = plan.spec.target;
  // An extraction crew's mine and survey tasks hand their units to its haul task: only the haul counts.
  const mine = plan.tasks.filter((t) => plan.decisions.taskIds.includes(t.id) && t.good === target.good && (t.source.kind !== 'extract' || t.source.role === 'haul'));
  if (target.deliver.kind !== 'hold') return Math.min(target.quantity, mine.reduce((a, t) => a + recOf(t).delivered, 0));
  const aboardWhenPlanned = Math.max(0, target.quantity - mine.reduce((a, t) => a + t.quantity, 0));
  return Math.min(target.quantity, aboardWhenPlanned + mine.reduce((a, t) => a + Math.min(t.quantity, recOf(t).acquired), 0));
}

function node(d: DecisionNode, tasks: Task[], recOf: (t: Task) => TaskRecord): StatusNode {
  const mine = tasks.filter((t) => d.taskIds.includes(t.id));
  const recs = mine.map(recOf);
  let state: NodeState;
  if (recs.length === 0) state = 'PENDING';
  else if (recs.every((r) => r.status === 'completed')) state = 'COMPLETED';
  else if (recs.some((r) => r.status === 'failed' || r.status === 'skipped')) state = 'FAILED';
  else if (recs.some((r) => r.status === 'running')) state = 'IN_PROGRESS';
  else if (recs.some((r) => r.status === 'waiting')) state = 'WAITING';
  else state = recs.some((r) => r.acquired > 0) ? 'IN_PROGRESS' : 'PENDING';
  return {
    good: d.good,
    action: d.action,
    quantity: d.quantity,
    waypoint: d.waypoint,
    state,
    ships: [...new Set(recs.map((r) => r.ship).filter(Boolean))],
    acquired: recs.reduce((a, r) => a + r.acquired, 0),
    delivered: recs.reduce((a, r) => a + r.delivered, 0),
    reason: recs.find((r) => r.reason)?.reason,
    inputs: d.inputs.map((i) => node(i, tasks, recOf)),
  };
}

/** The bill, one material a line, and the rate and ETA in game time. */
function constructionLines(c: ConstructionStatus): string[] {
  const rate =
    c.unitsPerHour !== undefined
      ? `; ${c.unitsPerHour} units (${c.percentPerHour}%) per game hour since the run began${c.etaSeconds !== undefined ? `, ETA ~${fmtSeconds(c.etaSeconds)}` : ''}`
      : '';
  const lines = [`Construction ${c.waypoint}: ${c.isComplete ? 'COMPLETE' : 'under construction'}, ${c.percent}% of the bill${rate} (as of ${c.observedAt || 'planning'})`];
  for (const m of c.materials) lines.push(`  ${m.good}: ${m.fulfilled}/${m.required} (${m.percent}%; ${m.byRun} by this run)`);
  return lines;
}

/** The run's surplus: each sale, what was left and why, what was kept. */
function surplusLines(s: SurplusReport): string[] {
  const lines = [`Surplus (policy.surplus: ${s.policy}; the plan's goods left in holds beyond what the run needs):`];
  for (const x of s.sold) lines.push(`  sold ${x.units} ${x.good} from ${x.ship} at ${x.waypoint} for ${x.credits.toLocaleString('en-US')} credits`);
  for (const x of s.left) lines.push(`  left ${x.units} ${x.good} on ${x.ship}: ${x.why}`);
  for (const x of s.kept) lines.push(`  kept ${x.units} ${x.good} on ${x.ship}`);
  return lines;
}

const ICON: Record<NodeState, string> = { COMPLETED: '✅', IN_PROGRESS: '⏳', WAITING: '🔄', FAILED: '❌', PENDING: '·' };

function fmtSeconds(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/** The human view: like the seed plan's status output. */
export function renderStatus(r: StatusReport): string {
  const lines: string[] = [];
  lines.push(`Run: ${r.runId}   (plan ${r.planId}, agent ${r.agentSymbol})`);
  lines.push(`Target: ${r.target.good} (qty: ${r.target.quantity})${r.otherTrees?.length ? ` + ${r.otherTrees.map((t) => `${t.good} (qty: ${t.quantity})`).join(' + ')}` : ''}`);
  lines.push(`Status: ${r.status.toUpperCase()}${r.attempts > 1 ? ` (attempt ${r.attempts})` : ''}${r.lock ? `, held by pid ${r.lock.pid} on ${r.lock.host}` : ''}`);
  lines.push(
    `Progress: ${r.progress.percent}% (${r.progress.tasksCompleted}/${r.progress.tasks} tasks complete; target ${r.progress.targetUnits} of ${r.target.quantity} ${r.target.good}; over all tasks, inputs included: ${r.progress.unitsAcquired} units acquired, ${r.progress.unitsDelivered} delivered)`,
  );
  lines.push(`Credits: ${r.credits.spent.toLocaleString('en-US')} spent of ${r.credits.budget.toLocaleString('en-US')} budget (estimate ${r.credits.estimate.toLocaleString('en-US')}; fuel ${r.credits.fuel.toLocaleString('en-US')}; earned from feeding ${r.credits.earned.toLocaleString('en-US')})`);
  lines.push(
    `Game time${r.gameSeconds.timeScale !== 1 ? ` (the simulator's, ${r.gameSeconds.timeScale}× real time)` : ''}: ${fmtSeconds(r.gameSeconds.elapsed)} elapsed${r.gameSeconds.eta !== undefined ? `, ETA ~${fmtSeconds(r.gameSeconds.eta)} of planned ship work left` : ''}; planned ${r.gameSeconds.makespan !== undefined ? `~${fmtSeconds(r.gameSeconds.makespan)}, ` : ''}at least ${fmtSeconds(r.gameSeconds.criticalPath)} (critical path)`,
  );
  lines.push(...renderPnl(r.pnl));
  const rederived = r.tasks.filter((t) => t.ceiling);
  if (rederived.length) {
    lines.push('Price ceilings re-derived from real asks (the plan had estimates):');
    for (const t of rederived) lines.push(`  ${t.id}: ${t.ceiling!.planned} → ${t.ceiling!.maxUnitPrice} (first ask seen ${t.ceiling!.observedAsk} at ${t.ceiling!.waypoint})`);
  }
  const extracting = r.tasks.filter((t) => t.extraction);
  if (extracting.length) {
    lines.push('Extraction (units of the wanted good per game hour, measured against the plan):');
    for (const t of extracting) lines.push(extractionLine(t.id, t.extraction!, Date.now()));
  }
  if (r.construction) lines.push(...constructionLines(r.construction));
  if (r.surplus) lines.push(...surplusLines(r.surplus));
  lines.push(`API requests: ${r.api.requests} (${r.api.purchases} purchases, ${r.api.sales} sales, ${r.api.rateLimited} rate-limited)`);
  lines.push('');
  lines.push('Dependency Tree:');
  const walk = (n: StatusNode, prefix: string, last: boolean, root: boolean): void => {
    const branch = root ? '' : last ? '└── ' : '├── ';
    const ships = n.ships.length ? ` (ship ${n.ships.join(', ')})` : '';
    const why = n.state === 'FAILED' && n.reason ? ` — ${n.reason}` : '';
    lines.push(`${prefix}${branch}${n.good} [${n.action}] ${ICON[n.state]} ${n.state}${ships} ${n.acquired}/${n.quantity}${why}`);
    const childPrefix = root ? '' : prefix + (last ? '    ' : '│   ');
    n.inputs.forEach((c, i) => walk(c, childPrefix, i === n.inputs.length - 1, false));
  };
  walk(r.tree, '', true, true);
  for (const t of r.otherTrees ?? []) walk(t, '', true, true);
  lines.push('');
  lines.push('Ships:');
  for (const s of r.ships) lines.push(`  ${s.ship}: ${s.state}${s.taskId ? ` [${s.taskId}]` : ''}${s.step ? ` — ${s.step}` : ''}${s.reason ? ` (${s.reason})` : ''}`);
  if (r.message) {
    lines.push('');
    lines.push(r.message);
  }
  return lines.join('\n');
}
