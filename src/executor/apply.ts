import crypto from 'node:crypto';
import { ExitCode } from '../cli/exit-codes.js';
import { readListings } from '../market/cache.js';
import type { PlanFile } from '../plan/types.js';
import { Journal, actualSpend, type ApiCounters, type RunRecord, type RunStatus } from '../state/journal.js';
import { AgentLock, heartbeatEveryMs, hostId, lockedError } from '../state/lock.js';
import type { Store } from '../state/store.js';
import { realClock, type Clock } from './clock.js';
import { Interrupted, RunContext } from './context.js';
import { holdsIn, sellSurplus, type SurplusOutcome } from './surplus.js';
import { unjournaledActivity, unjournaledError } from './game-check.js';
import { EventSink, type EventListener } from './events.js';
import { acceptIfNeeded, fulfillIfMet, paymentsOf, type ContractClient, type ContractPayment } from '../contracts/apply.js';
import { apiCounters, gameErrorCode, readShips, systemOf, type Agent, type GameClient, type Market } from './ports.js';
import { SiteProgress } from '../construction/progress.js';
import { billText } from '../construction/bill.js';
import { targetsText } from '../plan/targets.js';
import { schedule, type RendererKind } from './scheduler.js';
import { verifyJournalUnchanged, verifyPlanBasics } from './verify.js';
import { realizedPnl, type RunPnl } from '../pnl/realized.js';
import { PlanDriftedError, driftFromReads } from '../drift/refresh.js';

export interface ApplyOptions {
  plan: PlanFile;
  client: GameClient;
  store: Store;
  clock?: Clock;
  renderer?: RendererKind;
  /** NDJSON event log file ('-' = stdout). */
  logJson?: string;
  /** Wait this long for a live lock holder before exiting LOCKED (ms). */
  lockWaitMs?: number;
  lockStaleAfterMs?: number;
  heartbeatMs?: number;
  /** Aborted by SIGINT/SIGTERM: the call in flight finishes and is journaled, then apply exits 130. */
  signal?: AbortSignal;
  /** The server's reset date, for the lineage check, when known. */
  resetDate?: string;
  /** Called after every market read with a ship present (the market cache). */
  onObservation?: (market: Market) => Promise<void>;
  onEvent?: EventListener;
  now?: () => Date;
  /** The agent's lock, when the caller took it already (apply SPEC decides under it what to run). */
  lock?: AgentLock;
  /** Start a new run even when the game shows activity for the plan that the journal does not know. */
  adopt?: boolean;
  /** (issue 15) Before a new run, refuse the plan (PlanDriftedError, exit 6) when its markets drifted beyond policy.maxDrift; `file` names it. */
  driftCheck?: { file: string };
  /** Printed in the run's first event when this run resumes an unfinished one found by its spec. */
  resumeNote?: string;
  /** The agent as the caller read it just before (apply SPEC / entry): not read again. */
  agent?: Agent;
  /**
   * The client's metrics snapshot from before the caller's first call for this run: the run's
   * counters then include the pre-flight (server status, agent, planning). Default: from here.
   */
  countFrom?: unknown;
}

export interface ApplyOutcome {
  runId: string;
  planId: string;
  status: RunStatus | 'already-complete';
  exitCode: number;
  resumed: boolean;
  message: string;
  spent: number;
  budget: number;
  tasks: Array<{ id: string; status: string; ship: string; acquired: number; delivered: number; spent: number; reason?: string }>;
  api: ApiCounters;
  /** Contract payments received by this run (accepted, fulfilled), from the journal. */
  payments: ContractPayment[];
  /** The run's realized profit and loss, from the journal (src/pnl). */
  pnl: RunPnl;
  /** policy.surplus: what was sold of the plan's goods left in holds at the end, what was left (why), or with keep what was kept. */
  surplus?: SurplusOutcome;
}

const EXIT_BY_STATUS: Record<RunStatus, number> = {
  completed: ExitCode.OK,
  partial: ExitCode.PARTIAL,
  failed: ExitCode.FAILED,
  interrupted: ExitCode.INTERRUPTED,
  running: ExitCode.INTERNAL,
};

/**
 * `st-goods apply PLAN` as a service: verify, lock, create or resume the run, schedule the ships,
 * record the outcome, release the lock. Throws UserErrors for stale plans and held locks.
 */
