import type { RunRecord, StepRecord } from '../state/journal.js';

/** What a run did with its surplus, as `status` shows it (schemas/status.schema.json `surplus`). */
export interface SurplusReport {
  policy: 'sell' | 'keep';
  /** Every surplus sale the journal holds (all attempts), per ship, good and market. */
  sold: Array<{ ship: string; good: string; waypoint: string; units: number; credits: number }>;
  /** What the run's surplus step left in the holds (no market in reach buys it, or the game refused the sale), with why. */
  left: Array<{ ship: string; good: string; units: number; why: string }>;
  /** policy.surplus keep: what the surplus step found and left in the holds. */
  kept: Array<{ ship: string; good: string; units: number }>;
}

/**
 * The surplus of a run, pure: its sales from the journal's `surplus-GOOD@SHIP` steps (so a sale of
 * an interrupted attempt counts), what was left or kept from the run record (the last surplus
 * step's outcome). Undefined when the run had none.
 */
export function surplusReport(run: Pick<RunRecord, 'plan' | 'surplus'>, steps: readonly StepRecord[]): SurplusReport | undefined {
  const sold = new Map<string, SurplusReport['sold'][number]>();
  for (const s of steps) {
    if (!s.taskId?.startsWith('surplus-') || !s.intent || !s.result?.happened || !/^sell\.(result|reconciled)$/.test(s.kind)) continue;
    const k = `${s.intent.ship}|${s.intent.good}|${s.intent.waypoint}`;
    const row = sold.get(k) ?? { ship: s.intent.ship, good: s.intent.good, waypoint: s.intent.waypoint, units: 0, credits: 0 };
    row.units += s.result.units;
    row.credits += s.result.totalPrice;
    sold.set(k, row);
  }
  const left = run.surplus?.left ?? [];
  const kept = run.surplus?.kept ?? [];
  if (!sold.size && !left.length && !kept.length) return undefined;
  return { policy: run.plan.spec.policy.surplus === 'keep' ? 'keep' : 'sell', sold: [...sold.values()], left, kept };
}
