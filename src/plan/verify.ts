import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { PLAN_FORMAT_VERSION, type PlanFile } from './types.js';

export interface VerifyContext {
  agentSymbol: string;
  resetDate: string;
  /** The hash of the spec file as it is now; omitted when apply runs from the plan alone. */
  specHash?: string;
  now: Date;
}

const stale = (message: string, details: unknown): UserError =>
  new UserError({ message, details, code: 'STALE_PLAN', exitCode: ExitCode.STALE_PLAN, hint: 'Re-run `st-goods plan SPEC` to make a fresh plan, review it, then apply that one.' });

const major = (v: string): string => v.split('.')[0] ?? v;

/**
 * Checks that a plan may still be applied, in this order: format major version, lineage (agent
 * and server reset date), spec hash, expiry. Throws UserError STALE_PLAN (exit 6) naming the
 * first check that fails. (The journal-generation check belongs to apply.)
 */
export function verifyPlan(plan: PlanFile, ctx: VerifyContext): void {
  if (major(plan.formatVersion) !== major(PLAN_FORMAT_VERSION)) {
    throw stale(`The plan's format ${plan.formatVersion} is not supported by this st-goods (format ${PLAN_FORMAT_VERSION}).`, { check: 'format', plan: plan.formatVersion, supported: PLAN_FORMAT_VERSION });
  }
  if (plan.lineage.agentSymbol !== ctx.agentSymbol) {
    throw stale(`The plan was made for agent ${plan.lineage.agentSymbol}, but the token belongs to ${ctx.agentSymbol}.`, { check: 'agent', plan: plan.lineage.agentSymbol, actual: ctx.agentSymbol });
  }
  if (plan.lineage.resetDate !== ctx.resetDate) {
    throw stale(`The plan was made before the server reset of ${ctx.resetDate} (it belongs to the reset of ${plan.lineage.resetDate}).`, { check: 'resetDate', plan: plan.lineage.resetDate, actual: ctx.resetDate });
  }
  if (ctx.specHash !== undefined && plan.specHash !== ctx.specHash) {
    throw stale(`The spec changed since the plan was made (plan ${plan.specHash}, spec now ${ctx.specHash}).`, { check: 'spec', plan: plan.specHash, actual: ctx.specHash });
  }
  if (ctx.now.getTime() >= Date.parse(plan.expiresAt)) {
    throw stale(`The plan expired at ${plan.expiresAt} (made ${plan.createdAt}); market prices have moved since.`, { check: 'expiry', expiresAt: plan.expiresAt, now: ctx.now.toISOString() });
  }
}
