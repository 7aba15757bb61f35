import fs from 'node:fs';
import YAML from 'yaml';
import type { SpaceTradersClient } from '../api/client.js';
import { UserError, invalidInput } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { readPlan, writePlan } from '../plan/file.js';
import { verifyPlan } from '../plan/verify.js';
import type { PlanFile } from '../plan/types.js';
import { recordObservation } from '../market/cache.js';
import { createPlan } from '../planner/create.js';
import { loadSpec } from '../spec/index.js';
import { Journal } from '../state/journal.js';
import type { Store } from '../state/store.js';
import type { SupplyChain } from '../supply-chain/index.js';
import { applyPlan, type ApplyOptions, type ApplyOutcome } from './apply.js';

export interface ApplyEntryOptions extends Omit<ApplyOptions, 'plan' | 'client' | 'resetDate' | 'onObservation'> {
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
}

export type ApplyEntryOutcome = ApplyOutcome | { status: 'declined'; exitCode: number; message: string; planId: string };

/** True when `file` holds a plan (it has a planId), false for a production spec. */
export function isPlanFile(file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw invalidInput(`Cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, 'Pass a plan written by `st-goods plan`, or a production spec.');
  }
  try {
    const data = YAML.parse(text) as Record<string, unknown> | null;
    return Boolean(data && typeof data === 'object' && 'planId' in data && 'tasks' in data);
  } catch {
    return false;
  }
}

/**
 * `st-goods apply FILE`: reads (or makes) the plan, verifies it (format, lineage, spec hash,
 * expiry; then apply checks the journal and the lock), and applies it.
 */
export async function applyEntry(opts: ApplyEntryOptions): Promise<ApplyEntryOutcome> {
  const { client, store } = opts;
  let plan: PlanFile;
  let specHash: string | undefined;
  if (isPlanFile(opts.file)) {
    plan = readPlan(opts.file);
    if (opts.specFile) specHash = loadSpec(opts.specFile, opts.supplyChain()).hash;
  } else {
    const created = await createPlan({ specFile: opts.file, client, store, supplyChain: opts.supplyChain(), now: new Date(), toolVersion: opts.toolVersion });
    plan = created.plan;
    specHash = created.spec.hash;
    if (opts.planOut) writePlan(opts.planOut, plan);
    if (plan.tasks.length === 0) {
      return { status: 'declined', exitCode: ExitCode.OK, message: 'The plan has nothing to do.', planId: plan.planId };
    }
    if (!(await opts.approve(plan))) {
      return { status: 'declined', exitCode: ExitCode.OK, message: 'Apply cancelled; nothing was done.', planId: plan.planId };
    }
  }
  const [status, agent] = await Promise.all([client.getStatus(), client.getAgent()]);
  // Expiry guards starting on old market observations; a run already started may always resume.
  const started = await new Journal(store).runForPlan(agent.symbol, plan.planId);
  verifyPlan(plan, { agentSymbol: agent.symbol, resetDate: status.resetDate, specHash, now: started ? new Date(plan.createdAt) : new Date() });
  return applyPlan({
    ...opts,
    plan,
    client,
    resetDate: status.resetDate,
    onObservation: (m) => recordObservation(store, m),
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
