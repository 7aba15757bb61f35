import { expect } from 'chai';
import { DEFAULT_EXTRACTION_CONFIG, Universe } from '../../../src/sim/engine/index.js';
import { advanceClock } from '../../../src/sim/engine/admin.js';
import { apiSpec } from '../../../src/sim/http/openapi.js';
import { data, error, wp } from './helpers.js';
import { miningGame } from './mining-world.js';

const COMMON_METAL = ['IRON_ORE', 'COPPER_ORE', 'ALUMINUM_ORE', 'ICE_WATER', 'SILICON_CRYSTALS', 'QUARTZ_SAND'];
const GASES = ['HYDROCARBON', 'LIQUID_HYDROGEN', 'LIQUID_NITROGEN'];

describe('sim engine: ships carry their real mounts and modules (MECHANICS.md §6.2, §6.3)', () => {
  it('the command frigate: mining laser II, surveyor II, gas siphon II, sensor array II, both processors, 40 cargo, 8 slots and 5 mounting points', () => {
    const g = miningGame();
    const ship = data(g.a.call('get-my-ship'));
    expect(ship['mounts'].map((m: any) => m.symbol)).to.deep.equal(['MOUNT_SENSOR_ARRAY_II', 'MOUNT_GAS_SIPHON_II', 'MOUNT_MINING_LASER_II', 'MOUNT_SURVEYOR_II']);
    expect(ship['modules'].map((m: any) => m.symbol)).to.deep.equal([
      'MODULE_CARGO_HOLD_II', 'MODULE_CREW_QUARTERS_I', 'MODULE_CREW_QUARTERS_I', 'MODULE_MINERAL_PROCESSOR_I', 'MODULE_GAS_PROCESSOR_I',
    ]);
    expect(ship['cargo']['capacity']).to.equal(40);
    expect(ship['frame']).to.include({ moduleSlots: 8, mountingPoints: 5 });
    expect(ship['mounts'].find((m: any) => m.symbol === 'MOUNT_MINING_LASER_II')).to.include({ strength: 5 });
    expect(ship['mounts'].find((m: any) => m.symbol === 'MOUNT_SURVEYOR_II')['deposits']).to.include.members(['DIAMONDS', 'URANITE_ORE']);
    expect(data(g.a.call('get-mounts'))).to.deep.equal(ship['mounts']);
    expect(data(g.a.call('get-ship-modules'))).to.deep.equal(ship['modules']);
    expect(data(g.a.call('get-my-ship', undefined, { shipSymbol: g.a.ship(2) }))['mounts']).to.deep.equal([]);
  });

  it('the shipyard lists and sells the mining fleet with its equipment', () => {
    const g = miningGame();
    const yard = data(g.a.call('get-shipyard', undefined, { waypointSymbol: wp('A2') }));
    const listed = (type: string) => (yard['ships'] as any[]).find((s) => s.type === type);
    expect(listed('SHIP_MINING_DRONE').mounts.map((m: any) => m.symbol)).to.deep.equal(['MOUNT_MINING_LASER_I']);
    expect(listed('SHIP_MINING_DRONE').modules.map((m: any) => m.symbol)).to.deep.equal(['MODULE_CARGO_HOLD_I', 'MODULE_MINERAL_PROCESSOR_I']);
    expect(listed('SHIP_SIPHON_DRONE').mounts.map((m: any) => m.symbol)).to.deep.equal(['MOUNT_GAS_SIPHON_I']);
    expect(listed('SHIP_SURVEYOR').mounts.map((m: any) => m.symbol)).to.deep.equal(['MOUNT_SURVEYOR_I']);
    expect(listed('SHIP_MINING_DRONE').purchasePrice).to.equal(41_752);
    const drone = g.buy('SHIP_MINING_DRONE');
    expect(data(g.a.call('get-my-ship', undefined, { shipSymbol: drone }))['cargo']['capacity']).to.equal(15);
  });
});

