import { expect } from 'chai';
import { SpaceTradersClient, isGameError } from '../../../src/api/index.js';
import type { Ship, ShipType, Survey, TradeSymbol, Waypoint } from '../../../src/api/types.js';
import { Secret } from '../../../src/config/redact.js';
import { distance, fuelCost } from '../../../src/game/index.js';
import { DEFAULT_EXTRACTION_CONFIG, ManualClock, SIM_ACCOUNT_TOKEN } from '../../../src/sim/engine/index.js';
import { uniqueAgentSymbol, useSim } from '../../helpers/sim.js';

/**
 * The issue's scripted game, over HTTP with st-goods' own client (src/api): register, buy a
 * surveyor, mining drones and a hauler, survey and extract until the survey is exhausted (4224),
 * meet the cooldown (4000), destabilise an asteroid (4253), siphon at the gas giant, transfer ore
 * to the hauler, jettison a yield, then a contract from negotiate to fulfil with both payments
 * checked against the agent's credits and a second negotiate refused (4511).
 *
 * Time scale 1 on a ManualClock: cooldowns report game seconds, and the clock moves only when the
 * test moves it (to a flight's arrival, past a cooldown). Survey sizes are made small (40–120
 * units instead of 200–2,431) so that five drones exhaust one well within its expiry; every other
 * number is the default. SIM_MINING_REPORT=1 prints the measured yields and cooldowns.
 */
