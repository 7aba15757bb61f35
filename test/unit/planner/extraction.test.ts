import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../src/cli/errors.js';
import { cooldownSeconds, type Extractor } from '../../../src/game/extraction.js';
import type { FleetShip, Task } from '../../../src/plan/types.js';
import { evaluateExtract, surveyedShare, type ExtractionInput } from '../../../src/planner/extraction.js';
import { renderMarkdown, renderText } from '../../../src/plan/render.js';
import { envelope, parsePlan, serializePlan } from '../../../src/plan/file.js';
import { MarketView } from '../../../src/market/view.js';
import { POLICY, captureView, nodes, plan, ship } from './helpers.js';

interface WorldWaypoint { symbol: string; type: string; x: number; y: number; traits: string[] }
const world = JSON.parse(fs.readFileSync(path.resolve('worlds/X1-AD75.json'), 'utf8')) as { waypoints: WorldWaypoint[] };
const SITES = world.waypoints.filter((w) => /ASTEROID$|^ASTEROID_FIELD$|GAS_GIANT/.test(w.type) && w.type !== 'ASTEROID_BASE');

/** The X1-AD75 capture with its asteroids and gas giant placed. */
function xView() {
  const v = captureView();
  for (const s of SITES) if (!v.hasPosition(s.symbol)) v.addPosition(s.symbol, s.x, s.y);
  return v;
}

const FRIGATE: Extractor = { mine: { strength: 5, power: 2 }, siphon: { strength: 20, power: 2 }, survey: { strength: 2, power: 3, deposits: ['ALUMINUM_ORE', 'AMMONIA_ICE', 'COPPER_ORE', 'DIAMONDS', 'GOLD_ORE', 'ICE_WATER', 'IRON_ORE', 'PLATINUM_ORE', 'PRECIOUS_STONES', 'QUARTZ_SAND', 'SILICON_CRYSTALS', 'SILVER_ORE', 'URANITE_ORE'] } };
const DRONE: Extractor = { mine: { strength: 3, power: 1 } };
const SIPHON_DRONE: Extractor = { siphon: { strength: 10, power: 1 } };

const HQ = 'X1-AD75-A1';
function input(extractors: Record<string, Extractor>): ExtractionInput {
  return { sites: SITES.map((s) => ({ waypoint: s.symbol, type: s.type, traits: s.traits })), extractors };
}
const fleetOf = (...ships: Array<[string, number]>): FleetShip[] => ships.map(([s, cap]) => ship(s, HQ, cap));