describe('sim engine: extraction (BEYOND.md b.1)', () => {
  it('needs orbit (4236), an asteroid (4205), a laser (4243) and a mineral processor (4242); yields Σ strength ± 1 by the waypoint\'s traits; cooldown 60 + 10·Σ power blocks the next (4000)', () => {
    const g = miningGame();
    const { a } = g;
    expect(error(a.call('extract-resources')).code).to.equal(4236); // docked at HQ
    data(a.call('orbit-ship'));
    expect(error(a.call('extract-resources')).code).to.equal(4205); // a planet
    const probe = a.ship(2);
    g.fly(probe, wp('E8'));
    expect(error(a.call('extract-resources', undefined, { shipSymbol: probe })).code).to.equal(4243);

    g.fly(a.ship(1), wp('E8'));
    const first = data(a.call('extract-resources'), 201);
    expect(COMMON_METAL).to.include(first['extraction']['yield']['symbol']);
    expect(first['extraction']['yield']['units']).to.be.within(4, 6); // laser II: strength 5 ± 1
    expect(first['cooldown']).to.include({ shipSymbol: a.ship(1), totalSeconds: 80, remainingSeconds: 80 });
    expect(first['modifiers']).to.deep.equal([]);
    expect(first['cargo']['units']).to.equal(first['extraction']['yield']['units']);

    const blocked = a.call('extract-resources');
    expect(blocked.status).to.equal(409);
    expect(error(blocked)).to.deep.include({ code: 4000, message: 'Ship action is still on cooldown for 80 second(s).' });
    expect(error(blocked).data!['cooldown']).to.include({ remainingSeconds: 80, totalSeconds: 80 });
    const cd = a.call('get-ship-cooldown');
    expect(cd.status).to.equal(200);
    expect(data(cd)).to.include({ remainingSeconds: 80 });
    expect(data(a.call('get-my-ship'))['cooldown']).to.include({ remainingSeconds: 80 });
    g.advanceGame(79);
    expect(error(a.call('extract-resources')).data!['cooldown']).to.include({ remainingSeconds: 1 });
    g.advanceGame(1);
    expect(a.call('get-ship-cooldown').status).to.equal(204);
    data(a.call('extract-resources'), 201);

    // Without a mineral processor (the ship's own module list overrides its type's).
    g.advanceGame(80);
    g.ship(a.ship(1)).modules = ['MODULE_CREW_QUARTERS_I'];
    expect(error(a.call('extract-resources')).code).to.equal(4242);
  });

  it('measured over 60 extractions: a drone (laser I, strength 3) yields 2–4 units, mean ≈ 3, every 70 s; a full hold is 4228', () => {
    const g = miningGame();
    const drone = g.buy('SHIP_MINING_DRONE');
    g.fly(drone, wp('E8'));
    const units: number[] = [];
    const goods = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const r = data(g.a.call('extract-resources', undefined, { shipSymbol: drone }), 201);
      expect(r['cooldown']['totalSeconds']).to.equal(70);
      units.push(r['extraction']['yield']['units']);
      goods.add(r['extraction']['yield']['symbol']);
      g.ship(drone).cargo = {};
      g.advanceGame(70);
    }
    const mean = units.reduce((s, n) => s + n, 0) / units.length;
    expect(Math.min(...units)).to.be.at.least(2);
    expect(Math.max(...units)).to.be.at.most(4);
    expect(mean).to.be.within(2.6, 3.4);
    for (const s of goods) expect(COMMON_METAL).to.include(s);
    expect(goods.has('IRON_ORE') || goods.has('COPPER_ORE') || goods.has('ALUMINUM_ORE')).to.equal(true);

    g.ship(drone).cargo = { IRON_ORE: 14 };
    const capped = data(g.a.call('extract-resources', undefined, { shipSymbol: drone }), 201);
    expect(capped['extraction']['yield']['units']).to.equal(1); // capped by the free hold
    g.advanceGame(70);
    expect(error(g.a.call('extract-resources', undefined, { shipSymbol: drone })).code).to.equal(4228);
  });

  it('destabilises an asteroid beyond 10 extractions a minute (4253, UNSTABLE); CRITICAL_LIMIT warns first; it settles after unstableMinutes', () => {
    const g = miningGame();
    const drones = Array.from({ length: 11 }, () => g.buy('SHIP_MINING_DRONE'));
    for (const d of drones) g.fly(d, wp('E8'));
    const modifiers = () => (data(g.a.call('get-waypoint', undefined, { waypointSymbol: wp('E8') }))['modifiers'] as any[]).map((m) => m.symbol);
    for (let i = 0; i < 10; i++) {
      const r = data(g.a.call('extract-resources', undefined, { shipSymbol: drones[i]! }), 201);
      if (i === 7) expect(r['modifiers'].map((m: any) => m.symbol)).to.deep.equal(['CRITICAL_LIMIT']);
    }
    expect(modifiers()).to.deep.equal(['CRITICAL_LIMIT']);
    const tipped = error(g.a.call('extract-resources', undefined, { shipSymbol: drones[10]! }));
    expect(tipped.code).to.equal(4253);
    expect(modifiers()).to.deep.equal(['UNSTABLE']);
    // Other asteroids are unaffected; this one stays unstable for 60 game minutes.
    g.fly(drones[0]!, wp('E9'));
    data(g.a.call('extract-resources', undefined, { shipSymbol: drones[0]! }), 201);
    g.advanceGame(59 * 60 - 3_600); // fly() already moved the clock 3,600 s
    expect(error(g.a.call('extract-resources', undefined, { shipSymbol: drones[10]! })).code).to.equal(4253);
    g.advanceGame(60);
    data(g.a.call('extract-resources', undefined, { shipSymbol: drones[10]! }), 201);
    expect(modifiers()).to.deep.equal([]);
  });

  it('10 extractions a minute is sustainable: strain drains at 10 per game minute', () => {
    const g = miningGame();
    const drones = Array.from({ length: 10 }, () => g.buy('SHIP_MINING_DRONE'));
    for (const d of drones) g.fly(d, wp('E8'));
    for (let round = 0; round < 5; round++) {
      for (const d of drones) data(g.a.call('extract-resources', undefined, { shipSymbol: d }), 201);
      for (const d of drones) g.ship(d).cargo = {};
      g.advanceGame(70);
    }
  });
});

