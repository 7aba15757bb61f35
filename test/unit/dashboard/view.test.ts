import { expect } from 'chai';
import type { StatusReport } from '../../../src/executor/status-view.js';
import { eventRow, factoryPanels, lanesOf, lastProgressAt, mapOf, moneyOf, plannedSchedule, taskEtas, waitingTasks } from '../../../src/dashboard/view.js';
import type { DecisionNode, Task } from '../../../src/plan/types.js';
import type { StepRecord } from '../../../src/state/journal.js';
import { makePlan } from '../executor/plan-fixture.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

function task(id: string, ship: string, seconds: number, extra: Partial<Task> = {}): Task {
  return {
    id,
    good: 'IRON',
    quantity: 40,
    ship,
    source: { kind: 'market', waypoint: 'X1-T-A' },
    destination: { kind: 'feed', waypoint: 'X1-T-F', forGood: 'MACHINERY' },
    dependsOn: [],
    trips: [40],
    tradeVolume: 20,
    guards: { maxUnitPrice: 100, minSellPrice: 0 },
    estimate: { credits: 0, fuel: 0, gameSeconds: seconds, requests: 0 },
    ...extra,
  };
}

const feedA = task('feed-A', 'S-1', 100);
const feedB = task('feed-B', 'S-2', 300);
const collect = task('make-M', 'S-1', 200, {
  good: 'MACHINERY',
  dependsOn: ['feed-A', 'feed-B'],
  source: { kind: 'factory', waypoint: 'X1-T-F', minSupply: 'MODERATE', resumeSupply: 'HIGH', pollSeconds: 30, maxPollSeconds: 300, timeoutSeconds: 3600 },
  destination: { kind: 'hold' },
});
const plan = makePlan({ tasks: [feedA, feedB, collect], fleet: ['S-1', 'S-2'], target: { good: 'MACHINERY', quantity: 40 } });

function report(tasks: Array<Partial<StatusReport['tasks'][number]> & { id: string }>, ships: StatusReport['ships'] = []): StatusReport {
  return {
    tasks: plan.tasks.map((t) => ({ id: t.id, good: t.good, status: 'pending', ship: t.ship, acquired: 0, delivered: 0, quantity: t.quantity, spent: 0, ...tasks.find((x) => x.id === t.id) })),
    ships,
  } as StatusReport;
}

const step = (seq: number, s: number, ship: string, kind: string, extra: Partial<StepRecord> = {}): StepRecord => ({ seq, runId: 'r', ship, kind, at: at(s), ...extra });
const intent = (id: string, kind: 'buy' | 'sell', good: string, waypoint: string, s: number) => ({ id, kind, ship: 'S-1', waypoint, good, units: 20, cargoBefore: 0, expectedUnitPrice: 50, at: at(s) });