export async function applyPlan(opts: ApplyOptions): Promise<ApplyOutcome> {
  const { plan, client, store } = opts;
  const now = opts.now ?? (() => new Date());
  const countFrom = opts.countFrom ?? client.metrics?.snapshot();
  const agent = opts.agent ?? (await client.getAgent());
  // Everything below runs under the agent's lock, so that "is this plan already run?" is answered
  // by the one process allowed to run it (two applies of one plan: the second finds it complete).
  const lock = opts.lock ?? (await AgentLock.acquire(store, agent.symbol, `pending-${process.pid}`, { waitMs: opts.lockWaitMs ?? 0, staleAfterMs: opts.lockStaleAfterMs }));
  // Every journal write of this apply names the lock's fencing token: if the lock is taken over
  // (this process stalled past its lease), the store refuses them (LOCK_LOST).
  const journal = new Journal(store, lock.fence);
  try {
    return await underLock({ ...opts, countFrom }, lock, journal, agent, now);
  } finally {
    await lock.release();
  }
}

async function underLock(opts: ApplyOptions, lock: AgentLock, journal: Journal, agent: { symbol: string; credits: number }, now: () => Date): Promise<ApplyOutcome> {
  const { plan, client, store } = opts;
  const existingId = await journal.runForPlan(agent.symbol, plan.planId);
  const existing = existingId ? await journal.getRun(existingId) : undefined;
  // Expiry guards starting on old market observations; a run already started may always resume.
  verifyPlanBasics(plan, { agentSymbol: agent.symbol, resetDate: opts.resetDate, now: existing ? new Date(plan.createdAt) : now() });
  if (existing?.status === 'completed') {
    const tasks = await journal.getTasks(existing.runId, plan.tasks.map((t) => t.id));
    const ships = await journal.getShips(existing.runId, [...new Set([...plan.tasks.map((t) => t.ship), ...[...tasks.values()].map((t) => t.ship)])]);
    const spent = actualSpend(tasks.values(), ships.values());
    const steps = await journal.steps(existing.runId);
    const payments = paymentsOf(steps);
    const pnl = realizedPnl({ plan, tasks, steps, creditsAtStart: existing.creditsAtStart });
    const why = `every one of its ${plan.tasks.length} task(s) completed${existing.endedAt ? ` (${existing.endedAt})` : ''}; a plan is applied once. To produce more, make a new plan (\`st-goods plan\`).`;
    return outcome(existing, 'already-complete', ExitCode.OK, true, `Run ${existing.runId} of plan ${plan.planId} is already complete: nothing to do, ${why}`, tasks, payments, pnl, spent);
  }
  // The fleet, read once for the run (one list call): the game check and every lane start from it.
  const ships = await readShips(client, new Set([...plan.fleet.map((f) => f.symbol), ...plan.tasks.map((t) => t.ship)]));
  let markets = new Map<string, Market>();
  // A new run's baseline for surplus: what its ships hold of the plan's goods now is never sold as surplus.
  const holdsAtStart = existing ? undefined : holdsIn(plan, ships);
  if (!existing) {
    await verifyJournalUnchanged(plan, journal);
    if (!opts.adopt) {
      const found = await unjournaledActivity(plan, client, journal, { credits: agent.credits, ships });
      if (found.cargo.length || found.trades.length) throw unjournaledError(plan, store.file, found);
      markets = found.markets;
    }
    // A saved plan about to start: has the world it rests on moved beyond policy.maxDrift? From the reads just made, no call of its own.
    if (opts.driftCheck) {
      const read = new Map([...markets].map(([wp, market]) => [wp, { market, at: now() }]));
      const report = await driftFromReads(plan, ships.values(), read, store);
      if (report.exceeds) throw new PlanDriftedError(opts.driftCheck.file, report);
    }
  }

  const runId = existing?.runId ?? `run-${now().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${crypto.randomBytes(3).toString('hex')}`;
  if (!(await lock.setRun(runId))) throw new Error(`the lock of agent ${agent.symbol} was taken over before run ${runId} started`);

  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) controller.abort();
  const events = new EventSink(runId, opts.logJson);
  if (opts.onEvent) events.on(opts.onEvent);
  const startedMs = Date.now();
  const metricsAtStart = apiCounters(opts.countFrom);
  const clock = opts.clock ?? realClock(1);

  let run: RunRecord;
  try {
    if (existing) {
      run = { ...existing, status: 'running', attempts: existing.attempts + 1, pid: process.pid, host: hostId(), endedAt: undefined, message: undefined };
      // Failed and skipped tasks get another chance on a re-run; their progress is kept.
      const recs = await journal.getTasks(runId, plan.tasks.map((t) => t.id));
      for (const rec of recs.values()) {
        if (rec.status === 'failed' || rec.status === 'skipped') await journal.putTask(runId, { ...rec, status: 'pending', reason: undefined, gate: undefined });
      }
      await journal.clearStop(runId);
      await journal.putRun(run);
      events.emit('run.resume', `resuming run ${runId} (attempt ${run.attempts})${opts.resumeNote ? `: ${opts.resumeNote}` : ''}`, { data: { planId: plan.planId } });
    } else {
      run = {
        runId,
        planId: plan.planId,
        agentSymbol: agent.symbol,
        status: 'running',
        startedAt: now().toISOString(),
        updatedAt: now().toISOString(),
        attempts: 1,
        pid: process.pid,
        host: hostId(),
        timeScale: clock.timeScale,
        activeMs: 0,
        api: { requests: 0, purchases: 0, sales: 0, rateLimited: 0, errors: 0 },
        creditsAtStart: agent.credits,
        ...(holdsAtStart ? { holdsAtStart } : {}),
        plan,
      };
      await journal.createRun(run);
      await journal.bumpGeneration(agent.symbol);
      events.emit('run.start', `run ${runId} of plan ${plan.planId}: ${plan.tasks.length} tasks on ${new Set(plan.tasks.map((t) => t.ship)).size} ships`, {
        data: { planId: plan.planId },
      });
    }

    // The dashboard's map: the system's markets with coordinates, from the listings the planner cached.
    const listings = await readListings(store, plan.spec.system);
    if (listings) await journal.putMap(runId, { system: plan.spec.system, markets: listings.markets.map((m) => ({ symbol: m.waypoint, x: m.x, y: m.y, exports: m.exports, imports: m.imports })) });
    const ctx = new RunContext(runId, plan, client, store, clock, events, controller.signal, opts.onObservation, lock.fence);
    await ctx.load(await journal.lastStepSeq(runId));
    ctx.credits = agent.credits;
    ctx.preread(ships, markets);
    // A construction site: read it first, so that a material met meanwhile (another agent, an
    // earlier run) ends its tasks before anything is bought, and a complete site ends the run.
    if (plan.construction) ctx.site = await readSite(ctx, client, plan.construction.waypoint);

    const apiNow = (): ApiCounters => {
      const cur = apiCounters(client.metrics?.snapshot());
      return {
        requests: run.api.requests + cur.requests - metricsAtStart.requests,
        // Trades the game made (not calls attempted: a refused or rate-limited call is no purchase).
        purchases: run.api.purchases + ctx.trades.purchases,
        sales: run.api.sales + ctx.trades.sales,
        rateLimited: run.api.rateLimited + cur.rateLimited - metricsAtStart.rateLimited,
        errors: run.api.errors + cur.errors - metricsAtStart.errors,
      };
    };
    const baseActive = run.activeMs;
    // Heartbeat: keeps the lock, publishes progress counters, and notices `st-goods stop`.
    let beating: Promise<void> = Promise.resolve();
    let finished = false;
    const beat = setInterval(() => {
      if (finished) return;
      beating = (async () => {
        if (!(await lock.heartbeat())) {
          events.emit('warning', 'the lock was taken over by another apply: stopping');
          controller.abort();
        }
        if (await journal.stopRequested(runId)) {
          if (!controller.signal.aborted) events.emit('warning', 'stop requested through the store: stopping after the call in flight');
          controller.abort();
        }
        if (finished) return;
        const latest = (await journal.getRun(runId)) ?? run;
        await journal.putRun({ ...latest, status: 'running', activeMs: baseActive + (Date.now() - startedMs), api: apiNow() });
      })().catch(() => undefined);
    }, opts.heartbeatMs ?? Math.min(1000, heartbeatEveryMs()));
    beat.unref();

    // A contract the plan delivers to is accepted before anything is bought (apply is the approval).
    const deliver = plan.spec.target.deliver;
    const contracts = deliver.kind === 'contract' ? contractClientOf(client) : undefined;
    const contractStep = (kind: string, extra: { contractId: string }): Promise<void> => ctx.step('', kind, extra);
    let refusal: string | undefined;
    let internal: Error[] = [];
    let surplus: SurplusOutcome | undefined;
    try {
      if (deliver.kind === 'contract' && contracts && [...ctx.tasks.values()].some((r) => r.status !== 'completed')) {
        try {
          const r = await acceptIfNeeded(contracts, deliver.contractId, contractStep);
          if (r.credits !== undefined) ctx.credits = r.credits;
          if (r.paid) events.emit('result', `accepted contract ${deliver.contractId}: paid ${r.paid}`, { data: { contractId: deliver.contractId, payment: r.paid } });
        } catch (e) {
          if (gameErrorCode(e) === undefined) throw e;
          refusal = `The game refused to accept contract ${deliver.contractId}: ${(e as Error).message}. Nothing was bought. List the agent's contracts with \`st-goods contracts\` and make a new plan for an open one.`;
        }
      }
      if (!refusal) ({ internalErrors: internal } = await schedule(ctx, opts.renderer ?? 'silent'));
      if (!refusal && deliver.kind === 'contract' && contracts && [...ctx.tasks.values()].every((r) => r.status === 'completed')) {
        const r = await fulfillIfMet(contracts, deliver.contractId, contractStep);
        if (r.credits !== undefined) ctx.credits = r.credits;
        if (r.paid) events.emit('result', `fulfilled contract ${deliver.contractId}: paid ${r.paid}`, { data: { contractId: deliver.contractId, payment: r.paid } });
      }
      // What the finished run leaves in its holds that the target does not need is sold (policy.surplus).
      if (!refusal && !controller.signal.aborted && !internal.length && plan.tasks.length && plan.tasks.every((t) => ctx.tasks.get(t.id)?.status === 'completed')) {
        try {
          surplus = await sellSurplus(ctx, (await journal.getRun(runId))?.holdsAtStart);
        } catch (e) {
          if (!(e instanceof Interrupted)) throw e;
        }
      }
    } finally {
      finished = true;
      clearInterval(beat);
      await beating;
    }
    // Another apply took the lock over (this one stalled past its lease): it owns the run now.
    if (ctx.lockLost) throw ctx.lockLost;

    // The plan's tasks (surplus sales have records of their own, and never decide the run's status).
    const recs = plan.tasks.map((t) => ctx.tasks.get(t.id)!);
    const auth = internal.find((e) => e.name === 'AuthError') as (Error & { paragraph: string }) | undefined;
    const allDone = recs.every((r) => r.status === 'completed');
    const anyDone = recs.some((r) => r.status === 'completed' || r.acquired > 0);
    let status: RunStatus;
    let message: string;
    if (refusal) {
      status = 'failed';
      message = refusal;
    } else if (auth) {
      // The server was reset (wiped) or the token revoked: no re-run of this plan can help.
      status = anyDone ? 'partial' : 'failed';
      message = `${auth.paragraph} Run ${runId} stopped with ${recs.filter((r) => r.status === 'completed').length}/${recs.length} tasks complete; a plan made before a server reset cannot be resumed after it: with a valid token, make a new plan.`;
    } else if (controller.signal.aborted && !allDone) {
      status = 'interrupted';
      message = `Interrupted; the call in flight was journaled. Re-run the same apply to resume run ${runId}.`;
    } else if (allDone) {
      status = 'completed';
      message =
        plan.tasks.length === 0
          ? `Run ${runId}: nothing to do, ${plan.decisions.reason.replace(/^nothing to (do|buy): /, '')}.`
          : `Run ${runId} completed: ${targetsText(plan)}${siteNote(ctx)}, ${ctx.spent()} credits spent of ${ctx.maxCredits}.`;
    } else {
      status = anyDone ? 'partial' : 'failed';
      const failed = recs.filter((r) => r.status === 'failed').map((r) => `${r.taskId}: ${r.reason}`);
      // Re-running resumes, and can help, unless every failure is one only a new plan gets past.
      const failedIds = recs.filter((r) => r.status === 'failed').map((r) => r.taskId);
      const onlyReplan = failedIds.length > 0 && failedIds.every((id) => ctx.needsReplan.has(id)) && !internal.length;
      const next = onlyReplan ? 'Re-running this plan cannot get past this: make a new plan (`st-goods plan`) and apply it.' : 'Re-run to resume.';
      message = `Run ${runId} ${status}: ${recs.filter((r) => r.status === 'completed').length}/${recs.length} tasks complete. ${failed.join('; ')}${ctx.budgetExhausted ? ` (${ctx.budgetExhausted})` : ''}${internal.length ? ` Internal errors: ${internal.map((e) => e.message).join('; ')}` : ''} ${next}`;
    }
    const latest = (await journal.getRun(runId)) ?? run;
    const steps = await journal.steps(runId);
    const pnl = realizedPnl({ plan, tasks: ctx.tasks, steps, creditsAtStart: latest.creditsAtStart });
    // What the surplus step left or kept, when it ran (its sales are in the steps): status shows it.
    const leftOrKept = surplus && (surplus.left.length || surplus.kept?.length) ? { left: surplus.left, ...(surplus.kept ? { kept: surplus.kept } : {}) } : undefined;
    run = { ...latest, status, message, endedAt: now().toISOString(), activeMs: baseActive + (Date.now() - startedMs), api: apiNow(), pnl, ...(surplus ? { surplus: leftOrKept } : {}) };
    await journal.putRun(run);
    if (status !== 'interrupted') await journal.bumpGeneration(agent.symbol);
    events.emit('run.end', message, { data: { status, spent: ctx.spent(), exitCode: EXIT_BY_STATUS[status] } });
    // An unexpected error ends the run with its own code when it has one (server unavailable,
    // token rejected), else FAILED.
    const coded = (auth ?? internal.find((e) => typeof (e as { exitCode?: unknown }).exitCode === 'number')) as { exitCode: number } | undefined;
    const exit = internal.length && status !== 'interrupted' ? (coded?.exitCode ?? ExitCode.FAILED) : EXIT_BY_STATUS[status];
    const result = outcome(run, status, exit, Boolean(existing), message, ctx.tasks, paymentsOf(steps), pnl, ctx.spent());
    return surplus && (surplus.sold.length || surplus.left.length || surplus.kept?.length) ? { ...result, surplus } : result;
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    events.close();
  }
}

