import fs from 'node:fs';
import YAML from 'yaml';
import { refreshPlan } from '../drift/refresh.js';
import { renderDrift, type DriftReport } from '../drift/diff.js';
import type { SpaceTradersClient } from '../api/client.js';
import { UserError, invalidInput } from '../cli/errors.js';
import { readInputFile } from '../cli/input-file.js';
import { ExitCode } from '../cli/exit-codes.js';
import { readPlan, writePlan } from '../plan/file.js';
import { verifyPlan } from '../plan/verify.js';
import type { PlanFile } from '../plan/types.js';
import { recordObservation } from '../market/cache.js';
import { createPlan } from '../planner/create.js';
import { loadSpec } from '../spec/index.js';
import { Journal, type RunRecord } from '../state/journal.js';
import { AgentLock, heartbeatEveryMs } from '../state/lock.js';
import type { Store } from '../state/store.js';
import type { SupplyChain } from '../supply-chain/index.js';
import { applyPlan, type ApplyOptions, type ApplyOutcome } from './apply.js';
import type { ServerTraits } from './time-scale.js';

export interface ApplyEntryOptions extends Omit<ApplyOptions, 'plan' | 'client' | 'resetDate' | 'onObservation' | 'agent' | 'countFrom'> {
  /** A plan file, or a production spec (.yaml with no planId): planned first. */
  file: string;
  client: SpaceTradersClient;
  store: Store;
  supplyChain: () => SupplyChain;
  /** The spec the plan came from, when at hand: its hash is checked against the plan's. */
  specFile?: string;
  toolVersion: string;
  /** Asked before applying a freshly made plan; false = do not apply. */
  approve: (plan: PlanFile) => Promise<boolean>;
  /** Where to write a plan made from a spec (optional). */
  planOut?: string;
  /**
   * A spec whose unfinished run was planned from an older version of it: abandon that run and plan
   * anew. A plan file whose markets drifted beyond policy.maxDrift: plan again from its spec.
   */
  replan?: boolean;
  /** The server's time scale, rate limit and production step, for a plan made here (detectServer). */
  server?: ServerTraits;
}

export type ApplyEntryOutcome = ApplyOutcome | { status: 'declined'; exitCode: number; message: string; planId: string };

/** True when `file` holds a plan (it has a planId), false for a production spec. */
export function isPlanFile(file: string): boolean {
  const text = readInputFile(file, 'file', 'Pass a plan written by `st-goods plan`, or a production spec.');
  if (text.trim() === '') {
    throw invalidInput(`${file} is empty: neither a plan nor a production spec. If it was a plan, it was truncated (e.g. by a crash while an older st-goods wrote it).`, 'Restore it from git (`git checkout -- FILE`), or re-run `st-goods plan SPEC --out FILE`.');
  }
  try {
    const data = YAML.parse(text) as Record<string, unknown> | null;
    return Boolean(data && typeof data === 'object' && 'planId' in data && 'tasks' in data);
  } catch {
    return false;
  }
}

/**
 * `st-goods apply FILE`: takes the agent's lock, then decides under it what to run: a plan file
 * as given; for a spec, the unfinished run of the same spec (same spec hash, same agent) if there
 * is one, resumed with its own plan; else a new plan, approved first. Then verifies the plan
 * (format, lineage, spec hash, expiry; apply checks the journal and the game) and applies it.
 */
