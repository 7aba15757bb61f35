/**
 * The extraction calls of a crew (issue 14), each journaled like a trade: an intent on the task
 * record before the call, the result after it, and, when the outcome is unknown (a crash, a
 * dropped response), a reconciliation from the ship's hold, never a retry. Every call that changes
 * a crew ship's hold runs under that hold's lock (board.ts), so the hold decides it exactly.
 *
 *   extract / siphon   the yield is the good whose units grew (intent.hold is the hold before)
 *   jettison           happened when the good's units fell by the intent's units
 *   transfer           the hauler pulls: happened when the hauler's units of the good grew by them
 *   survey             no cargo changes: a lost response only loses its surveys (not journaled as an intent)
 */
import type { Task } from '../../plan/types.js';
import type { ExtractionProgress, Intent, TaskRecord } from '../../state/journal.js';
import type { RunContext } from '../context.js';
import { TaskFailure } from '../context.js';
import { gameErrorCode, isOutcomeUnknown, unitsInHold, type Cooldown, type ShipCargo } from '../ports.js';
import type { ShipWorker } from '../ship-worker.js';
import type { CrewBoard } from './board.js';

/** The task's extraction progress, started at the crew's site when it has none yet. */
export function progressOf(rec: TaskRecord, board: CrewBoard): ExtractionProgress {
  return rec.extraction ?? { site: board.site, siteAt: board.siteAt, extractions: 0, yields: {}, jettisoned: {}, pulled: {}, surveys: 0 };
}

const add = (m: Record<string, number>, k: string, n: number): Record<string, number> => ({ ...m, [k]: (m[k] ?? 0) + n });

function inventory(cargo: ShipCargo): Record<string, number> {
  return Object.fromEntries(cargo.inventory.filter((i) => i.units > 0).map((i) => [i.symbol, i.units]));
}

/** Cargo as the response gave it, for the board and the worker. */
function setCargo(worker: ShipWorker, board: CrewBoard, cargo: ShipCargo): void {
  worker.ship.cargo = cargo;
  board.cargo.set(worker.symbol, cargo);
}

export function noteCooldown(ctx: RunContext, board: CrewBoard, ship: string, cooldown: Cooldown | undefined): number {
  // The expiration (ms precision) when given; remainingSeconds is whole seconds.
  const exp = cooldown?.expiration ? Date.parse(cooldown.expiration) : NaN;
  const until = Number.isFinite(exp) ? exp : ctx.clock.nowMs() + Math.max(0, cooldown?.remainingSeconds ?? 0) * 1000;
  board.cooldown.set(ship, until);
  return until;
}

/** Journals the reactor cooldown a call started (a `cooldown` step, drawn on the ship's dashboard lane); none when it is already over. */
export async function journalCooldown(ctx: RunContext, worker: ShipWorker, taskId: string, until: number, after: string): Promise<void> {
  const ms = until - ctx.clock.nowMs();
  if (ms <= 0) return;
  const waypoint = worker.ship.nav.waypointSymbol;
  await ctx.step(worker.symbol, 'cooldown', { taskId, waypoint, wait: { seconds: Math.round((ms / 1000) * ctx.clock.timeScale), reason: `reactor cooldown after ${after} at ${waypoint}`, until: new Date(until).toISOString() } });
}

async function openIntent(ctx: RunContext, rec: TaskRecord, intent: Intent): Promise<TaskRecord> {
  const r: TaskRecord = { ...rec, pending: intent };
  await ctx.saveTask(r);
  await ctx.step(intent.ship, `${intent.kind}.intent`, { taskId: rec.taskId, intent });
  return r;
}

async function closeRefused(ctx: RunContext, r: TaskRecord, intent: Intent, e: unknown): Promise<TaskRecord> {
  const closed: TaskRecord = { ...r, pending: undefined };
  await ctx.saveTask(closed);
  await ctx.step(intent.ship, `${intent.kind}.error`, { taskId: r.taskId, intent, error: (e as Error).message });
  return closed;
}

/** A yield counted on the task: its progress, and (for a haul task mining itself) the wanted units it now owns. */
function counted(rec: TaskRecord, task: Task, board: CrewBoard, good: string, units: number, haul: boolean): TaskRecord {
  const p = progressOf(rec, board);
  return {
    ...rec,
    pending: undefined,
    acquired: rec.acquired + (haul && good === task.good ? units : 0),
    extraction: { ...p, extractions: p.extractions + 1, yields: add(p.yields, good, units) },
  };
}