function outcome(
  run: RunRecord,
  status: ApplyOutcome['status'],
  exitCode: number,
  resumed: boolean,
  message: string,
  tasks: Map<string, import('../state/journal.js').TaskRecord>,
  payments: ContractPayment[],
  pnl: RunPnl,
  spent?: number,
): ApplyOutcome {
  const list = [...tasks.values()].map((t) => ({ id: t.taskId, status: t.status, ship: t.ship, acquired: t.acquired, delivered: t.delivered, spent: t.spent, reason: t.reason }));
  return {
    runId: run.runId,
    planId: run.planId,
    status,
    exitCode,
    resumed,
    message,
    /** Purchases plus fuel (actual spend, as the budget counts it). */
    spent: spent ?? list.reduce((a, t) => a + t.spent, 0),
    budget: run.plan.spec.policy.maxCredits,
    tasks: list,
    api: run.api,
    payments,
    pnl,
  };
}

/** The construction site as the game answers now, journaled (a `construction` step); undefined when the client cannot read sites. */
async function readSite(ctx: RunContext, client: GameClient, waypoint: string): Promise<SiteProgress | undefined> {
  if (!client.getConstruction) return undefined;
  const site = new SiteProgress(ctx.plan);
  const seen = site.update(await client.getConstruction(systemOf(waypoint), waypoint));
  await ctx.step('', 'construction', { waypoint, construction: seen });
  return site;
}

/** `; construction at X complete` (or its bill) for the run's closing message. */
function siteNote(ctx: RunContext): string {
  const seen = ctx.site?.seen;
  if (!seen) return '';
  return `; construction at ${seen.waypoint} ${seen.isComplete ? 'complete' : `at ${billText(seen.materials)}`}`;
}

/** The client's contract calls, when it has them (the real client does; test doubles may not). */
function contractClientOf(client: GameClient): ContractClient | undefined {
  const { getContract, acceptContract, fulfillContract } = client;
  if (!getContract || !acceptContract || !fulfillContract) return undefined;
  return { getContract: (id) => getContract.call(client, id), acceptContract: (id) => acceptContract.call(client, id), fulfillContract: (id) => fulfillContract.call(client, id) };
}

export { lockedError };
