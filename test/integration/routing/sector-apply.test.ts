import { expect } from 'chai';
import { applyPlan } from '../../../src/executor/apply.js';
import { realClock } from '../../../src/executor/clock.js';
import { Journal } from '../../../src/state/journal.js';
import { SECTOR, sectorWorld, type SectorWorld } from './helpers.js';

const TIME_SCALE = 1000;

/**
 * Applying across systems (issue 13) against the sector simulator over HTTP: the ship worker
 * flies to the gate, refuels there when low, orbits, waits out the reactor cooldown, jumps (one
 * ANTIMATTER at the origin gate's ask, journaled like a purchase), and re-routes when the game
 * says a gate is not what the plan thought (4262 here).
 */
describe('integration: applying across systems (sector simulator)', function () {
  this.timeout(180_000);
  let w: SectorWorld;
  beforeEach(async () => {
    w = await sectorWorld({ timeScale: TIME_SCALE });
    await w.setBuilt(SECTOR.homeGate, true);
  });
  afterEach(async () => w?.close());

  async function jumpsOf(runId: string) {
    const steps = await new Journal(w.store).steps(runId);
    return steps.filter((s) => s.kind.startsWith('jump.'));
  }

  it('a good sold only two jumps away: planned, jumped twice (intent, then result, each), bought, kept in the hold', async () => {
    await w.chart(SECTOR.nearGate);
    const { plan } = await w.plan(w.spec('LASER_RIFLES', 2));
    expect(plan.tasks[0]!.route!.crossings[0]!.jumps).to.have.length(2);
    const before = (await w.client.getAgent()).credits;
    const out = await applyPlan({ plan, client: w.client, store: w.store, clock: realClock(TIME_SCALE), renderer: 'silent' });
    expect(out.status, out.message).to.equal('completed');
    const ship = await w.client.getShip(plan.tasks[0]!.ship);
    expect(ship.nav.systemSymbol).to.equal(SECTOR.far);
    expect(ship.cargo.inventory.find((i) => i.symbol === 'LASER_RIFLES')?.units).to.equal(2);
    const steps = await jumpsOf(out.runId);
    expect(steps.map((s) => s.kind)).to.deep.equal(['jump.intent', 'jump.result', 'jump.intent', 'jump.result']);
    // Every credit spent is in the journal: the laser rifles, fuel and the two jumps.
    const spentInGame = before - (await w.client.getAgent()).credits;
    expect(out.spent).to.equal(spentInGame);
    const jumpCredits = steps.filter((s) => s.kind === 'jump.result').reduce((a, s) => a + s.result!.totalPrice, 0);
    expect(jumpCredits).to.be.greaterThan(0);
    // The far market was never seen: its price guard was an estimate, re-derived from the first real ask there.
    const task = plan.tasks[0]!;
    expect(task.guards.estimated).to.equal(true);
    const rec = (await new Journal(w.store).getTasks(out.runId, [task.id])).get(task.id)!;
    expect(rec.ceiling?.waypoint).to.equal(task.source.waypoint);
  });

  it('re-routes when a gate on the planned route turns out unbuilt (4262): the other way round, through the gates that are built', async () => {
    // X1-MY64 is two jumps away through either X1-QJ48 or X1-WD86 (both charted here). Sell a
    // good of home at one of its markets.
    await w.chart(SECTOR.nearGate);
    await w.chart((await w.client.listWaypoints('X1-WD86', { type: 'JUMP_GATE' }))[0]!.symbol);
    const target = 'X1-MY64';
    const { good, market } = await homeGoodImportedIn(w, target);
    const { plan } = await w.plan(w.spec(good, 5, { target: { good, quantity: 5, deliver: { sell: market } }, policy: { scope: { systems: ['X1-QJ48', 'X1-WD86', target] } } }));
    const planned = plan.tasks[0]!.route!.crossings[0]!.jumps.map((j) => j.to);
    expect(planned).to.have.length(2);
    // The first gate the plan relies on goes under construction after planning.
    const via = planned[0]!;
    await w.setBuilt(via, false);
    const out = await applyPlan({ plan, client: w.client, store: w.store, clock: realClock(TIME_SCALE), renderer: 'silent' });
    expect(out.status, out.message).to.equal('completed');
    const steps = await jumpsOf(out.runId);
    expect(steps.find((s) => s.kind === 'jump.error')?.error).to.match(/4262|under construction/);
    expect(steps.some((s) => s.kind === 'jump.reroute')).to.equal(true);
    const jumped = steps.filter((s) => s.kind === 'jump.result').map((s) => s.intent!.destination!);
    expect(jumped).to.not.include(via);
    expect(jumped.at(-1)!.startsWith(target)).to.equal(true);
    expect(out.tasks[0]!.delivered).to.equal(5);
  });

  it('re-routes on 4255 with the connections the game sends (data.connections) when a gate no longer links where the plan thought', async () => {
    await w.chart(SECTOR.nearGate);
    await w.chart((await w.client.listWaypoints('X1-WD86', { type: 'JUMP_GATE' }))[0]!.symbol);
    const target = 'X1-MY64';
    const { good, market } = await homeGoodImportedIn(w, target);
    const { plan } = await w.plan(w.spec(good, 5, { target: { good, quantity: 5, deliver: { sell: market } }, policy: { scope: { systems: ['X1-QJ48', 'X1-WD86', target] } } }));
    const via = plan.tasks[0]!.route!.crossings[0]!.jumps[0]!.to;
    // After planning, the home gate stops listing the plan's first hop (the game's graph is the truth).
    const homeGate = w.sim.universe.gates.get(SECTOR.homeGate)!;
    homeGate.connections = homeGate.connections.filter((c) => c !== via);
    const out = await applyPlan({ plan, client: w.client, store: w.store, clock: realClock(TIME_SCALE), renderer: 'silent' });
    expect(out.status, out.message).to.equal('completed');
    const steps = await jumpsOf(out.runId);
    expect(steps.find((s) => s.kind === 'jump.error')?.error).to.match(/4255|not connected/);
    expect(steps.find((s) => s.kind === 'jump.reroute')?.error).to.include(`does not connect to ${via}`);
    const jumped = steps.filter((s) => s.kind === 'jump.result').map((s) => s.intent!.destination!);
    expect(jumped).to.not.include(via);
    expect(jumped.at(-1)!.startsWith(target)).to.equal(true);
  });
});

/** A good some market of home exports and a market of `system` imports. */
async function homeGoodImportedIn(w: SectorWorld, system: string): Promise<{ good: string; market: string }> {
  const home = new Set<string>();
  for (const wp of await w.client.listWaypoints(SECTOR.home, { traits: 'MARKETPLACE' })) for (const g of (await w.client.getMarket(SECTOR.home, wp.symbol)).exports) home.add(g.symbol);
  for (const wp of await w.client.listWaypoints(system, { traits: 'MARKETPLACE' })) {
    const m = await w.client.getMarket(system, wp.symbol);
    const g = m.imports.map((i) => i.symbol).sort().find((s) => home.has(s));
    if (g) return { good: g, market: wp.symbol };
  }
  throw new Error(`no market of ${system} imports a good home exports`);
}