/**
 * One extraction (or siphon) by `worker`'s ship at the crew's site, with the crew's survey when it
 * has a usable one. Returns the record; throws the game's refusal (the caller handles 4000, 4228,
 * 4253 and the survey codes) with the intent closed.
 */
export async function extractOnce(ctx: RunContext, worker: ShipWorker, board: CrewBoard, task: Task, rec: TaskRecord, haul: boolean): Promise<TaskRecord> {
  const siphon = board.source.method === 'SIPHON';
  const survey = siphon ? undefined : board.usableSurvey(ctx.clock.nowMs());
  return board.withHold(worker.symbol, async () => {
    const intent: Intent = {
      id: ctx.newIntentId(),
      kind: 'extract',
      ship: worker.symbol,
      waypoint: worker.ship.nav.waypointSymbol,
      good: task.good,
      units: 0,
      cargoBefore: worker.ship.cargo.units,
      expectedUnitPrice: 0,
      at: new Date().toISOString(),
      hold: inventory(worker.ship.cargo),
      ...(survey ? { survey: survey.signature } : {}),
    };
    let r = await openIntent(ctx, rec, intent);
    try {
      const client = ctx.client;
      let y: { symbol: string; units: number };
      let cargo: ShipCargo;
      let cooldown: Cooldown;
      if (siphon) {
        const res = await client.siphon!(worker.symbol);
        ({ yield: y } = res.siphon);
        ({ cargo, cooldown } = res);
      } else {
        const res = survey ? await client.extractWithSurvey!(worker.symbol, survey) : await client.extract!(worker.symbol);
        ({ yield: y } = res.extraction);
        ({ cargo, cooldown } = res);
      }
      setCargo(worker, board, cargo);
      const until = noteCooldown(ctx, board, worker.symbol, cooldown);
      r = counted(r, task, board, y.symbol, y.units, haul);
      r = { ...r, extraction: { ...r.extraction!, cooldownUntil: new Date(until).toISOString() } };
      await ctx.saveTask(r);
      await ctx.step(worker.symbol, 'extract.result', { taskId: task.id, intent, yield: { good: y.symbol, units: y.units }, result: { units: y.units, totalPrice: 0, pricePerUnit: 0, happened: true } });
      await journalCooldown(ctx, worker, task.id, until, siphon ? 'siphon' : 'extract');
      ctx.events.emit('result', `${siphon ? 'siphoned' : 'extracted'} ${y.units} ${y.symbol} at ${intent.waypoint}${survey ? ` with survey ${survey.signature}` : ''}`, { ship: worker.symbol, taskId: task.id, data: { ...y } });
      return r;
    } catch (e) {
      if (isOutcomeUnknown(e)) return reconcileExtract(ctx, worker, board, task, r, intent, haul);
      if (gameErrorCode(e) === undefined) throw e;
      await closeRefused(ctx, r, intent, e);
      throw e;
    }
  });
}

/** An extract intent without a result: the ship's hold says whether it happened and what it yielded. */
export async function reconcileExtract(ctx: RunContext, worker: ShipWorker, board: CrewBoard, task: Task, rec: TaskRecord, intent: Intent, haul: boolean): Promise<TaskRecord> {
  const ship = await ctx.client.getShip(worker.symbol);
  worker.ship = ship;
  board.cargo.set(worker.symbol, ship.cargo);
  const before = intent.hold ?? {};
  const grown = ship.cargo.inventory.map((i) => ({ good: i.symbol, units: i.units - (before[i.symbol] ?? 0) })).find((d) => d.units > 0);
  const r = grown ? counted(rec, task, board, grown.good, grown.units, haul) : { ...rec, pending: undefined };
  await ctx.saveTask(r);
  await ctx.step(worker.symbol, 'extract.reconciled', {
    taskId: task.id,
    intent,
    ...(grown ? { yield: { good: grown.good, units: grown.units } } : {}),
    result: { units: grown?.units ?? 0, totalPrice: 0, pricePerUnit: 0, happened: Boolean(grown), reconciled: true },
  });
  ctx.events.emit('reconcile', `extraction ${grown ? `had happened (${grown.units} ${grown.good})` : 'had not happened'}`, { ship: worker.symbol, taskId: task.id });
  return r;
}