export async function applyEntry(opts: ApplyEntryOptions): Promise<ApplyEntryOutcome> {
  const { client, store } = opts;
  const asPlan = isPlanFile(opts.file);
  const spec = asPlan ? (opts.specFile ? loadSpec(opts.specFile, opts.supplyChain()) : undefined) : loadSpec(opts.file, opts.supplyChain());
  // Every call of this apply counts in its run's counters, these two included. One after the
  // other: a fresh process knows nothing of the server's rate-limit pools until its first answer.
  const countFrom = client.metrics.snapshot();
  const status = await client.getStatus();
  const agent = await client.getAgent();
  const lock = await AgentLock.acquire(store, agent.symbol, `pending-${process.pid}`, { waitMs: opts.lockWaitMs ?? 0, staleAfterMs: opts.lockStaleAfterMs });
  // Planning and the approval prompt may take a while: keep the lock alive until apply's own heartbeat.
  lock.startHeartbeat(Math.min(opts.heartbeatMs ?? heartbeatEveryMs(), heartbeatEveryMs()));
  let handedOver = false;
  try {
    const journal = new Journal(store, lock.fence);
    let plan: PlanFile;
    let resumeNote: string | undefined;
    if (asPlan) {
      plan = readPlan(opts.file);
    } else {
      const unfinished = await unfinishedRuns(journal, agent.symbol, spec!.spec.name);
      const same = unfinished.find((r) => r.plan.specHash === spec!.hash);
      const changed = unfinished.filter((r) => r.plan.specHash !== spec!.hash);
      if (same) {
        plan = same.plan;
        resumeNote = `the unfinished run of spec ${spec!.spec.name} (${same.status}), with the plan it was started with`;
      } else if (changed.length && !opts.replan) {
        throw changedSpecError(opts.file, spec!.spec.name, changed[0]!);
      } else {
        const created = await createPlan({ specFile: opts.file, client, store, supplyChain: opts.supplyChain(), now: new Date(), toolVersion: opts.toolVersion, known: { status, agent }, ...(opts.server ? { server: opts.server } : {}) });
        plan = created.plan;
        if (opts.planOut) writePlan(opts.planOut, plan);
        // --replan abandons the changed spec's unfinished runs, once the new plan is approved (or has nothing to do).
        const abandon = async (): Promise<void> => {
          for (const old of changed) await journal.putRun({ ...old, status: 'failed', endedAt: new Date().toISOString(), abandonedFor: plan.planId, message: `Abandoned by \`apply ${opts.file} --replan\`: the spec changed; cargo it bought stays where it is.` });
        };
        if (plan.tasks.length === 0) {
          await abandon();
          return { status: 'declined', exitCode: ExitCode.OK, message: 'The plan has nothing to do.', planId: plan.planId };
        }
        if (!(await opts.approve(plan))) {
          return { status: 'declined', exitCode: ExitCode.OK, message: 'Apply cancelled; nothing was done.', planId: plan.planId };
        }
        await abandon();
      }
    }
    // Expiry guards starting on old market observations; a run already started may always resume.
    const started = await journal.runForPlan(agent.symbol, plan.planId);
    verifyPlan(plan, { agentSymbol: agent.symbol, resetDate: status.resetDate, specHash: asPlan ? spec?.hash : undefined, now: started ? new Date(plan.createdAt) : new Date() });
    // A saved plan about to start: has the world it rests on moved beyond policy.maxDrift? (Terraform's stale-plan habit.)
    let known: ApplyOptions['known'];
    if (asPlan && !started) {
      const { report, ships, markets } = await refreshPlan(plan, client, store, { usedOnly: true });
      known = { ships, markets };
      if (report.exceeds) {
        if (!opts.replan) throw driftedError(opts.file, report);
        const replanned = await replanDrifted(opts, plan, report);
        if (replanned.status === 'declined') return replanned;
        plan = replanned.plan;
        known = undefined; // the new plan may rest on other markets: the run reads its own
      }
    }
    lock.stopHeartbeat();
    handedOver = true;
    return await applyPlan({
      ...opts,
      plan,
      client,
      lock,
      resumeNote,
      resetDate: status.resetDate,
      agent,
      known,
      countFrom,
      onObservation: (m) => recordObservation(store, m),
    });
  } finally {
    if (!handedOver) await lock.release();
  }
}

/** The refusal of a plan whose markets moved beyond policy.maxDrift (exit 6, with the diff). */
function driftedError(file: string, report: DriftReport): UserError {
  return new UserError({
    code: 'PLAN_DRIFTED',
    exitCode: ExitCode.STALE_PLAN,
    message: `Nothing was bought: the markets plan ${file} rests on moved beyond policy.maxDrift since it was made.\n${renderDrift(report)}`,
    hint: `Re-run with --replan to plan again from the plan's spec (its summary is shown for approval, and the new plan replaces ${file}), or make a new plan with \`st-goods plan SPEC\`; \`st-goods refresh ${file}\` shows the diff again.`,
    details: report,
  });
}

