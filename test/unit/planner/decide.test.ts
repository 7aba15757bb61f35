import { expect } from 'chai';
import { UserError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { market, nodes, plan, ship, view } from './helpers.js';

const FUEL = { FUEL: ['EXCHANGE', 'MODERATE', 72, 180] } as const;

function refusal(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(UserError);
    return e as UserError;
  }
  expect.fail('expected the planner to refuse');
}

describe('planner: buy or make', () => {
  it('prefer-buy buys the target itself when it is sold with enough supply (LESSONS #4)', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { SHIP_PLATING: ['EXPORT', 'HIGH', 2768, 6], ALUMINUM: ['IMPORT', 'LIMITED', 488, 60], MACHINERY: ['IMPORT', 'LIMITED', 6200], ...FUEL }),
      market('X1-TEST-B', 30, 40, { ALUMINUM: ['EXPORT', 'HIGH', 147, 60], MACHINERY: ['EXPORT', 'HIGH', 1826], ...FUEL }),
    ]);
    const body = plan(v, 'SHIP_PLATING', 12);
    expect(body.decisions.action).to.equal('BUY');
    expect(body.decisions.waypoint).to.equal('X1-TEST-A');
    expect(body.decisions.reason).to.match(/prefer-buy/);
    expect(body.decisions.inputs).to.deep.equal([]);
    expect(body.tasks.every((t) => t.source.kind === 'market')).to.equal(true);
  });

  it('declines a SCARCE market with the reason, even when it is the cheapest (LESSONS #8)', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'SCARCE', 60, 60], ...FUEL }),
      market('X1-TEST-B', 10, 0, { IRON: ['EXPORT', 'MODERATE', 95, 60], ...FUEL }),
    ]);
    const body = plan(v, 'IRON', 40);
    expect(body.decisions.action).to.equal('BUY');
    expect(body.decisions.waypoint).to.equal('X1-TEST-B');
    const declined = body.decisions.declined.find((d) => d.waypoint === 'X1-TEST-A');
    expect(declined?.why).to.match(/SCARCE/).and.to.match(/minSupplyToBuy MODERATE/);
  });

  it('landed cost weighs fuel: a slightly dearer market nearby beats a cheap one far away', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'HIGH', 100, 60], ...FUEL }),
      market('X1-TEST-Z', 800, 0, { IRON: ['EXPORT', 'HIGH', 95, 60], ...FUEL }),
    ]);
    const body = plan(v, 'IRON', 40, { fleet: [ship('S-1', 'X1-TEST-A')] });
    expect(body.decisions.waypoint).to.equal('X1-TEST-A');
    expect(body.decisions.declined.find((d) => d.waypoint === 'X1-TEST-Z')?.why).to.match(/landed cost/);
  });

  it('buys from an import market only when it is not far dearer than the makers', () => {
    const dear = view([
      market('X1-TEST-A', 0, 0, { IRON: ['IMPORT', 'HIGH', 300, 60], ...FUEL }),
      market('X1-TEST-B', 10, 0, { IRON: ['EXPORT', 'SCARCE', 85, 60], IRON_ORE: ['IMPORT', 'LIMITED', 120, 60], ...FUEL }),
      market('X1-TEST-C', 20, 0, { IRON_ORE: ['EXPORT', 'HIGH', 35, 60], ...FUEL }),
    ]);
    const made = plan(dear, 'IRON', 30);
    expect(made.decisions.action).to.equal('MAKE');
    expect(made.decisions.declined.find((d) => d.waypoint === 'X1-TEST-A')?.why).to.match(/IMPORT market asking 300, more than 1.5× the export price 85/);
    const fair = view([
      market('X1-TEST-A', 0, 0, { IRON: ['IMPORT', 'HIGH', 110, 60], ...FUEL }),
      market('X1-TEST-B', 10, 0, { IRON: ['EXPORT', 'SCARCE', 85, 60], IRON_ORE: ['IMPORT', 'LIMITED', 120, 60], ...FUEL }),
    ]);
    expect(plan(fair, 'IRON', 30).decisions).to.include({ action: 'BUY', waypoint: 'X1-TEST-A' });
  });

  it('buys from a SCARCE market when the spec allows SCARCE', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'SCARCE', 60, 60], ...FUEL }),
      market('X1-TEST-B', 10, 0, { IRON: ['EXPORT', 'MODERATE', 95, 60], ...FUEL }),
    ]);
    const body = plan(v, 'IRON', 40, { policy: { minSupplyToBuy: 'SCARCE' } });
    expect(body.decisions.waypoint).to.equal('X1-TEST-A');
  });

  it('MAKE picks a market that EXPORTS the good and IMPORTS its inputs, never an import-only market (LESSONS #1)', () => {
    const v = view([
      // A consumer: imports SHIP_PLATING and its inputs; never a factory.
      market('X1-TEST-A', 0, 0, { SHIP_PLATING: ['IMPORT', 'SCARCE', 14000, 6], ALUMINUM: ['IMPORT', 'LIMITED', 488, 60], MACHINERY: ['IMPORT', 'LIMITED', 6200], ...FUEL }),
      // Exports it but imports none of its inputs: cannot be fed.
      market('X1-TEST-C', 5, 5, { SHIP_PLATING: ['EXPORT', 'LIMITED', 2800, 6], FOOD: ['IMPORT', 'LIMITED', 4000], ...FUEL }),
      // The real factory.
      market('X1-TEST-D', 20, 20, { SHIP_PLATING: ['EXPORT', 'SCARCE', 2768, 6], ALUMINUM: ['IMPORT', 'LIMITED', 488, 60], MACHINERY: ['IMPORT', 'LIMITED', 6200], ...FUEL }),
      market('X1-TEST-B', 30, 40, { ALUMINUM: ['EXPORT', 'HIGH', 147, 60], MACHINERY: ['EXPORT', 'HIGH', 1826], ...FUEL }),
    ]);
    const body = plan(v, 'SHIP_PLATING', 30);
    expect(body.decisions.action).to.equal('MAKE');
    expect(body.decisions.waypoint).to.equal('X1-TEST-D');
    const whyC = body.decisions.declined.filter((d) => d.waypoint === 'X1-TEST-C').map((d) => d.why);
    expect(whyC.some((w) => /imports none of its inputs/.test(w))).to.equal(true);
    expect(body.decisions.declined.some((d) => d.waypoint === 'X1-TEST-A' && /IMPORT market/.test(d.why))).to.equal(true);
    const inputs = body.decisions.inputs.map((i) => `${i.action} ${i.good}@${i.waypoint}`).sort();
    expect(inputs).to.deep.equal(['BUY ALUMINUM@X1-TEST-B', 'BUY MACHINERY@X1-TEST-B']);
    const feeds = body.tasks.filter((t) => t.destination.kind === 'feed');
    expect(feeds).to.have.length(2);
    for (const f of feeds) expect(f.destination).to.deep.equal({ kind: 'feed', waypoint: 'X1-TEST-D', forGood: 'SHIP_PLATING' });
    const collect = body.tasks.find((t) => t.source.kind === 'factory')!;
    expect(collect.source).to.include({ waypoint: 'X1-TEST-D', minSupply: 'LIMITED', resumeSupply: 'MODERATE' });
    expect(collect.dependsOn).to.have.members(feeds.map((f) => f.id));
  });

  it('declines a factory whose plentiful export is already dearer than the ceiling, refusing with why', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { COPPER: ['EXPORT', 'HIGH', 198, 60], COPPER_ORE: ['IMPORT', 'LIMITED', 148, 60], ...FUEL }),
      market('X1-TEST-B', 10, 0, { COPPER_ORE: ['EXPORT', 'HIGH', 38, 60], ...FUEL }),
    ]);
    const err = refusal(() => plan(v, 'COPPER', 30, { policy: { maxUnitPrice: { COPPER: 150 } } }));
    expect(err.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(err.message).to.match(/ask 198 above policy maxUnitPrice 150/).and.to.match(/feeding would not bring the price under it/);
    // Where the export is short, feeding is what raises supply and lowers the price: MAKE.
    const short = view([
      market('X1-TEST-A', 0, 0, { COPPER: ['EXPORT', 'LIMITED', 198, 60], COPPER_ORE: ['IMPORT', 'LIMITED', 148, 60], ...FUEL }),
      market('X1-TEST-B', 10, 0, { COPPER_ORE: ['EXPORT', 'HIGH', 38, 60], ...FUEL }),
    ]);
    expect(plan(short, 'COPPER', 30, { policy: { maxUnitPrice: { COPPER: 150 } } }).decisions.action).to.equal('MAKE');
  });

  it('does not feed an input the factory already has in HIGH supply', () => {
    const v = view([
      market('X1-TEST-D', 0, 0, { SHIP_PLATING: ['EXPORT', 'SCARCE', 2768, 6], ALUMINUM: ['IMPORT', 'HIGH', 400, 60], MACHINERY: ['IMPORT', 'LIMITED', 6200], ...FUEL }),
      market('X1-TEST-B', 30, 40, { ALUMINUM: ['EXPORT', 'HIGH', 147, 60], MACHINERY: ['EXPORT', 'HIGH', 1826], ...FUEL }),
    ]);
    const body = plan(v, 'SHIP_PLATING', 30);
    expect(body.decisions.action).to.equal('MAKE');
    expect(body.decisions.inputs.map((i) => i.good)).to.deep.equal(['MACHINERY']);
    expect(body.decisions.reason).to.match(/ALUMINUM already HIGH or more there/);
  });

  it('cheapest mode makes when making costs less than buying, and buys otherwise', () => {
    const markets = (factoryAsk: number) => [
      market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'SCARCE', factoryAsk, 60], IRON_ORE: ['IMPORT', 'LIMITED', 120, 60], ...FUEL }),
      market('X1-TEST-B', 10, 0, { IRON: ['EXCHANGE', 'MODERATE', 400, 60], IRON_ORE: ['EXPORT', 'ABUNDANT', 35, 60], ...FUEL }),
    ];
    const cheapMake = plan(view(markets(85)), 'IRON', 60, { policy: { mode: 'cheapest', maxUnitPrice: {} } });
    expect(cheapMake.decisions.action).to.equal('MAKE');
    expect(cheapMake.decisions.reason).to.match(/cheapest: making/);
    expect(cheapMake.decisions.declined.find((d) => d.waypoint === 'X1-TEST-B')?.why).to.match(/vs making/);

    const dearMake = plan(view(markets(1500)), 'IRON', 60, { policy: { mode: 'cheapest' } });
    expect(dearMake.decisions.action).to.equal('BUY');
    expect(dearMake.decisions.waypoint).to.equal('X1-TEST-B');
    expect(dearMake.decisions.reason).to.match(/cheapest: buying/);

    // prefer-buy buys whenever it can, even when making would be cheaper.
    const preferBuy = plan(view(markets(85)), 'IRON', 60);
    expect(preferBuy.decisions.action).to.equal('BUY');
  });

  it('refuses a good that can be neither bought nor made (INFEASIBLE, exit 5)', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['IMPORT', 'SCARCE', 300, 60], ...FUEL })]);
    const err = refusal(() => plan(v, 'IRON', 10));
    expect(err.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(err.message).to.match(/Cannot produce IRON in X1-TEST/).and.to.match(/no market in X1-TEST exports it/);
  });

  it('names the chain down to the good that blocks making, and why', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'SCARCE', 85, 60], IRON_ORE: ['IMPORT', 'SCARCE', 120, 60], ...FUEL })]);
    const err = refusal(() => plan(v, 'IRON', 10));
    expect(err.message).to.contain('making it needs IRON → IRON_ORE, and IRON_ORE: it cannot be bought (X1-TEST-A: IMPORT market with supply SCARCE');
    expect(err.message).to.contain('no market in X1-TEST exports it');
    expect((err.details as { declined: unknown[] }).declined.length).to.be.greaterThan(0);
  });

  it('stops the recursion on the cyclic real map where a good is buyable, and names an unbreakable cycle', () => {
    const chain = {
      A: market('X1-TEST-A', 0, 0, { MACHINERY: ['EXPORT', 'SCARCE', 1826], IRON: ['IMPORT', 'SCARCE', 300, 60], ...FUEL }),
      B: market('X1-TEST-B', 10, 0, { IRON: ['EXPORT', 'SCARCE', 85, 60], IRON_ORE: ['IMPORT', 'SCARCE', 120, 60], ...FUEL }),
      C: market('X1-TEST-C', 20, 0, { IRON_ORE: ['EXPORT', 'SCARCE', 35, 60], EXPLOSIVES: ['IMPORT', 'SCARCE', 380], ...FUEL }),
      D: market('X1-TEST-D', 30, 0, { EXPLOSIVES: ['EXPORT', 'SCARCE', 112], LIQUID_HYDROGEN: ['IMPORT', 'SCARCE', 66, 60], ...FUEL }),
    };
    const noLh = view([...Object.values(chain), market('X1-TEST-E', 40, 0, { LIQUID_HYDROGEN: ['EXPORT', 'SCARCE', 27, 60], MACHINERY: ['IMPORT', 'SCARCE', 6200], ...FUEL })]);
    const err = refusal(() => plan(noLh, 'MACHINERY', 20));
    expect(err.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(err.message).to.contain('MACHINERY → IRON → IRON_ORE → EXPLOSIVES → LIQUID_HYDROGEN → MACHINERY');

    const withLh = view([...Object.values(chain), market('X1-TEST-E', 40, 0, { LIQUID_HYDROGEN: ['EXCHANGE', 'MODERATE', 27, 180], MACHINERY: ['IMPORT', 'SCARCE', 6200], ...FUEL })]);
    const body = plan(withLh, 'MACHINERY', 20);
    const path = nodes(body).map((n) => `${n.action} ${n.good}`);
    expect(path).to.deep.equal(['MAKE MACHINERY', 'MAKE IRON', 'MAKE IRON_ORE', 'MAKE EXPLOSIVES', 'BUY LIQUID_HYDROGEN']);
  });

  it('a good on a cycle that is buyable is bought to close the cycle', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { LIQUID_HYDROGEN: ['EXPORT', 'SCARCE', 27, 60], MACHINERY: ['IMPORT', 'LIMITED', 6200], ...FUEL }),
      market('X1-TEST-B', 10, 0, { MACHINERY: ['EXPORT', 'SCARCE', 1826], IRON: ['IMPORT', 'LIMITED', 300, 60], ...FUEL }),
      market('X1-TEST-C', 20, 0, { IRON: ['EXCHANGE', 'HIGH', 100, 60], ...FUEL }),
    ]);
    // LIQUID_HYDROGEN → MACHINERY → IRON: MACHINERY must be made (SCARCE), IRON bought.
    const body = plan(v, 'LIQUID_HYDROGEN', 30);
    expect(nodes(body).map((n) => `${n.action} ${n.good}`)).to.deep.equal(['MAKE LIQUID_HYDROGEN', 'MAKE MACHINERY', 'BUY IRON']);
  });

  it('marks prices of unobserved markets as estimates, and never buys from an import market on a guess', () => {
    const v = view(
      [
        market('X1-TEST-A', 0, 0, { IRON: ['IMPORT', 'HIGH', 300, 60], ...FUEL }),
        market('X1-TEST-B', 10, 0, { IRON: ['EXPORT', 'HIGH', 85, 60], ...FUEL }),
      ],
      undefined,
      { observed: false },
    );
    const body = plan(v, 'IRON', 20);
    expect(body.decisions.waypoint).to.equal('X1-TEST-B');
    expect(body.decisions.priceBasis).to.equal('estimated');
    expect(body.decisions.reason).to.match(/ESTIMATED/);
    expect(body.decisions.declined.find((d) => d.waypoint === 'X1-TEST-A')?.why).to.match(/assumed, not observed/);
    expect(body.observations).to.deep.equal([]);
  });

  it('lists only the observations its choices rest on', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'HIGH', 85, 60], FOOD: ['IMPORT', 'LIMITED', 4000], ...FUEL }),
    ]);
    const body = plan(v, 'IRON', 20);
    expect(body.observations.map((o) => o.good).sort()).to.deep.equal(['FUEL', 'IRON']);
  });

  it('refuses a fleet without cargo room', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'HIGH', 85, 60], ...FUEL })]);
    const err = refusal(() => plan(v, 'IRON', 20, { fleet: [ship('PROBE-2', 'X1-TEST-A', 0, 9)] }));
    expect(err.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(err.message).to.match(/cargo room/);
  });

  it('refuses a hold target larger than the fleet holds', () => {
    const v = view([market('X1-TEST-A', 0, 0, { IRON: ['EXPORT', 'HIGH', 85, 60], ...FUEL })]);
    const err = refusal(() => plan(v, 'IRON', 100, { fleet: [ship('S-1', 'X1-TEST-A', 40)] }));
    expect(err.message).to.match(/take only 40 units/);
  });
});