describe('sim engine: siphoning and refining (BEYOND.md b.3, b.4)', () => {
  it('siphons at a gas giant with a siphon (4258) and a gas processor (4257), nowhere else (4259)', () => {
    const g = miningGame();
    const { a } = g;
    g.fly(a.ship(1), wp('E8'));
    expect(error(a.call('siphon-resources')).code).to.equal(4259);
    g.fly(a.ship(1), wp('G9'));
    const r = data(a.call('siphon-resources'), 201);
    expect(GASES).to.include(r['siphon']['yield']['symbol']);
    expect(r['siphon']['yield']['units']).to.be.within(19, 21); // siphon II: strength 20 ± 1
    expect(r['cooldown']['totalSeconds']).to.equal(80);
    expect(error(a.call('siphon-resources')).code).to.equal(4000);
    expect(error(a.call('create-survey')).code).to.equal(4222); // surveys are for asteroids
    const drone = g.buy('SHIP_MINING_DRONE');
    g.fly(drone, wp('G9'));
    expect(error(a.call('siphon-resources', undefined, { shipSymbol: drone })).code).to.equal(4258);
    g.ship(drone).mounts = ['MOUNT_GAS_SIPHON_I'];
    expect(error(a.call('siphon-resources', undefined, { shipSymbol: drone })).code).to.equal(4257);
    const siphoner = g.buy('SHIP_SIPHON_DRONE');
    g.fly(siphoner, wp('G9'));
    const small = data(a.call('siphon-resources', undefined, { shipSymbol: siphoner }), 201);
    expect(small['siphon']['yield']['units']).to.be.within(9, 11);
    expect(small['cooldown']['totalSeconds']).to.equal(70);
  });

  it(`refines ${DEFAULT_EXTRACTION_CONFIG.refine.inputUnits} ore into ${DEFAULT_EXTRACTION_CONFIG.refine.outputUnits} metal with a refinery (4239, 4238, 4219), cooldown 180 s`, () => {
    const g = miningGame();
    expect(error(g.a.call('ship-refine', { produce: 'IRON' })).code).to.equal(4239);
    expect(g.a.call('ship-refine', { produce: 'IRON_ORE' }).status).to.equal(422);
    const refinery = g.buy('SHIP_REFINING_FREIGHTER');
    const call = (produce: string) => g.a.call('ship-refine', { produce }, { shipSymbol: refinery });
    expect(error(call('FUEL')).code).to.equal(4238);
    g.ship(refinery).cargo = { IRON_ORE: 99 };
    expect(error(call('IRON')).code).to.equal(4219);
    g.ship(refinery).cargo = { IRON_ORE: 130 };
    const answer = call('IRON');
    // No shipyard in the conformance worlds sells a refinery ship: the 201 is checked against the spec here.
    expect(apiSpec().validateResponse('ship-refine', 201, answer.body)).to.equal(undefined);
    const r = data(answer, 201);
    expect(r['produced']).to.deep.equal([{ tradeSymbol: 'IRON', units: 10 }]);
    expect(r['consumed']).to.deep.equal([{ tradeSymbol: 'IRON_ORE', units: 100 }]);
    expect(r['cooldown']['totalSeconds']).to.equal(180);
    expect(g.ship(refinery).cargo).to.deep.equal({ IRON_ORE: 30, IRON: 10 });
    expect(error(call('IRON')).code).to.equal(4000);
  });
});