/**
 * `apply PLAN --replan` on a drifted plan: plans again from the plan's spec (--spec, else the
 * spec beside the plan file: NAME.plan.yaml → NAME.yaml, when its hash is the plan's), asks for
 * approval with the new summary, and writes the new plan over the plan file (so that the next
 * invocation, from cron say, resumes it instead of planning once more).
 */
async function replanDrifted(opts: ApplyEntryOptions, plan: PlanFile, report: DriftReport): Promise<{ status: 'replanned'; plan: PlanFile } | Extract<ApplyEntryOutcome, { status: 'declined' }>> {
  const specFile = opts.specFile ?? specBeside(opts.file, plan.specHash, opts.supplyChain());
  if (!specFile) {
    throw new UserError({
      code: 'REPLAN_NEEDS_SPEC',
      exitCode: ExitCode.USAGE,
      message: `The markets plan ${opts.file} rests on moved beyond policy.maxDrift, and --replan needs the spec it was made from, but none was given and no spec beside the plan file has its hash (${plan.specHash.slice(0, 19)}…).`,
      hint: `Pass it: \`st-goods apply ${opts.file} --replan --spec SPEC\`.`,
      details: report,
    });
  }
  const created = await createPlan({ specFile, client: opts.client, store: opts.store, supplyChain: opts.supplyChain(), now: new Date(), toolVersion: opts.toolVersion });
  const fresh = created.plan;
  if (fresh.tasks.length === 0) return { status: 'declined', exitCode: ExitCode.OK, message: 'Planned again (the markets had moved): the new plan has nothing to do.', planId: fresh.planId };
  if (!(await opts.approve(fresh))) return { status: 'declined', exitCode: ExitCode.OK, message: 'Apply cancelled; nothing was done (the plan file is unchanged).', planId: fresh.planId };
  writePlan(opts.planOut ?? opts.file, fresh);
  return { status: 'replanned', plan: fresh };
}

/** NAME.plan.yaml → NAME.yaml (or .yml) beside it, when that spec hashes to `hash`. */
function specBeside(planFile: string, hash: string, supplyChain: SupplyChain): string | undefined {
  const base = planFile.replace(/\.plan\.ya?ml$/i, '');
  if (base === planFile) return undefined;
  for (const candidate of [`${base}.yaml`, `${base}.yml`]) {
    if (!fs.existsSync(candidate)) continue;
    try {
      if (loadSpec(candidate, supplyChain).hash === hash) return candidate;
    } catch {
      // not a valid spec: not this plan's
    }
  }
  return undefined;
}

/** Runs of `agent` for the spec named `name` that did not complete, newest first. */
async function unfinishedRuns(journal: Journal, agent: string, name: string): Promise<RunRecord[]> {
  return (await journal.runs()).filter((r) => r.agentSymbol === agent && r.plan.spec.name === name && r.status !== 'completed');
}

function changedSpecError(file: string, name: string, run: RunRecord): UserError {
  return new UserError({
    code: 'SPEC_CHANGED_UNFINISHED',
    exitCode: ExitCode.DECISION_NEEDED,
    message: `Nothing was bought: run ${run.runId} of spec ${name} did not finish (${run.status}), and ${file} changed since that run was planned (spec ${run.plan.specHash.slice(0, 19)}…, now different). Applying a new plan now could buy again what that run already bought.`,
    hint: `Choose one: put the spec back as it was and re-run to resume the run; or \`st-goods apply ${file} --replan\` to abandon run ${run.runId} (its cargo stays in the holds) and plan the changed spec; see \`st-goods status ${run.runId}\` for what it did.`,
    details: { runId: run.runId, status: run.status, planId: run.planId, specHash: run.plan.specHash },
  });
}

export function needsApproval(interactive: boolean, autoApprove: boolean): 'ask' | 'yes' | 'refuse' {
  if (autoApprove) return 'yes';
  return interactive ? 'ask' : 'refuse';
}

export function noTtyError(): UserError {
  return new UserError({
    code: 'APPROVAL_REQUIRED',
    exitCode: ExitCode.USAGE,
    message: 'apply was given a spec, so it made a new plan, but there is no terminal to ask for approval.',
    hint: 'Add --auto-approve to apply it unattended, or run `st-goods plan SPEC`, review the plan, then `st-goods apply PLAN`.',
  });
}
