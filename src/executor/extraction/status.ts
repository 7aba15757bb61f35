/**
 * (issue 14) What `status` shows of an extraction task, from the journal alone: its role and
 * site, the units per game hour it made against the plan's rate, its extractions, the reactor
 * cooldown and the survey it holds (with how much of it lists the wanted good).
 */
import type { Task } from '../../plan/types.js';
import type { TaskRecord } from '../../state/journal.js';
import { surveyScore } from './board.js';

export interface ExtractionStatus {
  role: 'haul' | 'mine' | 'survey';
  method: 'EXTRACT' | 'SIPHON';
  site: string;
  extractions: number;
  /** Units of the wanted good this ship extracted (a haul: pulled by transfer, plus its own). */
  units: number;
  /** Measured: units per game hour since the task started; planned: the crew's rate in the plan. */
  unitsPerHour?: number;
  plannedUnitsPerHour: number;
  jettisoned: number;
  surveys: number;
  cooldownUntil?: string;
  survey?: { signature: string; size: string; share: number; expiration: string };
  unstable?: { waypoint: string; until: string };
}

export function extractionStatus(t: Task, r: TaskRecord, nowMs: number, timeScale: number): ExtractionStatus | undefined {
  if (t.source.kind !== 'extract') return undefined;
  const p = r.extraction;
  const own = p?.yields[t.good] ?? 0;
  const pulled = Object.entries(p?.pulled ?? {}).filter(([k]) => k.startsWith(`${t.good}@`)).reduce((s, [, v]) => s + v, 0);
  const units = t.source.role === 'haul' ? own + pulled : own;
  const end = r.endedAt ? Date.parse(r.endedAt) : nowMs;
  const hours = r.startedAt ? (((end - Date.parse(r.startedAt)) / 1000) * timeScale) / 3600 : 0;
  const s = p?.survey;
  return {
    role: t.source.role,
    method: t.source.method,
    site: p?.site ?? t.source.waypoint,
    extractions: p?.extractions ?? 0,
    units,
    ...(hours > 0 && units > 0 ? { unitsPerHour: Math.round((units / hours) * 10) / 10 } : {}),
    plannedUnitsPerHour: t.source.rate.unitsPerHour,
    jettisoned: Object.values(p?.jettisoned ?? {}).reduce((a, b) => a + b, 0),
    surveys: p?.surveys ?? 0,
    ...(p?.cooldownUntil && Date.parse(p.cooldownUntil) > nowMs ? { cooldownUntil: p.cooldownUntil } : {}),
    ...(s ? { survey: { signature: s.signature, size: s.size, share: Math.round(surveyScore(s, t.good) * 100) / 100, expiration: s.expiration } } : {}),
    ...(p?.unstable ? { unstable: p.unstable } : {}),
  };
}

/** One line of `status` for an extraction task. */
export function extractionLine(id: string, x: ExtractionStatus, nowMs: number): string {
  const rate = `${x.unitsPerHour ?? 0} u/h (planned ${x.plannedUnitsPerHour})`;
  const cd = x.cooldownUntil ? `, cooldown ${Math.max(0, Math.ceil((Date.parse(x.cooldownUntil) - nowMs) / 1000))}s` : '';
  const survey = x.survey
    ? `, survey ${x.survey.signature} (${x.survey.size}, ${Math.round(x.survey.share * 100)}% wanted, expires ${x.survey.expiration})`
    : x.method === 'EXTRACT' && x.role !== 'haul' ? ', no survey' : '';
  const unstable = x.unstable ? `, ${x.unstable.waypoint} unstable until ${x.unstable.until}` : '';
  const what = x.role === 'haul' ? `collected ${x.units}` : x.role === 'survey' ? `${x.surveys} survey(s)` : `extracted ${x.units} in ${x.extractions} extraction(s), jettisoned ${x.jettisoned}`;
  return `  ${id}: ${x.role} at ${x.site}: ${what}; ${rate}${cd}${survey}${unstable}`;
}