/** Jettisons `units` of a good the plan does not want from `worker`'s hold. */
export async function jettisonOnce(ctx: RunContext, worker: ShipWorker, board: CrewBoard, task: Task, rec: TaskRecord, good: string, units: number): Promise<TaskRecord> {
  if (good === task.good) throw new Error(`refusing to jettison the wanted good ${good}`);
  return board.withHold(worker.symbol, async () => {
    const intent: Intent = { id: ctx.newIntentId(), kind: 'jettison', ship: worker.symbol, waypoint: worker.ship.nav.waypointSymbol, good, units, cargoBefore: worker.held(good), expectedUnitPrice: 0, at: new Date().toISOString() };
    let r = await openIntent(ctx, rec, intent);
    try {
      const res = await ctx.client.jettison!(worker.symbol, good, units);
      setCargo(worker, board, res.cargo);
      r = jettisoned(r, board, good, units);
      await ctx.saveTask(r);
      await ctx.step(worker.symbol, 'jettison.result', { taskId: task.id, intent, yield: { good, units }, result: { units, totalPrice: 0, pricePerUnit: 0, happened: true } });
      return r;
    } catch (e) {
      if (isOutcomeUnknown(e)) return reconcileJettison(ctx, worker, board, task, r, intent);
      if (gameErrorCode(e) === undefined) throw e;
      r = await closeRefused(ctx, r, intent, e);
      // The hold was not what we thought: read it again and go on.
      const ship = await ctx.client.getShip(worker.symbol);
      setCargo(worker, board, ship.cargo);
      return r;
    }
  });
}

function jettisoned(rec: TaskRecord, board: CrewBoard, good: string, units: number): TaskRecord {
  const p = progressOf(rec, board);
  return { ...rec, pending: undefined, extraction: { ...p, jettisoned: add(p.jettisoned, good, units) } };
}

export async function reconcileJettison(ctx: RunContext, worker: ShipWorker, board: CrewBoard, task: Task, rec: TaskRecord, intent: Intent): Promise<TaskRecord> {
  const ship = await ctx.client.getShip(worker.symbol);
  worker.ship = ship;
  board.cargo.set(worker.symbol, ship.cargo);
  const happened = unitsInHold(ship.cargo, intent.good) <= intent.cargoBefore - intent.units;
  const r = happened ? jettisoned(rec, board, intent.good, intent.units) : { ...rec, pending: undefined };
  await ctx.saveTask(r);
  await ctx.step(worker.symbol, 'jettison.reconciled', { taskId: task.id, intent, result: { units: happened ? intent.units : 0, totalPrice: 0, pricePerUnit: 0, happened, reconciled: true } });
  return r;
}

/**
 * The hauler (`hauler`'s ship) pulls `units` of `good` from crew ship `from` at the same waypoint,
 * both in orbit. Returns the record; a refusal (the other ship moved, its hold changed) closes the
 * intent and returns it unchanged, after reading `from`'s hold again.
 */
export async function pullOnce(ctx: RunContext, hauler: ShipWorker, board: CrewBoard, task: Task, rec: TaskRecord, from: string, good: string, units: number): Promise<TaskRecord> {
  return board.withHold(from, async () => {
    const intent: Intent = { id: ctx.newIntentId(), kind: 'transfer', ship: hauler.symbol, from, waypoint: hauler.ship.nav.waypointSymbol, good, units, cargoBefore: hauler.held(good), expectedUnitPrice: 0, at: new Date().toISOString() };
    let r = await openIntent(ctx, rec, intent);
    try {
      const res = await ctx.client.transferCargo!(from, hauler.symbol, good, units);
      board.cargo.set(from, res.cargo);
      hauler.ship.cargo = withUnits(hauler.ship.cargo, good, units);
      board.cargo.set(hauler.symbol, hauler.ship.cargo);
      r = pulled(r, task, board, from, good, units);
      await ctx.saveTask(r);
      await ctx.step(hauler.symbol, 'transfer.result', { taskId: task.id, intent, yield: { good, units }, result: { units, totalPrice: 0, pricePerUnit: 0, happened: true } });
      ctx.events.emit('result', `pulled ${units} ${good} from ${from}`, { ship: hauler.symbol, taskId: task.id });
      return r;
    } catch (e) {
      if (isOutcomeUnknown(e)) return reconcileTransfer(ctx, hauler, board, task, r, intent);
      if (gameErrorCode(e) === undefined) throw e;
      r = await closeRefused(ctx, r, intent, e);
      const other = await ctx.client.getShip(from);
      board.cargo.set(from, other.cargo);
      board.at.set(from, { waypoint: other.nav.waypointSymbol, inOrbit: other.nav.status === 'IN_ORBIT' });
      return r;
    }
  });
}