describe('sim: a mining and contracts game over HTTP with the real client', function () {
  this.timeout(60_000);
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const surveyUnits: Record<'SMALL' | 'MODERATE' | 'LARGE', [number, number]> = { SMALL: [40, 60], MODERATE: [60, 90], LARGE: [90, 120] };
  const sim = useSim({
    clock,
    timeScale: 1,
    seed: 5,
    agent: false,
    config: { startingCredits: 5_000_000, extraction: { ...DEFAULT_EXTRACTION_CONFIG, surveyUnits } },
  });
  const { stability } = DEFAULT_EXTRACTION_CONFIG;

  let api: SpaceTradersClient;
  let system: string;
  let waypoints: Waypoint[];
  const wpt = (symbol: string): Waypoint => waypoints.find((w) => w.symbol === symbol)!;
  const credits = async (): Promise<number> => (await api.getAgent()).credits;
  const gameCode = async (p: Promise<unknown>): Promise<number | undefined> => {
    try {
      await p;
      return undefined;
    } catch (e) {
      if (isGameError(e)) return e.gameCode;
      throw e;
    }
  };

  /** Orbit, refuel or drift as the fuel requires, navigate, and move the clock to the arrival. */
  async function fly(ship: Ship, to: string): Promise<void> {
    let nav = await api.getShipNav(ship.symbol);
    if (nav.waypointSymbol === to) {
      await api.orbit(ship.symbol);
      return;
    }
    const d = distance(wpt(nav.waypointSymbol), wpt(to));
    const full = await api.getShip(ship.symbol);
    if (full.fuel.capacity > 0 && fuelCost(d, 'CRUISE', full.fuel.capacity) > full.fuel.current) {
      const hasFuel = wpt(nav.waypointSymbol).traits.some((t) => t.symbol === 'MARKETPLACE');
      if (hasFuel) {
        await api.dock(ship.symbol);
        await api.refuel(ship.symbol).catch(() => undefined);
      }
    }
    await api.orbit(ship.symbol);
    const after = await api.getShip(ship.symbol);
    const mode = after.fuel.capacity > 0 && fuelCost(d, 'CRUISE', after.fuel.capacity) > after.fuel.current ? 'DRIFT' : 'CRUISE';
    if (after.nav.flightMode !== mode) await api.setFlightMode(ship.symbol, mode);
    const flight = await api.navigate(ship.symbol, to);
    clock.set(Date.parse(flight.nav.route.arrival));
    nav = await api.getShipNav(ship.symbol);
    expect(nav).to.include({ status: 'IN_ORBIT', waypointSymbol: to });
  }

  async function shipyardSelling(type: ShipType): Promise<string> {
    for (const w of waypoints.filter((x) => x.traits.some((t) => t.symbol === 'SHIPYARD'))) {
      const yard = await api.getShipyard(system, w.symbol);
      if (yard.shipTypes.some((t) => t.type === type)) return w.symbol;
    }
    throw new Error(`no shipyard sells ${type}`);
  }

  it('plays the game', async () => {
    // ---- register, and find the places ----
    const anonymous = new SpaceTradersClient({ baseUrl: sim().baseUrl, limiter: false });
    const reg = await anonymous.register({ symbol: uniqueAgentSymbol('MINE'), faction: 'COSMIC' }, new Secret(SIM_ACCOUNT_TOKEN));
    api = anonymous.withToken(new Secret(reg.token));
    const frigate = reg.ships!.find((s) => s.registration.role === 'COMMAND')!;
    expect(frigate.mounts.map((m) => m.symbol)).to.include.members(['MOUNT_MINING_LASER_II', 'MOUNT_SURVEYOR_II', 'MOUNT_GAS_SIPHON_II']);
    expect(frigate.modules.map((m) => m.symbol)).to.include.members(['MODULE_MINERAL_PROCESSOR_I', 'MODULE_GAS_PROCESSOR_I']);
    system = frigate.nav.systemSymbol;
    waypoints = await api.listWaypoints(system);
    const credits0 = await credits();
    expect(credits0).to.equal(5_000_000);

    // ---- buy a surveyor and mining drones at the mining shipyard (MECHANICS.md §6.3 prices) ----
    const miningYard = await shipyardSelling('SHIP_MINING_DRONE');
    await fly(frigate, miningYard);
    const listing = await api.getShipyard(system, miningYard);
    const price = (type: ShipType) => listing.ships!.find((s) => s.type === type)!.purchasePrice;
    expect(price('SHIP_MINING_DRONE')).to.be.within(41_752 * 0.97, 41_752 * 1.03);
    const surveyorYard = await shipyardSelling('SHIP_SURVEYOR');
    if (surveyorYard !== miningYard) await fly(frigate, surveyorYard);
    const surveyor = (await api.purchaseShip('SHIP_SURVEYOR', surveyorYard)).ship;
    expect(surveyor.mounts.map((m) => m.symbol)).to.deep.equal(['MOUNT_SURVEYOR_I']);
    if (surveyorYard !== miningYard) await fly(frigate, miningYard);
    const drones: Ship[] = [];
    const before = await credits();
    for (let i = 0; i < stability.extractionsPerMinute + 1; i++) drones.push((await api.purchaseShip('SHIP_MINING_DRONE', miningYard)).ship);
    expect(before - (await credits())).to.be.greaterThan(11 * 41_752 * 0.97);
    expect(drones[0]!.cargo.capacity).to.equal(15);

    // A light hauler, wherever one is sold (the probe starts at a shipyard).
    const haulerYard = await shipyardSelling('SHIP_LIGHT_HAULER');
    const probe = reg.ships!.find((s) => s.registration.role === 'SATELLITE')!;
    if (probe.nav.waypointSymbol !== haulerYard) await fly(frigate, haulerYard);
    const hauler = (await api.purchaseShip('SHIP_LIGHT_HAULER', haulerYard)).ship;
    expect(hauler.cargo.capacity).to.equal(80);

    // ---- the nearest asteroid to the mining yard; everyone goes there ----
    const yardWp = wpt(miningYard);
    const asteroid = waypoints
      .filter((w) => w.type === 'ASTEROID' || w.type === 'ENGINEERED_ASTEROID')
      .sort((a, b) => distance(a, yardWp) - distance(b, yardWp))[0]!;
    for (const s of [surveyor, ...drones, hauler]) await fly(s, asteroid.symbol);

    // ---- survey (Σ strength: one survey for a surveyor I, 70 s) ----
    const made = await api.createSurvey(surveyor.symbol);
    expect(made.surveys).to.have.length(1);
    expect(made.cooldown.totalSeconds).to.equal(70);
    const survey: Survey = made.surveys[0]!;
    expect(survey.symbol).to.equal(asteroid.symbol);
    expect(await gameCode(api.createSurvey(surveyor.symbol))).to.equal(4000);
    const surveyorCooldown = await api.getCooldown(surveyor.symbol);
    expect(surveyorCooldown).to.include({ totalSeconds: 70, remainingSeconds: 70 });
    clock.advance(70_000);
    expect(await api.getCooldown(surveyor.symbol)).to.equal(undefined);

    // ---- extract with the survey on five drones until it is exhausted; the hauler takes the ore ----
    const crew = drones.slice(0, 5);
    const yields: number[] = [];
    const cooldowns = new Set<number>();
    const deposits = new Set(survey.deposits.map((d) => d.symbol));
    let exhausted: number | undefined;
    let transferred = 0;
    let jettisoned = false;
    let met4000 = false;
    for (let round = 0; exhausted === undefined && round < 40; round++) {
      for (const d of crew) {
        let r;
        try {
          r = await api.extractWithSurvey(d.symbol, survey);
        } catch (e) {
          if (isGameError(e) && e.gameCode === 4224) {
            expect(e.status).to.equal(409);
            exhausted = round;
            break;
          }
          throw e;
        }
        expect(deposits.has(r.extraction.yield.symbol)).to.equal(true);
        yields.push(r.extraction.yield.units);
        cooldowns.add(r.cooldown.totalSeconds);
        if (!met4000) {
          const code = await gameCode(api.extract(d.symbol));
          expect(code, 'the next extraction waits for the cooldown').to.equal(4000);
          met4000 = true;
        }
        const y = r.extraction.yield;
        if (!jettisoned) {
          const left = await api.jettison(d.symbol, y.symbol, y.units);
          expect(left.cargo.units).to.equal(0);
          jettisoned = true;
          continue;
        }
        const room = 80 - (await api.getShipCargo(hauler.symbol)).units;
        if (room >= y.units) {
          const t = await api.transferCargo(d.symbol, hauler.symbol, y.symbol, y.units);
          expect(t.cargo.units).to.equal(0);
          transferred += y.units;
        } else await api.jettison(d.symbol, y.symbol, y.units);
      }
      clock.advance(70_000);
    }
    expect(exhausted, 'the survey was exhausted (4224)').to.not.equal(undefined);
    const budget = sim().universe.state.surveys![survey.signature]!.unitsTotal;
    const [lo, hi] = surveyUnits[survey.size];
    expect(budget).to.be.within(lo, hi);
    expect(yields.reduce((s, n) => s + n, 0)).to.equal(budget);
    expect([...cooldowns]).to.deep.equal([70]);
    expect(Math.min(...yields.slice(0, -1))).to.be.at.least(2);
    expect(Math.max(...yields)).to.be.at.most(4);
    const haulerCargo = await api.getShipCargo(hauler.symbol);
    expect(haulerCargo.units).to.equal(transferred);
    expect(transferred).to.be.greaterThan(0);

    // ---- destabilise the asteroid: 11 extractions inside one game minute ----
    clock.advance(120_000);
    const codes: (number | undefined)[] = [];
    for (const d of drones) {
      const cargo = await api.getShipCargo(d.symbol);
      for (const item of cargo.inventory) await api.jettison(d.symbol, item.symbol, item.units);
      codes.push(await gameCode(api.extract(d.symbol)));
    }
    expect(codes.slice(0, stability.extractionsPerMinute)).to.deep.equal(Array(stability.extractionsPerMinute).fill(undefined));
    expect(codes[stability.extractionsPerMinute]).to.equal(4253);
    expect((await api.getWaypoint(system, asteroid.symbol)).modifiers!.map((m) => m.symbol)).to.deep.equal(['UNSTABLE']);

    // ---- siphon at the gas giant with the frigate (gas siphon II: 20 ± 1 units, 80 s) ----
    const giant = waypoints.find((w) => w.type === 'GAS_GIANT')!;
    await fly(frigate, giant.symbol);
    const siphoned = await api.siphon(frigate.symbol);
    expect(['HYDROCARBON', 'LIQUID_HYDROGEN', 'LIQUID_NITROGEN']).to.include(siphoned.siphon.yield.symbol);
    expect(siphoned.siphon.yield.units).to.be.within(19, 21);
    expect(siphoned.cooldown.totalSeconds).to.equal(80);
    expect(await gameCode(api.siphon(frigate.symbol))).to.equal(4000);

    // ---- a contract: the starter offer lapses, negotiate, a second is refused, accept, deliver, fulfil ----
    const starter = reg.contract;
    clock.set(Date.parse(starter.deadlineToAccept!) + 1_000);
    await api.dock(frigate.symbol);
    const { contract } = await api.negotiateContract(frigate.symbol);
    expect(contract).to.include({ accepted: false, fulfilled: false });
    expect(await gameCode(api.negotiateContract(frigate.symbol))).to.equal(4511);
    const c0 = await credits();
    const accepted = await api.acceptContract(contract.id);
    expect(accepted.agent.credits).to.equal(c0 + contract.terms.payment.onAccepted);
    expect(await credits()).to.equal(c0 + contract.terms.payment.onAccepted);

    const term = contract.terms.deliver![0]!;
    const good = term.tradeSymbol as TradeSymbol;
    // The hauler empties its ore, buys the good where it is sold and delivers it.
    for (const item of (await api.getShipCargo(hauler.symbol)).inventory) await api.jettison(hauler.symbol, item.symbol, item.units);
    let source: string | undefined;
    for (const w of waypoints.filter((x) => x.traits.some((t) => t.symbol === 'MARKETPLACE'))) {
      const m = await api.getMarket(system, w.symbol);
      if (w.symbol !== term.destinationSymbol && [...m.exports, ...m.exchange].some((g) => g.symbol === good)) {
        source = w.symbol;
        break;
      }
    }
    expect(source, `a market selling ${good}`).to.not.equal(undefined);
    await fly(hauler, source!);
    await api.dock(hauler.symbol);
    const tv = (await api.getMarket(system, source!)).tradeGoods!.find((g) => g.symbol === good)!.tradeVolume;
    for (let bought = 0; bought < term.unitsRequired; ) {
      const n = Math.min(tv, term.unitsRequired - bought);
      await api.purchaseCargo(hauler.symbol, good, n);
      bought += n;
    }
    await fly(hauler, term.destinationSymbol);
    await api.dock(hauler.symbol);
    const delivered = await api.deliverContract(contract.id, hauler.symbol, good, term.unitsRequired);
    expect(delivered.contract.terms.deliver![0]!.unitsFulfilled).to.equal(term.unitsRequired);
    const c1 = await credits();
    const fulfilled = await api.fulfillContract(contract.id);
    expect(fulfilled.contract.fulfilled).to.equal(true);
    expect(fulfilled.agent.credits).to.equal(c1 + contract.terms.payment.onFulfilled);
    expect(await credits()).to.equal(c1 + contract.terms.payment.onFulfilled);

    if (process.env.SIM_MINING_REPORT) {
      const mean = yields.reduce((s, n) => s + n, 0) / yields.length;
      process.stdout.write(
        `mining report: survey ${survey.size} ${budget} units exhausted after ${yields.length} extractions by ${crew.length} laser-I drones ` +
          `(yield min ${Math.min(...yields)} max ${Math.max(...yields)} mean ${mean.toFixed(2)}; formula Σ strength 3 ± 1); ` +
          `extract cooldown ${[...cooldowns].join(',')} s (formula 60 + 10·1 = 70); survey cooldown ${made.cooldown.totalSeconds} s (60 + 10·1); ` +
          `siphon II ${siphoned.siphon.yield.units} ${siphoned.siphon.yield.symbol} in ${siphoned.cooldown.totalSeconds} s (20 ± 1, 60 + 10·2 = 80); ` +
          `asteroid codes ${codes.map((c) => c ?? 201).join(' ')}; contract ${term.unitsRequired} ${good}: +${contract.terms.payment.onAccepted} on accept, +${contract.terms.payment.onFulfilled} on fulfil\n`,
      );
    }
  });
});