describe('planner: extraction (EXTRACT and SIPHON)', () => {
  it('surveyedShare: the best of m surveys lists the good more often than the plain table, and never less', () => {
    expect(surveyedShare(0, 2)).to.equal(0);
    const p = 3 / 14;
    expect(surveyedShare(p, 1)).to.be.greaterThan(p);
    expect(surveyedShare(p, 2)).to.be.greaterThan(surveyedShare(p, 1));
    expect(surveyedShare(1, 1)).to.be.closeTo(1, 1e-9);
  });

  it('a raw good no market sells with enough supply is mined: GOLD_ORE fed to the GOLD factory, with rate, cooldown, survey and crew', () => {
    const fleet = fleetOf(['T-1', 40]);
    const body = plan(xView(), 'GOLD', 10, { fleet, policy: { make: ['GOLD'] }, extraction: input({ 'T-1': FRIGATE }) });
    const ore = nodes(body).find((n) => n.good === 'GOLD_ORE')!;
    expect(ore.action).to.equal('EXTRACT');
    expect(ore.waypoint).to.equal('X1-AD75-B39'); // the nearer PRECIOUS_METAL_DEPOSITS asteroid
    expect(ore.reason).to.match(/not buyable with enough supply/);
    expect(ore.reason).to.match(/mine 25 GOLD_ORE at X1-AD75-B39: T-1 \(\d+% GOLD_ORE with T-1's surveys, [\d.]+ u\/h, 5 u per 80s\)/);
    const x = ore.extraction!;
    expect(x.hauler).to.equal('T-1');
    expect(x.surveyor).to.equal('T-1');
    // 5 units per 80 s, share above the plain 3/14 thanks to the surveys.
    const plainPerHour = (3600 / cooldownSeconds(2)) * 5 * (3 / 14);
    expect(x.unitsPerHour).to.be.greaterThan(plainPerHour);
    const haul = body.tasks.find((t) => t.id === ore.taskIds[0])!;
    expect(haul.source).to.deep.include({ kind: 'extract', method: 'EXTRACT', role: 'haul', waypoint: 'X1-AD75-B39', unwanted: 'jettison' });
    expect(haul.destination).to.deep.equal({ kind: 'feed', waypoint: 'X1-AD75-B7', forGood: 'GOLD' });
    // The factory collect waits for the haul.
    const collect = body.tasks.find((t) => t.source.kind === 'factory')!;
    expect(collect.dependsOn).to.include(haul.id);
    expect(haul.estimate.gameSeconds).to.be.greaterThan(Math.round((25 / x.unitsPerHour) * 3600) - 1);
  });

  it('a crew of drones with a separate hauler: the hauler pulls, each drone has its mine task, six drones stay under the stability limit at one asteroid', () => {
    const drones = Array.from({ length: 6 }, (_, i) => `T-D${i + 1}`);
    const fleet = fleetOf(['T-H', 80], ...drones.map((d) => [d, 15] as [string, number]));
    const extractors = Object.fromEntries(drones.map((d) => [d, DRONE]));
    const body = plan(xView(), 'IRON', 10, { fleet, policy: { make: ['IRON'], extract: ['IRON_ORE'] }, extraction: input(extractors) });
    const ore = nodes(body).find((n) => n.good === 'IRON_ORE')!;
    expect(ore.action).to.equal('EXTRACT');
    expect(ore.reason).to.match(/^policy\.extract lists IRON_ORE/);
    expect(ore.extraction!.crews).to.have.length(1);
    expect(ore.extraction!.crews[0]!.miners).to.have.members(drones);
    expect(ore.extraction!.hauler).to.equal('T-H');
    const mine = body.tasks.filter((t) => t.source.kind === 'extract' && t.source.role === 'mine');
    expect(mine.map((t) => t.ship).sort()).to.deep.equal(drones);
    // The sellers of IRON_ORE are declined: policy.extract.
    expect(ore.declined.some((d) => /policy\.extract lists IRON_ORE: extracted, not bought/.test(d.why))).to.equal(true);
  });

  it('eleven drones are more than one asteroid takes (10 extractions a minute): the rest go to the next asteroid', () => {
    const drones = Array.from({ length: 11 }, (_, i) => `T-D${String(i + 1).padStart(2, '0')}`);
    const fleet = fleetOf(['T-H', 80], ...drones.map((d) => [d, 15] as [string, number]));
    const r = evaluateExtract({ view: xView(), policy: POLICY, fuelPrice: 72, fleet, extraction: input(Object.fromEntries(drones.map((d) => [d, DRONE]))) }, 'IRON_ORE', 100, 'X1-AD75-H51', false);
    const crews = r.best!.crews;
    expect(crews.length).to.equal(2);
    for (const c of crews) expect(c.miners.reduce((s, m) => s + 60 / m.cooldownSeconds, 0)).to.be.at.most(9);
    expect(crews.reduce((s, c) => s + c.quantity, 0)).to.equal(100);
  });

  it('policy.maxMinersPerSite splits six drones over two asteroids, each with its own haul task', () => {
    const drones = Array.from({ length: 6 }, (_, i) => `T-D${i + 1}`);
    const fleet = fleetOf(['T-H', 80], ...drones.map((d) => [d, 15] as [string, number]));
    const body = plan(xView(), 'IRON_ORE', 120, { fleet, deliver: { kind: 'sell', waypoint: 'X1-AD75-H51' }, policy: { extract: ['IRON_ORE'], maxMinersPerSite: 3 }, extraction: input(Object.fromEntries(drones.map((d) => [d, DRONE]))) });
    const crews = body.decisions.extraction!.crews;
    expect(crews.map((c) => c.miners.length)).to.deep.equal([3, 3]);
    expect(new Set(crews.map((c) => c.site)).size).to.equal(2);
    const hauls = body.tasks.filter((t) => t.source.kind === 'extract' && t.source.role === 'haul');
    expect(hauls.map((t) => t.quantity).reduce((a, b) => a + b, 0)).to.equal(120);
    // One hauler serves both crews, one after the other.
    expect(hauls.filter((h) => hauls.some((o) => o.id !== h.id && h.dependsOn.includes(o.id)))).to.have.length(1);
  });

  it('cheapest: buying IRON_ORE where it is sold beats mining it (ship time costs), and the plan says so', () => {
    const fleet = fleetOf(['T-1', 40]);
    const body = plan(xView(), 'IRON_ORE', 40, { fleet, policy: { mode: 'cheapest' }, extraction: input({ 'T-1': FRIGATE }) });
    expect(body.decisions.action).to.equal('BUY');
    expect(body.decisions.declined.some((d) => /^mining here costs ~[\d,]+ \([\d.]+ ship-hours at 15,000\/h/.test(d.why))).to.equal(true);
  });

  it('cheapest: with the only exporter of HYDROCARBON SCARCE (and SCARCE allowed), siphoning beats buying', () => {
    const v = captureView();
    const scarce = captureViewWith('X1-AD75-C41', 'HYDROCARBON', 'SCARCE', 78);
    for (const s of SITES) if (!scarce.hasPosition(s.symbol)) scarce.addPosition(s.symbol, s.x, s.y);
    for (const s of SITES) if (!v.hasPosition(s.symbol)) v.addPosition(s.symbol, s.x, s.y);
    const fleet = fleetOf(['T-1', 40]);
    const opts = { fleet, policy: { mode: 'cheapest' as const, minSupplyToBuy: 'SCARCE' as const }, extraction: input({ 'T-1': FRIGATE }), deliver: { kind: 'sell' as const, waypoint: 'X1-AD75-G50' } };
    expect(plan(v, 'HYDROCARBON', 40, opts).decisions.action).to.equal('BUY');
    const body = plan(scarce, 'HYDROCARBON', 40, opts);
    expect(body.decisions.action).to.equal('SIPHON');
    expect(body.decisions.waypoint).to.equal('X1-AD75-C40');
    expect(body.decisions.reason).to.match(/^cheapest: siphoning ~[\d,]+ beats buying ~[\d,]+/);
    expect(body.decisions.extraction!.surveyor).to.equal(undefined);
  });

  it('a target kept in a hold that the hauler cannot take is not extracted (the reason says so)', () => {
    const fleet = fleetOf(['T-H', 80], ['T-S', 15]);
    const e = (() => {
      try {
        plan(xView(), 'LIQUID_HYDROGEN', 100, { fleet, policy: { extract: ['LIQUID_HYDROGEN'] }, extraction: input({ 'T-S': SIPHON_DRONE }) });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(e?.message).to.match(/the 100 LIQUID_HYDROGEN to keep in a hold exceed the hauler T-H's hold of 80/);
  });

  it('prefer-buy extracts only what cannot be bought', () => {
    const fleet = fleetOf(['T-1', 40]);
    const body = plan(xView(), 'HYDROCARBON', 40, { fleet, extraction: input({ 'T-1': FRIGATE }) });
    expect(body.decisions.action).to.equal('BUY');
  });

  it('a siphon drone and a hauler: SIPHON at the gas giant, the hauler pulls; the plan renders rate, cooldown and survey state', () => {
    const fleet = fleetOf(['T-H', 80], ['T-S', 15]);
    const body = plan(xView(), 'LIQUID_HYDROGEN', 30, { fleet, policy: { extract: ['LIQUID_HYDROGEN'] }, extraction: input({ 'T-S': SIPHON_DRONE }) });
    expect(body.decisions.action).to.equal('SIPHON');
    const tasks = body.tasks.filter((t) => t.source.kind === 'extract');
    expect(tasks.map((t) => [t.ship, (t.source as Extract<Task['source'], { kind: 'extract' }>).role]).sort()).to.deep.equal([['T-H', 'haul'], ['T-S', 'mine']]);
    const file = envelope(body, { now: new Date('2026-01-01T12:00:00Z'), toolVersion: 'test' });
    expect(renderText(file)).to.match(/siphons 30 LIQUID_HYDROGEN at X1-AD75-C40 \(from T-S by transfer; [\d.]+ u\/h for the crew, 33% of yields, cooldown 70s, no surveys \(gas giant\)\)/);
    // The plan file's schema takes the extraction source and summary.
    expect(parsePlan(serializePlan(file), 'siphon.plan.yaml').planId).to.equal(file.planId);
    const md = renderMarkdown(file);
    expect(md).to.include('## Extraction');
    expect(md).to.match(/\| T-S \| mine \| X1-AD75-C40 \| [\d.]+ u\/h \(33% of yields\) \| 70s \| none \| jettison \|/);
  });

  it('policy.extract naming a good no site yields, or with no ship that can extract it, is refused up front (INFEASIBLE)', () => {
    const fleet = fleetOf(['T-1', 40]);
    const refuse = (fn: () => unknown): UserError => {
      try {
        fn();
      } catch (e) {
        return e as UserError;
      }
      throw new Error('expected a refusal');
    };
    const e1 = refuse(() => plan(xView(), 'IRON', 10, { fleet, policy: { extract: ['FAB_MATS'] }, extraction: input({ 'T-1': FRIGATE }) }));
    expect(e1).to.be.instanceOf(UserError);
    expect(e1.message).to.match(/policy\.extract lists FAB_MATS, but it cannot be extracted in X1-AD75: no asteroid or gas giant of X1-AD75 yields FAB_MATS/);
    const e2 = refuse(() => plan(xView(), 'IRON', 10, { fleet, policy: { extract: ['HYDROCARBON'] }, extraction: input({ 'T-1': DRONE }) }));
    expect(e2.message).to.match(/no ship of the fleet has a gas siphon and a gas processor/);
  });

  it('without extraction input, plans are as before (no EXTRACT considered)', () => {
    const fleet = fleetOf(['T-1', 40]);
    expect(() => plan(xView(), 'GOLD', 10, { fleet, policy: { make: ['GOLD'] } })).to.throw(/GOLD_ORE/);
  });
});

/** The capture with one quote changed (supply and ask). */
function captureViewWith(waypoint: string, good: string, supply: 'SCARCE', ask: number) {
  const v = captureView();
  const obs = v.observations().map((o) => (o.waypoint === waypoint && o.good === good ? { ...o, supply, purchasePrice: ask } : o));
  return new MarketView({ system: v.system, listings: v.listings(), observations: obs, now: v.now });
}