describe('sim engine: surveys (BEYOND.md b.2)', () => {
  it('a surveyor II makes 2 surveys per call (cooldown 90 s), a surveyor I one (70 s); 3–7 deposits from the asteroid\'s goods; 4240, 4223', () => {
    const g = miningGame();
    const { a } = g;
    const drone = g.buy('SHIP_MINING_DRONE');
    const surveyor = g.buy('SHIP_SURVEYOR');
    g.fly(drone, wp('E8'));
    expect(error(a.call('create-survey', undefined, { shipSymbol: drone })).code).to.equal(4240);
    a.call('dock-ship', undefined, { shipSymbol: drone });
    g.fly(a.ship(1), wp('E8'));
    data(a.call('dock-ship'));
    expect(error(a.call('create-survey')).code).to.equal(4223);
    data(a.call('orbit-ship'));
    const two = data(a.call('create-survey'), 201);
    expect(two['surveys']).to.have.length(2);
    expect(two['cooldown']['totalSeconds']).to.equal(90);
    for (const s of two['surveys']) {
      expect(s['symbol']).to.equal(wp('E8'));
      expect(s['deposits'].length).to.be.within(3, 7);
      for (const d of s['deposits']) expect(COMMON_METAL).to.include(d.symbol);
      expect(['SMALL', 'MODERATE', 'LARGE']).to.include(s['size']);
      expect(Date.parse(s['expiration']) - g.clock.now()).to.be.within(15 * 60_000, 60 * 60_000);
    }
    g.fly(surveyor, wp('E8'));
    const one = data(a.call('create-survey', undefined, { shipSymbol: surveyor }), 201);
    expect(one['surveys']).to.have.length(1);
    expect(one['cooldown']['totalSeconds']).to.equal(70);
  });

  it('a surveyor sees only its deposit list: at a rare-metal asteroid a surveyor II lists URANITE_ORE (never MERITIUM_ORE), a surveyor I only common minerals', () => {
    const g = miningGame();
    const surveyor = g.buy('SHIP_SURVEYOR');
    for (const s of [g.a.ship(1), surveyor]) g.fly(s, wp('F1'));
    const listed = (ship: string) => new Set((data(g.a.call('create-survey', undefined, { shipSymbol: ship }), 201)['surveys'] as any[]).flatMap((s) => s.deposits.map((d: any) => d.symbol)));
    expect([...listed(g.a.ship(1))]).to.deep.equal(['URANITE_ORE']);
    for (const d of listed(surveyor)) expect(['SILICON_CRYSTALS', 'QUARTZ_SAND', 'AMMONIA_ICE', 'ICE_WATER', 'IRON_ORE', 'PRECIOUS_STONES']).to.include(d);
  });

  it('sizes hold the configured units (defaults: SMALL 200–447, MODERATE 490–1,034, LARGE 945–2,431)', () => {
    const g = miningGame();
    const surveyor = g.buy('SHIP_SURVEYOR');
    g.fly(surveyor, wp('E8'));
    const bySize: Record<string, number[]> = { SMALL: [], MODERATE: [], LARGE: [] };
    for (let i = 0; i < 120; i++) {
      const s = data(g.a.call('create-survey', undefined, { shipSymbol: surveyor }), 201)['surveys'][0];
      bySize[s.size]!.push(g.u.state.surveys![s.signature]!.unitsTotal);
      g.advanceGame(70);
    }
    for (const [size, units] of Object.entries(bySize)) {
      const [lo, hi] = DEFAULT_EXTRACTION_CONFIG.surveyUnits[size as 'SMALL']!;
      expect(units.length, size).to.be.greaterThan(5);
      for (const n of units) expect(n, size).to.be.within(lo, hi);
    }
    expect(bySize['SMALL']!.length).to.be.greaterThan(bySize['LARGE']!.length);
  });

  it('extract/survey draws from the deposits and the survey\'s budget until it is exhausted (4224, 409); altered 4220, expired 4221, elsewhere 4270', () => {
    const g = miningGame({ surveyUnits: { SMALL: [30, 40], MODERATE: [30, 40], LARGE: [30, 40] }, surveyExpiryMinutes: [600, 600] });
    const { a } = g;
    g.fly(a.ship(1), wp('E8'));
    const [survey, spare] = data(a.call('create-survey'), 201)['surveys'];
    const budget = g.u.state.surveys![survey.signature]!.unitsTotal;
    g.advanceGame(90);
    const deposits = new Set((survey.deposits as any[]).map((d) => d.symbol));
    let total = 0;
    let calls = 0;
    for (;;) {
      const r = a.call('extract-resources-with-survey', survey);
      if (r.status !== 201) {
        expect(r.status).to.equal(409);
        expect(error(r)).to.deep.include({ code: 4224, message: `Ship extract failed. Survey ${survey.signature} has been exhausted.` });
        break;
      }
      const y = data(r, 201)['extraction']['yield'];
      expect(deposits.has(y.symbol), y.symbol).to.equal(true);
      expect(data(r, 201)).to.not.have.property('modifiers');
      total += y.units;
      calls++;
      g.ship(a.ship(1)).cargo = {};
      g.advanceGame(80);
    }
    expect(total).to.equal(budget);
    expect(calls).to.be.within(Math.ceil(budget / 6), Math.ceil(budget / 4)); // laser II: 4–6 units a call

    expect(error(a.call('extract-resources-with-survey', { ...spare, size: spare.size === 'LARGE' ? 'SMALL' : 'LARGE' })).code).to.equal(4220);
    expect(error(a.call('extract-resources-with-survey', { ...spare, signature: 'X1-TEST-E8-FORGED' })).code).to.equal(4220);
    g.fly(a.ship(1), wp('E9'));
    expect(error(a.call('extract-resources-with-survey', spare)).code).to.equal(4270);
    g.fly(a.ship(1), wp('E8'));
    g.advanceGame(600 * 60);
    expect(error(a.call('extract-resources-with-survey', spare)).code).to.equal(4221);
  });
});

