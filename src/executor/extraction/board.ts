/**
 * What one extraction crew shares while apply runs (issue 14): where it works now, the best survey
 * for the wanted good, each crew ship's last known hold and position, reactor cooldowns, and one
 * lock per ship's hold. Every call that changes a crew ship's hold (its extraction and jettison,
 * the hauler pulling from it) runs under that ship's lock, intent to result: so at any moment at
 * most one such call per hold is open, and a crash leaves at most one to reconcile, decided
 * exactly by that hold. In memory, rebuilt from the crew's task records on resume.
 */
import type { Task } from '../../plan/types.js';
import type { ExtractionProgress } from '../../state/journal.js';
import type { RunContext } from '../context.js';
import type { ShipCargo, Survey } from '../ports.js';

export type ExtractSource = Extract<Task['source'], { kind: 'extract' }>;

/** A survey's share of the wanted good (0 when it lists none). */
export function surveyScore(s: Survey, good: string): number {
  return s.deposits.length ? s.deposits.filter((d) => d.symbol === good).length / s.deposits.length : 0;
}

export class CrewBoard {
  site: string;
  siteAt: string;
  survey?: Survey;
  /** Surveys made since the best one last improved (the surveyor stops looking after a few). */
  surveysSinceBest = 0;
  readonly deadSurveys = new Set<string>();
  readonly cargo = new Map<string, ShipCargo>();
  /** Where each crew ship is and whether it is in orbit there (transfers need both ships in orbit). */
  readonly at = new Map<string, { waypoint: string; inOrbit: boolean }>();
  /** Each crew ship's reactor cooldown end (wall ms). */
  readonly cooldown = new Map<string, number>();
  /** Asteroids found unstable (4253), until when (wall ms). */
  readonly unstableUntil = new Map<string, number>();
  readonly #locks = new Map<string, Promise<void>>();

  constructor(
    readonly id: string,
    readonly good: string,
    readonly source: ExtractSource,
    readonly quantity: number,
  ) {
    this.site = source.waypoint;
    this.siteAt = '';
  }

  /** The crew's ships: the miners, the surveyor, the hauler. */
  members(ctx: RunContext): string[] {
    return [...new Set([...this.source.miners, ...(this.source.surveyor ? [this.source.surveyor] : []), ctx.tasks.get(this.id)?.ship ?? ''])].filter(Boolean);
  }

  /** Runs `fn` holding `ship`'s hold lock (one cargo-changing call per hold at a time). */
  async withHold<T>(ship: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(ship) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.#locks.set(ship, prev.then(() => mine));
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  held(ship: string, good: string): number {
    return this.cargo.get(ship)?.inventory.find((i) => i.symbol === good)?.units ?? 0;
  }

  /** Wall ms of a game minute: a survey this close to its expiration is not used. */
  marginMs = 60_000;

  /** The survey to extract with: for this site, listing the good, not expired (a game minute's margin), not refused. */
  usableSurvey(nowMs: number): Survey | undefined {
    const s = this.survey;
    if (!s || s.symbol !== this.site || this.deadSurveys.has(s.signature)) return undefined;
    if (Date.parse(s.expiration) <= nowMs + this.marginMs || surveyScore(s, this.good) <= 0) return undefined;
    return s;
  }

  /** Offers surveys: the best for the good replaces the current one. Returns whether it changed. */
  offer(surveys: Survey[], nowMs: number): boolean {
    const current = this.usableSurvey(nowMs);
    let best = current;
    for (const s of surveys) {
      if (s.symbol !== this.site || surveyScore(s, this.good) <= 0) continue;
      if (!best || surveyScore(s, this.good) > surveyScore(best, this.good)) best = s;
    }
    if (best && best !== current) {
      this.survey = best;
      this.surveysSinceBest = 0;
      return true;
    }
    this.surveysSinceBest++;
    return false;
  }

  /** Whether the surveyor should survey again: no usable survey, or a poor one and few tries since it was found. */
  wantsSurvey(nowMs: number): boolean {
    const s = this.usableSurvey(nowMs);
    if (!s) return true;
    return surveyScore(s, this.good) < 0.5 && this.surveysSinceBest < 3;
  }

  /** The crew moves on from an unstable asteroid to the first alternate not known unstable; false when none. */
  moveOn(nowMs: number): boolean {
    const next = [this.source.waypoint, ...this.source.alternates].find((w) => w !== this.site && (this.unstableUntil.get(w) ?? 0) <= nowMs);
    if (!next) return false;
    this.site = next;
    this.siteAt = new Date(nowMs).toISOString();
    this.survey = undefined;
    return true;
  }
}

const BOARDS = new WeakMap<RunContext, Map<string, CrewBoard>>();

/**
 * The crew board of `task`'s crew, built on first use from the crew's task records: the latest
 * site any of them moved to, the best unexpired survey any of them made.
 */
export function boardOf(ctx: RunContext, task: Task): CrewBoard {
  const source = task.source as ExtractSource;
  let boards = BOARDS.get(ctx);
  if (!boards) BOARDS.set(ctx, (boards = new Map()));
  let board = boards.get(source.crew);
  if (board) return board;
  const haul = ctx.taskById.get(source.crew)!;
  board = new CrewBoard(source.crew, haul.good, haul.source as ExtractSource, haul.quantity);
  board.marginMs = 60_000 / ctx.clock.timeScale;
  const progress: ExtractionProgress[] = ctx.plan.tasks
    .filter((t) => t.source.kind === 'extract' && t.source.crew === source.crew)
    .map((t) => ctx.tasks.get(t.id)?.extraction)
    .filter((p): p is ExtractionProgress => p !== undefined);
  const latest = progress.filter((p) => p.siteAt).sort((a, b) => b.siteAt.localeCompare(a.siteAt))[0];
  if (latest) {
    board.site = latest.site;
    board.siteAt = latest.siteAt;
  }
  const now = ctx.clock.nowMs();
  for (const p of progress) {
    if (p.unstable) board.unstableUntil.set(p.unstable.waypoint, Math.max(board.unstableUntil.get(p.unstable.waypoint) ?? 0, Date.parse(p.unstable.until)));
  }
  board.offer(progress.map((p) => p.survey).filter((s): s is Survey => s !== undefined), now);
  boards.set(source.crew, board);
  return board;
}
