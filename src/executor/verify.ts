import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { PLAN_FORMAT_VERSION, type PlanFile } from '../plan/types.js';
import type { Journal } from '../state/journal.js';

export function stalePlan(message: string, details?: unknown): UserError {
  return new UserError({
    code: 'STALE_PLAN',
    exitCode: ExitCode.STALE_PLAN,
    message,
    hint: 'Re-run `st-goods plan SPEC --out PLAN` and apply the new plan.',
    details,
  });
}

/**
 * The checks apply can make itself, in the contract's order: format major, lineage (agent and,
 * when the server says, its reset date), expiry. The spec hash is the planner's verifyPlan when
 * the spec file is at hand.
 */
export function verifyPlanBasics(plan: PlanFile, ctx: { agentSymbol: string; resetDate?: string; now: Date }): void {
  const major = (v: string | undefined): string => String(v ?? '').split('.')[0] ?? '';
  if (!plan || typeof plan !== 'object' || !Array.isArray(plan.tasks) || !plan.planId) {
    throw new UserError({ code: 'INVALID_PLAN', exitCode: ExitCode.INVALID_INPUT, message: 'The plan file is not an st-goods plan (no planId or tasks).', hint: 'Pass a file written by `st-goods plan`.' });
  }
  if (major(plan.formatVersion) !== major(PLAN_FORMAT_VERSION)) {
    throw stalePlan(`The plan has format ${plan.formatVersion}; this st-goods applies format ${PLAN_FORMAT_VERSION}.`);
  }
  if (plan.lineage.agentSymbol !== ctx.agentSymbol) {
    throw stalePlan(`The plan was made for agent ${plan.lineage.agentSymbol}, but the token belongs to ${ctx.agentSymbol}.`);
  }
  if (ctx.resetDate && plan.lineage.resetDate && plan.lineage.resetDate !== ctx.resetDate) {
    throw stalePlan(`The plan was made before the server reset of ${ctx.resetDate} (plan: ${plan.lineage.resetDate}).`);
  }
  if (plan.expiresAt && Date.parse(plan.expiresAt) < ctx.now.getTime()) {
    throw stalePlan(`The plan expired at ${plan.expiresAt}: its market observations are too old to act on.`);
  }
}

/**
 * No other apply changed the journal for this agent since the plan was made: a plan that no run
 * has started yet is refused when another run of the agent was written after the plan's
 * createdAt (its market and fleet assumptions may be gone). A run that `--replan` abandoned for
 * this very plan does not count: that write is the plan's own doing.
 */
export async function verifyJournalUnchanged(plan: PlanFile, journal: Journal): Promise<void> {
  const runs = (await journal.runs()).filter((r) => r.agentSymbol === plan.lineage.agentSymbol && r.planId !== plan.planId && r.abandonedFor !== plan.planId);
  const moved = runs.find((r) => Date.parse(r.updatedAt) > Date.parse(plan.createdAt));
  if (moved) {
    throw stalePlan(`Run ${moved.runId} (plan ${moved.planId}) changed the journal of agent ${plan.lineage.agentSymbol} at ${moved.updatedAt}, after this plan was made (${plan.createdAt}).`, {
      runId: moved.runId,
    });
  }
}