describe('sim engine: --state keeps surveys, cooldowns, asteroid stability and contracts', () => {
  it('a restored universe still knows the survey and its budget, the running cooldown, the unstable asteroid and the negotiated contract', () => {
    const g = miningGame({ surveyExpiryMinutes: [600, 600], stability: { ...DEFAULT_EXTRACTION_CONFIG.stability, unstableMinutes: 600 } });
    const { a } = g;
    // The starter contract's offer lapses after a game day; a negotiated one is then open.
    g.advanceGame(86_401);
    data(a.call('dock-ship'));
    const contract = data(a.call('negotiateContract'), 201)['contract'];
    const drones = Array.from({ length: 11 }, () => g.buy('SHIP_MINING_DRONE'));
    for (const d of drones) g.fly(d, wp('E9'));
    for (const d of drones.slice(0, 10)) data(a.call('extract-resources', undefined, { shipSymbol: d }), 201);
    expect(error(a.call('extract-resources', undefined, { shipSymbol: drones[10]! })).code).to.equal(4253);
    g.fly(a.ship(1), wp('E8'));
    const survey = data(a.call('create-survey'), 201)['surveys'][0];
    g.advanceGame(90);
    const cd = data(a.call('extract-resources-with-survey', survey), 201)['cooldown'];
    const left = g.u.state.surveys![survey.signature]!.unitsLeft;

    const restored = Universe.fromJSON(JSON.parse(JSON.stringify(g.u.toJSON())), { clock: g.clock });
    const call = (operationId: string, body?: unknown, shipSymbol = a.ship(1)) =>
      restored.handle({ operationId, token: a.token, params: { shipSymbol, systemSymbol: 'X1-TEST', waypointSymbol: wp('E9') }, query: {}, body });
    expect(data(call('get-ship-cooldown'))).to.deep.equal(cd);
    expect(error(call('extract-resources-with-survey', survey)).code).to.equal(4000);
    expect(restored.state.surveys![survey.signature]!.unitsLeft).to.equal(left);
    expect((data(call('get-waypoint'))['modifiers'] as any[]).map((m) => m.symbol)).to.deep.equal(['UNSTABLE']);
    expect(error(call('extract-resources', undefined, drones[10]!)).code).to.equal(4253);
    expect(data(call('get-contracts')).map((c: any) => c.id)).to.include(contract.id);
    expect(error(call('negotiateContract', undefined, a.ship(2))).code).to.equal(4511);
    g.clock.advance(80_000);
    const r = data(call('extract-resources-with-survey', survey), 201);
    expect(restored.state.surveys![survey.signature]!.unitsLeft).to.equal(left - r['extraction']['yield']['units']);
  });
});

