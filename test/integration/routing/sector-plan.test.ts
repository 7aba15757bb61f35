import { expect } from 'chai';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { UserError } from '../../../src/cli/errors.js';
import { renderMarkdown, renderText } from '../../../src/plan/render.js';
import { parsePlan, serializePlan } from '../../../src/plan/file.js';
import { SECTOR, sectorWorld, type SectorWorld } from './helpers.js';

async function refusal(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(
    () => expect.fail('expected a refusal'),
    (err: unknown) => err,
  );
  expect(e).to.be.instanceOf(UserError);
  return e as UserError;
}

/**
 * Planning across systems (issue 13) against the sector simulator over HTTP: the market view
 * spans the systems the gates reach, remote sources and factories compete on landed cost, and the
 * plan lists each task's route. One sim for the file; each example sets the gates it needs.
 */
describe('integration: planning across systems (sector simulator)', function () {
  this.timeout(120_000);
  let w: SectorWorld;
  before(async () => {
    w = await sectorWorld();
  });
  after(async () => w?.close());

  it('with the home gate under construction, a good sold only in other systems is refused, naming the gate and its bill', async () => {
    const err = await refusal(w.plan(w.spec('ROBOTIC_DRONES', 5)));
    expect(err.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(err.paragraph).to.include(`${SECTOR.near}-`).and.include(`${SECTOR.homeGate} of ${SECTOR.home} is under construction (FAB_MATS 0/1600, ADVANCED_CIRCUITRY 0/400)`);
  });

  it('once the home gate is built, buys it one jump away: the task\'s route, antimatter and gates are in the plan and its views', async () => {
    await w.setBuilt(SECTOR.homeGate, true);
    const { plan } = await w.plan(w.spec('ROBOTIC_DRONES', 5));
    expect(plan.decisions.action).to.equal('BUY');
    expect(plan.decisions.waypoint.startsWith(`${SECTOR.near}-`)).to.equal(true);
    expect(plan.decisions.priceBasis).to.equal('estimated');
    const [task] = plan.tasks;
    expect(task!.route).to.not.equal(undefined);
    const crossing = task!.route!.crossings[0]!;
    expect(crossing.jumps).to.have.length(1);
    expect(crossing.jumps[0]).to.include({ from: SECTOR.homeGate, to: SECTOR.nearGate, estimated: true });
    expect(crossing.jumps[0]!.cooldownSeconds).to.be.greaterThan(15);
    expect(task!.route!.gates).to.deep.equal([SECTOR.nearGate, SECTOR.homeGate].sort());
    // The jump's antimatter is in the task's credits and the plan's.
    expect(task!.estimate.credits).to.be.at.least(task!.route!.antimatterCredits + plan.decisions.estimatedCost);
    expect(plan.sector!.home).to.equal(SECTOR.home);
    expect(plan.sector!.scope).to.deep.equal({ maxJumps: 3 });
    expect(plan.sector!.gates.find((g) => g.system === SECTOR.home)).to.include({ built: true, charted: true });
    expect(plan.sector!.gates.find((g) => g.system === SECTOR.near)).to.include({ built: true, charted: false });
    expect(plan.sector!.gates.find((g) => g.system === 'X1-EL30')).to.include({ built: false });
    expect(parsePlan(serializePlan(plan)).planId).to.equal(plan.planId); // the schema takes it
    expect(renderText(plan)).to.include('Routes across systems').and.include(`${SECTOR.homeGate} ⇒ ${SECTOR.nearGate}`);
    const md = renderMarkdown(plan);
    expect(md).to.include('## Systems and routes').and.include('```mermaid').and.include('UNDER CONSTRUCTION').and.include('X1_TA50 -->|1 task(s)| X1_QJ48');
  });

  it('the gate graph and remote listings are cached with their age: a second plan re-reads only the unbuilt gates\' construction', async () => {
    const first = await w.plan(w.spec('ROBOTIC_DRONES', 5));
    const second = await w.plan(w.spec('ROBOTIC_DRONES', 5));
    expect(second.listingsFromCache).to.equal(true);
    const unbuilt = first.plan.sector!.gates.filter((g) => !g.built);
    expect(unbuilt.length).to.be.greaterThan(0);
    // status, agent, ships; one construction read per unbuilt gate; the markets where the ships are.
    const ships = await w.client.listShips();
    expect(second.requests).to.be.within(3 + unbuilt.length, 3 + unbuilt.length + ships.length);
    const readAt = (p: typeof first, built: boolean) => p.plan.sector!.gates.filter((g) => g.built === built).map((g) => g.readAt);
    expect(readAt(second, true)).to.deep.equal(readAt(first, true));
    for (const at of readAt(second, false)) expect(at > readAt(first, false)[0]!).to.equal(true);
  });

  it('two jumps away once the gate between is charted (an uncharted gate\'s connections are unknown, as on the real server)', async () => {
    const before = await refusal(w.plan(w.spec('LASER_RIFLES', 2)));
    expect(before.paragraph).to.match(/LASER_RIFLES/).and.include(`UNCHARTED gates ${SECTOR.nearGate}`).and.include('chart them');
    await w.chart(SECTOR.nearGate);
    const { plan } = await w.plan(w.spec('LASER_RIFLES', 2));
    expect(plan.decisions.waypoint.startsWith(`${SECTOR.far}-`)).to.equal(true);
    const jumps = plan.tasks[0]!.route!.crossings[0]!.jumps;
    expect(jumps.map((j) => j.to)).to.deep.equal([SECTOR.nearGate, plan.sector!.gates.find((g) => g.system === SECTOR.far)!.gate]);
    // Two chained jumps: the second waits out the first one's cooldown.
    expect(plan.tasks[0]!.route!.cooldownWaitSeconds).to.equal(jumps[0]!.cooldownSeconds);
  });

  it('policy.scope bounds the view: maxJumps 0 keeps the plan home, systems lists the only others allowed', async () => {
    const home = await refusal(w.plan(w.spec('ROBOTIC_DRONES', 5, { policy: { scope: { maxJumps: 0 } } })));
    expect(home.paragraph).to.match(/no market in X1-TA50 sells it/);
    const other = await refusal(w.plan(w.spec('ROBOTIC_DRONES', 5, { policy: { scope: { systems: ['X1-WD86'] } } })));
    expect(other.paragraph).to.include('X1-WD86').and.not.include(`${SECTOR.near}-`);
  });

  it('a MAKE whose factory is in another system: fed there, its inputs bought where landed cost is lowest', async () => {
    const { plan } = await w.plan(w.spec('ROBOTIC_DRONES', 5, { policy: { make: ['ROBOTIC_DRONES'], mode: 'cheapest' } }));
    expect(plan.decisions.action).to.equal('MAKE');
    expect(plan.decisions.waypoint.startsWith(`${SECTOR.near}-`)).to.equal(true);
    const feeds = plan.tasks.filter((t) => t.destination.kind === 'feed');
    expect(feeds.length).to.be.greaterThan(0);
    for (const f of feeds) expect((f.destination as { waypoint: string }).waypoint).to.equal(plan.decisions.waypoint);
    const collect = plan.tasks.find((t) => t.source.kind === 'factory')!;
    expect(collect.source.waypoint).to.equal(plan.decisions.waypoint);
    // Some task crosses into the factory's system.
    expect(plan.tasks.some((t) => t.route?.crossings.some((c) => c.to.startsWith(`${SECTOR.near}-`)))).to.equal(true);
  });

  it('deliver: {sell: best-bid} picks the market in scope whose bid pays most, and says so', async () => {
    const { plan } = await w.plan(w.spec('IRON', 5, { target: { good: 'IRON', quantity: 5, deliver: { sell: 'best-bid' } } }));
    const dest = plan.spec.target.deliver as { kind: string; waypoint: string };
    expect(dest.kind).to.equal('sell');
    expect(plan.decisions.reason).to.match(/the best bid in scope for 5 \((IMPORT|EXCHANGE) bid \d+/);
    const m = await w.client.getMarket(dest.waypoint.split('-').slice(0, 2).join('-'), dest.waypoint);
    expect([...m.imports, ...m.exchange].map((g) => g.symbol)).to.include('IRON');
    for (const t of plan.tasks.filter((x) => x.destination.kind === 'sell')) expect((t.destination as { waypoint: string }).waypoint).to.equal(dest.waypoint);
  });

  it('spec system: home is the default spelled out (same hash, same plan)', async () => {
    const a = await w.plan(w.spec('ROBOTIC_DRONES', 5));
    const b = await w.plan(w.spec('ROBOTIC_DRONES', 5, { system: 'home' }));
    expect(b.spec.hash).to.not.equal(undefined);
    expect(b.plan.spec.system).to.equal(SECTOR.home);
    expect(b.plan.decisions).to.deep.equal(a.plan.decisions);
  });
});