function pulled(rec: TaskRecord, task: Task, board: CrewBoard, from: string, good: string, units: number): TaskRecord {
  const p = progressOf(rec, board);
  return { ...rec, pending: undefined, acquired: rec.acquired + (good === task.good ? units : 0), extraction: { ...p, pulled: add(p.pulled, `${good}@${from}`, units) } };
}

export async function reconcileTransfer(ctx: RunContext, hauler: ShipWorker, board: CrewBoard, task: Task, rec: TaskRecord, intent: Intent): Promise<TaskRecord> {
  const ship = await ctx.client.getShip(hauler.symbol);
  hauler.ship = ship;
  board.cargo.set(hauler.symbol, ship.cargo);
  const happened = unitsInHold(ship.cargo, intent.good) >= intent.cargoBefore + intent.units;
  const r = happened ? pulled(rec, task, board, intent.from!, intent.good, intent.units) : { ...rec, pending: undefined };
  await ctx.saveTask(r);
  await ctx.step(hauler.symbol, 'transfer.reconciled', { taskId: task.id, intent, result: { units: happened ? intent.units : 0, totalPrice: 0, pricePerUnit: 0, happened, reconciled: true } });
  ctx.events.emit('reconcile', `transfer of ${intent.units} ${intent.good} from ${intent.from} ${happened ? 'had happened' : 'had not happened'}`, { ship: hauler.symbol, taskId: task.id });
  return r;
}

function withUnits(cargo: ShipCargo, good: string, units: number): ShipCargo {
  const inventory = cargo.inventory.some((i) => i.symbol === good)
    ? cargo.inventory.map((i) => (i.symbol === good ? { ...i, units: i.units + units } : i))
    : [...cargo.inventory, { symbol: good as ShipCargo['inventory'][number]['symbol'], name: good, description: good, units }];
  return { ...cargo, units: cargo.units + units, inventory };
}

/** One survey call: the best survey for the good goes to the board (and this task's record, to survive a restart). */
export async function surveyOnce(ctx: RunContext, worker: ShipWorker, board: CrewBoard, task: Task, rec: TaskRecord): Promise<TaskRecord> {
  const res = await ctx.client.createSurvey!(worker.symbol);
  const until = noteCooldown(ctx, board, worker.symbol, res.cooldown);
  const improved = board.offer(res.surveys, ctx.clock.nowMs());
  const p = progressOf(rec, board);
  const r: TaskRecord = { ...rec, extraction: { ...p, surveys: p.surveys + 1, ...(improved ? { survey: board.survey } : {}) } };
  await ctx.saveTask(r);
  await ctx.step(worker.symbol, 'survey.result', {
    taskId: task.id,
    waypoint: worker.ship.nav.waypointSymbol,
    surveys: res.surveys.map((s) => ({ signature: s.signature, size: s.size, deposits: s.deposits.map((d) => d.symbol), expiration: s.expiration })),
  });
  await journalCooldown(ctx, worker, task.id, until, 'survey');
  ctx.events.emit('result', `surveyed ${worker.ship.nav.waypointSymbol}: ${res.surveys.length} survey(s)${improved ? `; the best for ${task.good} is now ${board.survey!.signature}` : ''}`, { ship: worker.symbol, taskId: task.id });
  return r;
}

/** The reconciliation of an extraction task's open intent, whatever its kind (on resume). */
export async function reconcileOpen(ctx: RunContext, worker: ShipWorker, board: CrewBoard, task: Task, rec: TaskRecord, haul: boolean): Promise<TaskRecord> {
  const intent = rec.pending;
  if (!intent) return rec;
  return board.withHold(intent.kind === 'transfer' ? intent.from! : worker.symbol, async () => {
    if (intent.kind === 'extract') return reconcileExtract(ctx, worker, board, task, rec, intent, haul);
    if (intent.kind === 'jettison') return reconcileJettison(ctx, worker, board, task, rec, intent);
    if (intent.kind === 'transfer') return reconcileTransfer(ctx, worker, board, task, rec, intent);
    if (intent.kind === 'sell' || intent.kind === 'deliver') {
      await worker.goTo(intent.waypoint, task.id);
      return worker.reconcileTrade(rec, intent);
    }
    throw new TaskFailure(`an open ${intent.kind} intent cannot be reconciled on an extraction task`);
  });
}