describe('sim engine: a /_sim clock advance moves extraction time too', () => {
  it('expires surveys and settles a destabilised asteroid, while a survey body as issued still verifies before its expiry', () => {
    const g = miningGame({ surveyExpiryMinutes: [30, 30] });
    const drones = Array.from({ length: 11 }, () => g.buy('SHIP_MINING_DRONE'));
    for (const d of drones) g.fly(d, wp('E8'));
    g.fly(g.a.ship(1), wp('E9'));
    for (const d of drones.slice(0, 10)) data(g.a.call('extract-resources', undefined, { shipSymbol: d }), 201);
    expect(error(g.a.call('extract-resources', undefined, { shipSymbol: drones[10]! })).code).to.equal(4253);
    const [survey] = data(g.a.call('create-survey'), 201)['surveys'];
    advanceClock(g.u, { seconds: 20 * 60 });
    data(g.a.call('extract-resources-with-survey', survey), 201);
    advanceClock(g.u, { seconds: 10 * 60 });
    expect(error(g.a.call('extract-resources-with-survey', survey)).code).to.equal(4221);
    expect(error(g.a.call('extract-resources', undefined, { shipSymbol: drones[10]! })).code).to.equal(4253);
    advanceClock(g.u, { seconds: DEFAULT_EXTRACTION_CONFIG.stability.unstableMinutes * 60 });
    data(g.a.call('extract-resources', undefined, { shipSymbol: drones[10]! }), 201);
  });
});
