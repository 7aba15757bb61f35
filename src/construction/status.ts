import type { PlanFile, Task } from '../plan/types.js';
import type { StepRecord, TaskRecord } from '../state/journal.js';

/** A construction site's bill as `status` shows it (schemas/status.schema.json `construction`). */
export interface ConstructionStatus {
  waypoint: string;
  isComplete: boolean;
  /** When the game last answered with this bill (a read before the run, or a supply's response). */
  observedAt: string;
  materials: Array<{
    good: string;
    required: number;
    fulfilled: number;
    /** fulfilled / required, in percent (one decimal). */
    percent: number;
    /** Units this run supplied (the journal's deliveries to the site). */
    byRun: number;
  }>;
  /** The whole bill (every material, met ones included), in percent. */
  percent: number;
  /** Since the run's first read of the site, in game hours (timeScale game seconds per real second). */
  unitsPerHour?: number;
  percentPerHour?: number;
  /** Game seconds until the site is complete at that rate (while it is not). */
  etaSeconds?: number;
}

const pct = (a: number, b: number): number => (b > 0 ? Math.round((1000 * a) / b) / 10 : 100);

/**
 * The site's bill from the journal: the last `construction` step (what the game answered last)
 * against the first (when the run began), with the rate of progress between them in game hours
 * and the ETA at that rate. Undefined for a plan that supplies no site, or before any read.
 */
export function constructionStatus(plan: PlanFile, steps: StepRecord[], recOf: (t: Task) => TaskRecord, timeScale: number): ConstructionStatus | undefined {
  if (!plan.construction) return undefined;
  const reads = steps.filter((s) => s.kind === 'construction' && s.construction);
  const first = reads[0];
  const last = reads.at(-1);
  const bill = last?.construction ?? { waypoint: plan.construction.waypoint, materials: plan.construction.materials, isComplete: plan.construction.isComplete };
  const byRun = (good: string): number =>
    plan.tasks.filter((t) => t.good === good && t.destination.kind === 'construction').reduce((a, t) => a + recOf(t).delivered, 0);
  const materials = bill.materials.map((m) => ({ ...m, percent: pct(m.fulfilled, m.required), byRun: byRun(m.good) }));
  const required = materials.reduce((a, m) => a + m.required, 0);
  const fulfilled = materials.reduce((a, m) => a + m.fulfilled, 0);
  const out: ConstructionStatus = {
    waypoint: bill.waypoint,
    isComplete: bill.isComplete,
    observedAt: last?.at ?? '',
    materials,
    percent: pct(fulfilled, required),
  };
  if (!first || !last || first === last) return out;
  const hours = ((Date.parse(last.at) - Date.parse(first.at)) / 1000) * timeScale / 3600;
  if (!(hours > 0)) return out;
  const gained = fulfilled - first.construction!.materials.reduce((a, m) => a + m.fulfilled, 0);
  const unitsPerHour = Math.round((10 * gained) / hours) / 10;
  const percentPerHour = required > 0 ? Math.round((1000 * gained) / required / hours) / 10 : 0;
  const eta = !bill.isComplete && gained > 0 ? Math.round(((required - fulfilled) / (gained / hours)) * 3600) : undefined;
  return { ...out, unitsPerHour, percentPerHour, ...(eta !== undefined ? { etaSeconds: eta } : {}) };
}
