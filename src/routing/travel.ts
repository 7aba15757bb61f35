import type { PlanFile } from '../plan/types.js';
import type { Intent } from '../state/journal.js';
import { ShipFailure, TaskFailure } from '../executor/context.js';
import { gameErrorCode, gameErrorData, isOutcomeUnknown, systemOf, type Ship } from '../executor/ports.js';
import type { ShipWorker } from '../executor/ship-worker.js';
import { failpoint } from '../cli/failpoint.js';
import { GateGraph, type Hop } from './graph.js';

/**
 * apply across systems (issue 13): a ship worker's way to a waypoint of another system, jump by
 * jump over the plan's gate graph (plan.sector). At each gate: fly there, refuel at its market
 * when the tank is below half, orbit, wait out the reactor cooldown (never calling against it),
 * jump. A jump spends credits (one ANTIMATTER at the origin gate's ask), so it is journaled like
 * a purchase: an intent on the ship's record before the call, the result after; an intent left
 * by a crash is reconciled from where the server says the ship is (reconcileJump). A refusal
 * that says the graph was wrong (4255 with the gate's real connections, 4262 an unbuilt
 * destination, 4256 an unbuilt origin) corrects the run's graph, and the ship re-routes from there.
 */

/** Re-routes one crossing may take before the ship gives up. */
const MAX_REROUTES = 4;

/** The run's gate graph: one per plan, shared by its ships, so one ship's correction serves all. */
const graphs = new WeakMap<PlanFile, GateGraph>();

export function graphOf(plan: PlanFile): GateGraph | undefined {
  if (!plan.sector) return undefined;
  let g = graphs.get(plan);
  if (!g) {
    g = new GateGraph(plan.sector.home, plan.sector.gates);
    graphs.set(plan, g);
  }
  return g;
}

/** Flies and jumps `w`'s ship until it is in `waypoint`'s system (then goTo flies the last leg). */
export async function crossTo(w: ShipWorker, waypoint: string, taskId?: string): Promise<void> {
  const target = systemOf(waypoint);
  const graph = graphOf(w.ctx.plan);
  for (let reroutes = 0; systemOf(w.ship.nav.waypointSymbol) !== target; ) {
    w.ctx.checkpoint();
    const here = systemOf(w.ship.nav.waypointSymbol);
    const hops = graph?.route(here, target);
    if (!graph || !hops || hops.length === 0) {
      const why = graph ? graph.whyUnreachable(here, target) : 'the plan knows no jump gates';
      throw new TaskFailure(`ship ${w.symbol} is in ${here} and cannot reach ${waypoint}: ${why}`, false, true);
    }
    const hop = hops[0]!;
    await w.goTo(hop.from, taskId);
    const market = await w.market(hop.from);
    await w.tryRefuel(taskId, false, market);
    await w.orbit();
    await waitCooldown(w, taskId);
    const ask = market.tradeGoods?.find((g) => g.symbol === 'ANTIMATTER')?.purchasePrice ?? 0;
    try {
      await jump(w, hop, ask, taskId);
    } catch (e) {
      const code = gameErrorCode(e);
      const data = gameErrorData(e);
      if (code === 4000) {
        // The reactor was still cooling (a cooldown we did not know of): wait it out, then go on.
        const cd = data.cooldown as Ship['cooldown'] | undefined;
        if (cd) w.ship.cooldown = cd;
        await waitCooldown(w, taskId);
        continue;
      }
      let fix: string | undefined;
      if (code === 4255 && Array.isArray(data.connections)) {
        graph.update(here, { connections: (data.connections as string[]).slice().sort() });
        fix = `${hop.from} does not connect to ${hop.to} (the game lists ${(data.connections as string[]).join(', ') || 'none'})`;
      } else if (code === 4262) {
        graph.update(systemOf(hop.to), { built: false });
        fix = `${hop.to} is under construction`;
      } else if (code === 4256) {
        graph.update(here, { built: false });
        fix = `${hop.from} is under construction`;
      }
      if (!fix) throw e;
      if (++reroutes > MAX_REROUTES) throw new ShipFailure(`ship ${w.symbol} could not reach ${target}: ${reroutes} jumps refused, the last because ${fix}`);
      w.ctx.events.emit('warning', `jump ${hop.from} → ${hop.to} refused: ${fix}; re-routing`, { ship: w.symbol, taskId });
      await w.ctx.step(w.symbol, 'jump.reroute', { taskId, waypoint: hop.from, error: fix });
    }
  }
}