describe('dashboard view (pure, from the journal)', () => {
  it("plans each ship's tasks after its previous one and their dependencies, in wall time (game seconds / time scale)", () => {
    const s = plannedSchedule(plan.tasks, T0, 10);
    expect(s.get('feed-A')).to.deep.equal({ ship: 'S-1', start: T0, end: T0 + 10_000 });
    expect(s.get('feed-B')).to.deep.equal({ ship: 'S-2', start: T0, end: T0 + 30_000 });
    // The collect waits for the slower feed on the other ship, not only for its own ship.
    expect(s.get('make-M')).to.deep.equal({ ship: 'S-1', start: T0 + 30_000, end: T0 + 50_000 });
  });

  it("ETAs: each ship's remaining planned work from now, the part of a task already delivered counted done", () => {
    const r = report([{ id: 'feed-A', status: 'running', delivered: 20 }, { id: 'feed-B', status: 'completed', delivered: 40 }]);
    const now = T0 + 5000;
    const etas = taskEtas(r, plan, now, 1);
    expect(etas).to.deep.equal({ 'feed-A': now + 50_000, 'make-M': now + 50_000 + 200_000 });
  });

  it('lanes: flights from the route times, docked spells until the next departure (open while docked), trades from intent to result, waits until their end', () => {
    const nav = (from: string, to: string, dep: number, arr: number) => ({ from: { symbol: from, x: 0, y: 0 }, to: { symbol: to, x: 10, y: 0 }, departure: at(dep), arrival: at(arr) });
    const steps = [
      step(1, 0, 'S-1', 'navigate', { taskId: 'feed-A', nav: nav('X1-T-H', 'X1-T-A', 0, 20) }),
      step(2, 21, 'S-1', 'dock', { waypoint: 'X1-T-A' }),
      step(3, 22, 'S-1', 'buy.intent', { taskId: 'feed-A', intent: intent('i1', 'buy', 'IRON', 'X1-T-A', 22) }),
      step(4, 23, 'S-1', 'buy.result', { taskId: 'feed-A', intent: intent('i1', 'buy', 'IRON', 'X1-T-A', 22), result: { units: 20, totalPrice: 1000, pricePerUnit: 50, happened: true } }),
      step(5, 25, 'S-1', 'navigate', { taskId: 'feed-A', nav: nav('X1-T-A', 'X1-T-F', 25, 40) }),
      step(6, 41, 'S-1', 'dock', { waypoint: 'X1-T-F' }),
      step(7, 42, 'S-2', 'wait', { taskId: 'make-M', waypoint: 'X1-T-F', wait: { seconds: 300, reason: 'MACHINERY supply is LIMITED; waiting for HIGH', until: at(72) } }),
    ];
    const lanes = lanesOf(steps, ['S-1', 'S-2'], T0 + 50_000);
    expect(lanes.get('S-1')!.map((x) => [x.kind, (x.start - T0) / 1000, (x.end - T0) / 1000, x.open ?? false])).to.deep.equal([
      ['flight', 0, 20, false],
      ['dock', 21, 25, false],
      ['trade', 22, 23, false],
      ['flight', 25, 40, false],
      ['dock', 41, 50, true],
    ]);
    expect(lanes.get('S-2')!.map((x) => [x.kind, (x.start - T0) / 1000, (x.end - T0) / 1000, x.label])).to.deep.equal([['wait', 42, 72, 'MACHINERY supply is LIMITED; waiting for HIGH']]);
  });

  it('lanes of an extraction crew: reactor cooldowns after extractions and surveys are their own kind, apart from production waits; a legacy jump cooldown (a wait) too', () => {
    const ext = (id: string, s: number) => ({ id, kind: 'extract' as const, ship: 'D-1', waypoint: 'X1-T-AST', good: 'IRON_ORE', units: 0, cargoBefore: 0, expectedUnitPrice: 0, at: at(s) });
    const cool = (seq: number, s: number, ship: string, until: number, after: string) =>
      step(seq, s, ship, 'cooldown', { taskId: `mine-${ship}`, waypoint: 'X1-T-AST', wait: { seconds: (until - s) * 10, reason: `reactor cooldown after ${after} at X1-T-AST`, until: at(until) } });
    const steps = [
      step(1, 0, 'SV-1', 'survey.result', { taskId: 'mine-SV-1', waypoint: 'X1-T-AST', surveys: [] }),
      cool(2, 0, 'SV-1', 7, 'survey'),
      step(3, 1, 'D-1', 'extract.intent', { taskId: 'mine-D-1', intent: ext('e1', 1) }),
      step(4, 2, 'D-1', 'extract.result', { taskId: 'mine-D-1', intent: ext('e1', 1), yield: { good: 'IRON_ORE', units: 6 }, result: { units: 6, totalPrice: 0, pricePerUnit: 0, happened: true } }),
      cool(5, 2, 'D-1', 9, 'extract'),
      step(6, 9, 'D-1', 'extract.intent', { taskId: 'mine-D-1', intent: ext('e2', 9) }),
      step(7, 10, 'D-1', 'extract.result', { taskId: 'mine-D-1', intent: ext('e2', 9), yield: { good: 'IRON_ORE', units: 4 }, result: { units: 4, totalPrice: 0, pricePerUnit: 0, happened: true } }),
      cool(8, 10, 'D-1', 17, 'extract'),
      step(9, 12, 'H-1', 'wait', { taskId: 'haul', wait: { seconds: 300, reason: 'IRON supply is LIMITED; waiting for HIGH', until: at(42) } }),
      step(10, 50, 'H-1', 'wait', { taskId: 'haul', wait: { seconds: 60, reason: 'reactor cooldown', until: at(56) } }), // journaled before issue 16's cooldown steps
    ];
    const lanes = lanesOf(steps, ['D-1', 'SV-1', 'H-1'], T0 + 60_000);
    const seen = (ship: string) => lanes.get(ship)!.map((x) => [x.kind, (x.start - T0) / 1000, (x.end - T0) / 1000, x.label]);
    expect(seen('D-1')).to.deep.equal([
      ['trade', 1, 2, 'extract 6 IRON_ORE at X1-T-AST'],
      ['cooldown', 2, 9, 'reactor cooldown after extract at X1-T-AST'],
      ['trade', 9, 10, 'extract 4 IRON_ORE at X1-T-AST'],
      ['cooldown', 10, 17, 'reactor cooldown after extract at X1-T-AST'],
    ]);
    expect(seen('SV-1')).to.deep.equal([['cooldown', 0, 7, 'reactor cooldown after survey at X1-T-AST']]);
    expect(seen('H-1').map((x) => x[0])).to.deep.equal(['wait', 'cooldown']);
    expect(eventRow(steps[4]!).text).to.equal('reactor cooldown after extract at X1-T-AST (70 s of game time)');
    // A cooldown is not a production wait: "why waiting" still names the production wait.
    const r = report([{ id: 'make-M', status: 'waiting' }]);
    const w = waitingTasks(r, plan, [step(1, 5, 'S-1', 'wait', { taskId: 'make-M', wait: { seconds: 30, reason: 'MACHINERY supply is LIMITED', until: at(35) } }), step(2, 6, 'S-1', 'cooldown', { taskId: 'make-M', wait: { seconds: 5, reason: 'reactor cooldown before a jump at X1-T-G', until: at(11) } })]);
    expect(w[0]!.reason).to.equal('MACHINERY supply is LIMITED');
  });

  it("factory panel: supply, activity and price of the output (what we pay) and inputs (what we get) at the factory, and our trades there only", () => {
    const decisions: DecisionNode = { ...plan.decisions, good: 'MACHINERY', action: 'MAKE', waypoint: 'X1-T-F', inputs: [{ ...plan.decisions, good: 'IRON', action: 'BUY', waypoint: 'X1-T-A', inputs: [] }] };
    const steps = [
      step(1, 10, 'S-1', 'market', { waypoint: 'X1-T-A', market: [{ good: 'IRON', supply: 'HIGH', purchasePrice: 50, sellPrice: 45 }] }),
      step(2, 30, 'S-1', 'market', { waypoint: 'X1-T-F', market: [{ good: 'IRON', supply: 'SCARCE', activity: 'WEAK', purchasePrice: 90, sellPrice: 80 }, { good: 'MACHINERY', supply: 'LIMITED', activity: 'GROWING', purchasePrice: 400, sellPrice: 380 }] }),
      step(3, 31, 'S-1', 'sell.result', { intent: intent('i2', 'sell', 'IRON', 'X1-T-F', 31), result: { units: 20, totalPrice: 1600, pricePerUnit: 80, happened: true } }),
      step(4, 32, 'S-1', 'buy.result', { intent: intent('i3', 'buy', 'IRON', 'X1-T-A', 32), result: { units: 20, totalPrice: 1000, pricePerUnit: 50, happened: true } }),
    ];
    const [f] = factoryPanels(decisions, steps);
    expect(f!.waypoint).to.equal('X1-T-F');
    expect(f!.series.MACHINERY).to.deep.equal([{ t: T0 + 30_000, supply: 'LIMITED', activity: 'GROWING', price: 400 }]);
    expect(f!.series.IRON).to.deep.equal([{ t: T0 + 30_000, supply: 'SCARCE', activity: 'WEAK', price: 80 }]);
    expect(f!.trades).to.deep.equal([{ t: T0 + 31_000, good: 'IRON', kind: 'sell', units: 20, price: 80, ship: 'S-1' }]);
  });

  it('map: markets from the run map with the roles the plan gives them, ships at their last position or in flight', () => {
    const runMap = { system: 'X1-T', markets: [{ symbol: 'X1-T-A', x: 1, y: 2, exports: [], imports: [] }, { symbol: 'X1-T-F', x: 5, y: 5, exports: [], imports: [] }, { symbol: 'X1-T-Z', x: 9, y: 9, exports: [], imports: [] }] };
    const steps = [
      step(1, 0, 'S-1', 'position', { position: { symbol: 'X1-T-H', x: 0, y: 0 } }),
      step(2, 0, 'S-2', 'position', { position: { symbol: 'X1-T-A', x: 1, y: 2 } }),
      step(3, 1, 'S-1', 'navigate', { nav: { from: { symbol: 'X1-T-H', x: 0, y: 0 }, to: { symbol: 'X1-T-A', x: 1, y: 2 }, departure: at(1), arrival: at(100) } }),
    ];
    const m = mapOf(plan, steps, runMap, ['S-1', 'S-2'], T0 + 50_000);
    expect(m.systems.map((x) => x.system)).to.deep.equal(['X1-T']);
    expect(m.systems[0]!.markets.map((x) => [x.symbol, x.roles])).to.deep.equal([
      ['X1-T-A', ['source of IRON']],
      ['X1-T-F', ['factory of MACHINERY']],
      ['X1-T-Z', []],
    ]);
    expect(m.ships[0]!.flight!.arrival).to.equal(T0 + 100_000);
    expect(m.ships[1]).to.deep.equal({ ship: 'S-2', system: 'X1-T', at: { symbol: 'X1-T-A', x: 1, y: 2 } });
    expect(m.systems[0]!.routes).to.have.length(1);
    expect(m.jumps).to.deep.equal([]);
  });

  it('map across two systems: a panel per system (home first) with its markets, gate and ships; the jumps planned and made between them', () => {
    // Home X1-T buys IRON at X1-T-A and feeds the factory X1-U-F in X1-U, two jumps away by the plan's route (X1-T-G ⇒ X1-U-G).
    const cross = task('feed-U', 'S-1', 400, {
      destination: { kind: 'feed', waypoint: 'X1-U-F', forGood: 'MACHINERY' },
      route: {
        crossings: [{ from: 'X1-T-A', to: 'X1-U-F', times: 1, legs: [{ from: 'X1-T-A', to: 'X1-T-G' }, { from: 'X1-U-G', to: 'X1-U-F' }], jumps: [{ from: 'X1-T-G', to: 'X1-U-G', antimatter: 60, cooldownSeconds: 45 }] }],
        antimatterCredits: 60,
        cooldownWaitSeconds: 0,
        gates: ['X1-T-G', 'X1-U-G'],
      },
    });
    const two = makePlan({ tasks: [cross, task('feed-B', 'S-2', 300)], fleet: ['S-1', 'S-2'], target: { good: 'MACHINERY', quantity: 40 } });
    const gate = (system: string, gate: string, x: number, y: number, built = true) => ({ system, gate, x, y, position: { x: 3, y: 4 }, built, charted: true, readAt: at(0) });
    two.sector = { home: 'X1-T', scope: { maxJumps: 3 }, gates: [gate('X1-T', 'X1-T-G', 0, 0), gate('X1-U', 'X1-U-G', 200, 50), gate('X1-V', 'X1-V-G', -300, 10, false)] };
    const runMap = {
      system: 'X1-T',
      markets: [
        { symbol: 'X1-T-A', x: 1, y: 2, exports: [], imports: [] },
        { symbol: 'X1-T-G', x: 3, y: 4, exports: ['ANTIMATTER'], imports: [] },
        { symbol: 'X1-U-F', x: -7, y: 8, exports: ['MACHINERY'], imports: ['IRON'] },
        { symbol: 'X1-U-Q', x: 20, y: 20, exports: [], imports: [] },
      ],
    };
    const jumpIntent = { id: 'j1', kind: 'jump' as const, ship: 'S-1', waypoint: 'X1-T-G', destination: 'X1-U-G', good: 'ANTIMATTER', units: 1, cargoBefore: 0, expectedUnitPrice: 60, at: at(30) };
    const steps = [
      step(1, 0, 'S-1', 'position', { position: { symbol: 'X1-T-A', x: 1, y: 2 } }),
      step(2, 0, 'S-2', 'position', { position: { symbol: 'X1-T-A', x: 1, y: 2 } }),
      step(3, 1, 'S-1', 'navigate', { taskId: 'feed-U', nav: { from: { symbol: 'X1-T-A', x: 1, y: 2 }, to: { symbol: 'X1-T-G', x: 3, y: 4 }, departure: at(1), arrival: at(20) } }),
      step(4, 30, 'S-1', 'jump.intent', { taskId: 'feed-U', intent: jumpIntent }),
      step(5, 31, 'S-1', 'jump.result', { taskId: 'feed-U', intent: jumpIntent, result: { units: 1, totalPrice: 60, pricePerUnit: 60, happened: true } }),
      step(6, 32, 'S-1', 'cooldown', { taskId: 'feed-U', waypoint: 'X1-U-G', wait: { seconds: 45, reason: 'reactor cooldown before a jump at X1-U-G', until: at(40) } }),
    ];
    // Right after the jump: S-1 is at X1-U's gate (coordinates from the plan's sector).
    const m = mapOf(two, steps, runMap, ['S-1', 'S-2'], T0 + 35_000);
    expect(m.system).to.equal('X1-T');
    expect(m.systems.map((x) => [x.system, x.home, x.sector])).to.deep.equal([
      ['X1-T', true, { x: 0, y: 0 }],
      ['X1-U', false, { x: 200, y: 50 }],
    ]);
    const [t, u] = m.systems;
    expect(t!.markets.map((x) => [x.symbol, x.roles])).to.deep.equal([['X1-T-A', ['source of IRON']], ['X1-T-G', []]]);
    expect(u!.markets.map((x) => [x.symbol, x.roles])).to.deep.equal([['X1-U-F', ['factory of MACHINERY']], ['X1-U-Q', []]]);
    expect(t!.gate).to.deep.equal({ symbol: 'X1-T-G', x: 3, y: 4, built: true, charted: true });
    expect(u!.gate!.symbol).to.equal('X1-U-G');
    expect(t!.routes.map((r) => r.to.symbol)).to.deep.equal(['X1-T-G']);
    expect(u!.routes).to.deep.equal([]);
    expect(m.ships).to.deep.equal([
      { ship: 'S-1', system: 'X1-U', at: { symbol: 'X1-U-G', x: 3, y: 4 } },
      { ship: 'S-2', system: 'X1-T', at: { symbol: 'X1-T-A', x: 1, y: 2 } },
    ]);
    expect(m.jumps).to.deep.equal([{ from: 'X1-T-G', to: 'X1-U-G', fromSystem: 'X1-T', toSystem: 'X1-U', planned: true, made: 1 }]);
    // Before any step, the plan alone already names both systems and the planned jump (none made); the unbuilt X1-V is not involved.
    const before = mapOf(two, [], runMap, ['S-1', 'S-2'], T0);
    expect(before.systems.map((x) => x.system)).to.deep.equal(['X1-T', 'X1-U']);
    expect(before.jumps.map((j) => [j.planned, j.made])).to.deep.equal([[true, 0]]);
    // A ship the journal finds in a system the plan does not name (a position step) adds that system.
    const stray = mapOf(two, [step(1, 0, 'S-2', 'position', { position: { symbol: 'X1-V-B', x: 5, y: 5 } })], runMap, ['S-1', 'S-2'], T0);
    expect(stray.systems.map((x) => x.system)).to.deep.equal(['X1-T', 'X1-U', 'X1-V']);
    expect(stray.systems[2]!.gate).to.include({ symbol: 'X1-V-G', built: false });
    // Without the plan's sector (no gate coordinates), a ship that jumped is in the destination system, not drawn at a made-up point.
    const bare = mapOf({ ...two, sector: undefined }, steps.slice(0, 5), runMap, ['S-1', 'S-2'], T0 + 35_000);
    expect(bare.ships[0]).to.deep.equal({ ship: 'S-1', system: 'X1-U' });
    expect(bare.systems.map((x) => [x.system, x.gate, x.sector])).to.deep.equal([['X1-T', undefined, undefined], ['X1-U', undefined, undefined]]);
  });

  it('why waiting: a production wait with what ends it, a task waiting for its dependencies, a task queued behind its ship', () => {
    const r = report(
      [
        { id: 'feed-A', status: 'running', ship: 'S-1' },
        { id: 'feed-B', status: 'waiting', ship: 'S-2' },
      ],
      [{ ship: 'S-1', state: 'working', taskId: 'feed-A' }],
    );
    const steps = [step(1, 5, 'S-2', 'wait', { taskId: 'feed-B', wait: { seconds: 30, reason: 'IRON costs 120, above the ceiling 100; waiting for production', until: at(35) } })];
    const w = waitingTasks(r, plan, steps);
    expect(w.map((x) => [x.taskId, x.reason])).to.deep.equal([
      ['feed-B', 'IRON costs 120, above the ceiling 100; waiting for production'],
      ['make-M', 'waits for feed-A, feed-B'],
    ]);
    expect(w[0]!.until).to.equal(T0 + 35_000);
    expect(w[0]!.endsWhen).to.contain('falls to 100');
    expect(w[1]!.endsWhen).to.equal('those tasks complete');
  });

  it('progress for the no-progress alert: trades that moved goods, departures and lanes starting; never polls, waits or refuels', () => {
    const run = { startedAt: at(0) };
    const steps = [
      step(1, 10, 'S-1', 'position', { position: { symbol: 'X1-T-A', x: 0, y: 0 } }),
      step(2, 20, 'S-1', 'buy.result', { intent: intent('i', 'buy', 'IRON', 'X1-T-A', 20), result: { units: 20, totalPrice: 1, pricePerUnit: 1, happened: true } }),
      step(3, 30, 'S-1', 'market', { waypoint: 'X1-T-A', market: [] }),
      step(4, 40, 'S-1', 'wait', { wait: { seconds: 1, reason: 'x', until: at(41) } }),
      step(5, 50, 'S-1', 'refuel.result', { intent: { ...intent('f', 'buy', 'FUEL', 'X1-T-A', 50), kind: 'refuel' }, result: { units: 1, totalPrice: 1, pricePerUnit: 1, happened: true } }),
      step(6, 60, 'S-1', 'sell.result', { intent: intent('j', 'sell', 'IRON', 'X1-T-F', 60), result: { units: 0, totalPrice: 0, pricePerUnit: 0, happened: false, reconciled: true } }),
    ];
    expect(lastProgressAt(run, steps)).to.equal(T0 + 20_000);
    expect(lastProgressAt(run, [])).to.equal(T0);
  });

  it('event rows say what happened in words', () => {
    expect(eventRow(step(4, 23, 'S-1', 'buy.result', { taskId: 'feed-A', intent: intent('i1', 'buy', 'IRON', 'X1-T-A', 22), result: { units: 20, totalPrice: 1000, pricePerUnit: 50, happened: true } })).text).to.equal('buy 20 IRON at X1-T-A for 1000');
    expect(eventRow(step(5, 1, 'S-1', 'dock', { waypoint: 'X1-T-A' })).text).to.equal('dock at X1-T-A');
  });
});

describe('dashboard money', () => {
  it('realized P&L is earned minus spent; the target kept in hold is valued at the last bid seen for it', () => {
    const r = { ...report([{ id: 'make-M', acquired: 30 }]), credits: { spent: 5000, fuel: 100, budget: 9000, estimate: 4000, earned: 1200 } } as StatusReport;
    const steps = [
      step(1, 1, 'S-1', 'buy.result', { credits: 99_000 }),
      step(2, 2, 'S-1', 'market', { waypoint: 'X1-T-F', market: [{ good: 'MACHINERY', supply: 'HIGH', purchasePrice: 400, sellPrice: 350 }] }),
    ];
    const m = moneyOf(r, plan, steps);
    expect(m.realized).to.equal(-3800);
    expect(m.inventory).to.deep.equal({ units: 30, value: 10_500, unitPrice: 350 });
    expect(m.credits).to.deep.equal([{ t: T0 + 1000, credits: 99_000 }]);
  });
});