/** Waits until the reactor is cool (the ship's cooldown as the last response or read gave it). */
async function waitCooldown(w: ShipWorker, taskId?: string): Promise<void> {
  const expiration = w.ship.cooldown?.expiration ? Date.parse(w.ship.cooldown.expiration) : NaN;
  const ms = Number.isFinite(expiration) ? expiration - w.ctx.clock.nowMs() : (w.ship.cooldown?.remainingSeconds ?? 0) * 1000;
  if (ms <= 0) return;
  const until = w.ctx.clock.nowMs() + ms;
  await w.setStep(`reactor cooldown at ${w.ship.nav.waypointSymbol}`, taskId, until);
  await w.ctx.step(w.symbol, 'cooldown', { taskId, waypoint: w.ship.nav.waypointSymbol, wait: { seconds: Math.round((ms / 1000) * w.ctx.clock.timeScale), reason: `reactor cooldown before a jump at ${w.ship.nav.waypointSymbol}`, until: new Date(until).toISOString() } });
  await w.ctx.clock.sleepWall(ms + 20, w.ctx.signal);
  w.ctx.checkpoint();
  w.ship.cooldown = { ...w.ship.cooldown, remainingSeconds: 0 };
}

/** One jump: budget check, intent, call, result; reconciled when its outcome is unknown. */
async function jump(w: ShipWorker, hop: Hop, ask: number, taskId?: string): Promise<void> {
  const client = w.ctx.client;
  if (!client.jump) throw new ShipFailure('this client cannot jump');
  if (ask > 0 && w.ctx.affordableUnits(ask) < 1) throw new TaskFailure(`the budget does not allow the jump ${hop.from} → ${hop.to} (${ask} credits of antimatter)`, true);
  const release = w.ctx.commit(ask);
  const intent: Intent = {
    id: w.ctx.newIntentId(),
    kind: 'jump',
    ship: w.symbol,
    waypoint: hop.from,
    destination: hop.to,
    good: 'ANTIMATTER',
    units: 1,
    cargoBefore: 0,
    expectedUnitPrice: ask,
    at: new Date().toISOString(),
  };
  try {
    await w.ctx.saveShip({ ...w.record, pending: intent });
    await w.ctx.step(w.symbol, 'jump.intent', { taskId, intent });
    await w.setStep(`jump ${hop.from} → ${hop.to}`, taskId);
    failpoint('jump-intent');
    let res: Awaited<ReturnType<NonNullable<typeof client.jump>>>;
    try {
      res = await client.jump(w.symbol, hop.to);
    } catch (e) {
      if (isOutcomeUnknown(e)) return await reconcileJump(w, intent);
      if (gameErrorCode(e) !== undefined) {
        await w.ctx.saveShip({ ...w.record, pending: undefined });
        await w.ctx.step(w.symbol, 'jump.error', { taskId, intent, error: (e as Error).message });
        if (gameErrorCode(e) === 4600) throw new TaskFailure(`the agent has too few credits for the jump ${hop.from} → ${hop.to}`, true);
      }
      throw e;
    }
    failpoint('jump-sent');
    w.ship.nav = res.nav;
    w.ship.cooldown = res.cooldown;
    w.ctx.credits = res.agent.credits;
    const tx = res.transaction;
    await w.ctx.saveShip({ ...w.record, pending: undefined, jumpSpent: (w.record.jumpSpent ?? 0) + tx.totalPrice });
    await w.ctx.step(w.symbol, 'jump.result', {
      taskId,
      intent,
      result: { units: 1, totalPrice: tx.totalPrice, pricePerUnit: tx.pricePerUnit, happened: true },
      credits: res.agent.credits,
    });
    w.ctx.events.emit('result', `jumped ${hop.from} → ${hop.to} for ${tx.totalPrice} (cooldown ${res.cooldown.totalSeconds}s)`, { ship: w.symbol, taskId });
  } finally {
    release();
  }
}

/**
 * A jump intent without a result (a crash, a lost response): the server's nav says whether the
 * ship jumped. If it did, the antimatter was paid (priced at the intent's ask: the origin market's
 * log is out of sight once the ship left); if not, nothing was. Never retried blindly.
 */
export async function reconcileJump(w: ShipWorker, intent: Intent): Promise<void> {
  const ship = await w.ctx.client.getShip(w.symbol);
  w.ship = ship;
  const happened = intent.destination !== undefined && systemOf(ship.nav.waypointSymbol) === systemOf(intent.destination);
  const total = happened ? intent.expectedUnitPrice : 0;
  await w.ctx.saveShip({ ...w.record, pending: undefined, jumpSpent: (w.record.jumpSpent ?? 0) + total });
  await w.ctx.step(w.symbol, 'jump.reconciled', { intent, result: { units: happened ? 1 : 0, totalPrice: total, pricePerUnit: intent.expectedUnitPrice, happened, reconciled: true } });
  w.ctx.events.emit('reconcile', `jump ${intent.waypoint} → ${intent.destination} ${happened ? 'had happened' : 'had not happened'}`, { ship: w.symbol });
}
