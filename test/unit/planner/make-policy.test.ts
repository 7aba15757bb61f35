import { expect } from 'chai';
import { UserError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { market, nodes, plan, view } from './helpers.js';

const FUEL = { FUEL: ['EXCHANGE', 'MODERATE', 72, 180] } as const;

/** ADVANCED_CIRCUITRY sold with plenty of supply at its own factory A; its inputs sold at B. */
const world = () =>
  view([
    market('X1-TEST-A', 0, 0, { ADVANCED_CIRCUITRY: ['EXPORT', 'HIGH', 4000, 10], ELECTRONICS: ['IMPORT', 'LIMITED', 2600], MICROPROCESSORS: ['IMPORT', 'LIMITED', 2800], ...FUEL }),
    market('X1-TEST-B', 30, 40, { ELECTRONICS: ['EXPORT', 'HIGH', 1200], MICROPROCESSORS: ['EXPORT', 'HIGH', 1300], COPPER: ['IMPORT', 'LIMITED', 300], SILICON_CRYSTALS: ['IMPORT', 'LIMITED', 200], ...FUEL }),
  ]);

function refusal(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(UserError);
    return e as UserError;
  }
  expect.fail('expected the planner to refuse');
}

describe('planner: policy.make', () => {
  it('without it, prefer-buy buys the target where it is sold', () => {
    expect(plan(world(), 'ADVANCED_CIRCUITRY', 20).decisions).to.include({ action: 'BUY', waypoint: 'X1-TEST-A' });
  });

  it('a good it lists is made even where it can be bought, with the reason; its inputs are bought as usual', () => {
    const body = plan(world(), 'ADVANCED_CIRCUITRY', 20, { policy: { make: ['ADVANCED_CIRCUITRY'] } });
    const root = body.decisions;
    expect(root).to.include({ action: 'MAKE', waypoint: 'X1-TEST-A' });
    expect(root.reason).to.match(/^policy\.make lists ADVANCED_CIRCUITRY: made even where it can be bought; factory X1-TEST-A exports it/);
    expect(root.declined.find((d) => d.waypoint === 'X1-TEST-A')?.why).to.match(/policy\.make lists ADVANCED_CIRCUITRY/);
    expect(root.inputs.map((n) => [n.good, n.action, n.waypoint])).to.deep.equal([
      ['ELECTRONICS', 'BUY', 'X1-TEST-B'],
      ['MICROPROCESSORS', 'BUY', 'X1-TEST-B'],
    ]);
    // Feed tasks into the factory, then the collect task that waits for them.
    const collect = body.tasks.find((t) => t.source.kind === 'factory')!;
    expect(collect.good).to.equal('ADVANCED_CIRCUITRY');
    const feeds = body.tasks.filter((t) => t.destination.kind === 'feed');
    expect(feeds.map((t) => t.good).sort()).to.deep.equal(['ELECTRONICS', 'MICROPROCESSORS']);
    expect(collect.dependsOn.sort()).to.deep.equal(feeds.map((t) => t.id).sort());
    expect(body.spec.policy.make).to.deep.equal(['ADVANCED_CIRCUITRY']);
  });

  it('applies to inputs too, in cheapest mode as well', () => {
    const v = view([
      market('X1-TEST-A', 0, 0, { ADVANCED_CIRCUITRY: ['EXPORT', 'LIMITED', 4000, 10], ELECTRONICS: ['IMPORT', 'LIMITED', 2600], MICROPROCESSORS: ['IMPORT', 'LIMITED', 2800], ...FUEL }),
      market('X1-TEST-B', 30, 40, { ELECTRONICS: ['EXPORT', 'HIGH', 1200], MICROPROCESSORS: ['EXPORT', 'HIGH', 1300], COPPER: ['IMPORT', 'LIMITED', 300], SILICON_CRYSTALS: ['IMPORT', 'LIMITED', 200], ...FUEL }),
      market('X1-TEST-C', 60, 0, { COPPER: ['EXPORT', 'HIGH', 90], SILICON_CRYSTALS: ['EXPORT', 'HIGH', 60], ...FUEL }),
    ]);
    const body = plan(v, 'ADVANCED_CIRCUITRY', 20, { policy: { mode: 'cheapest', make: ['ELECTRONICS'] } });
    const byGood = new Map(nodes(body).map((n) => [n.good, n]));
    expect(byGood.get('ADVANCED_CIRCUITRY')!.action).to.equal('MAKE');
    expect(byGood.get('ELECTRONICS')).to.include({ action: 'MAKE', waypoint: 'X1-TEST-B' });
    expect(byGood.get('ELECTRONICS')!.reason).to.match(/policy\.make lists ELECTRONICS/);
    expect(byGood.get('MICROPROCESSORS')!.action).to.equal('BUY');
    expect(byGood.get('COPPER')).to.include({ action: 'BUY', waypoint: 'X1-TEST-C' });
  });

  it('a listed good with no factory in the system is INFEASIBLE, naming the good and the fix', () => {
    const noExporter = refusal(() => plan(world(), 'ADVANCED_CIRCUITRY', 20, { policy: { make: ['COPPER'] } }));
    expect(noExporter.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(noExporter.message).to.equal('policy.make lists COPPER, but it cannot be made in X1-TEST: no market in X1-TEST exports it.');
    expect(noExporter.hint).to.match(/Remove COPPER from policy\.make/);
    const unfed = view([
      market('X1-TEST-A', 0, 0, { ADVANCED_CIRCUITRY: ['EXPORT', 'HIGH', 4000, 10], ELECTRONICS: ['IMPORT', 'LIMITED', 2600], MICROPROCESSORS: ['IMPORT', 'LIMITED', 2800], ...FUEL }),
      market('X1-TEST-B', 30, 40, { ELECTRONICS: ['EXPORT', 'HIGH', 1200], MICROPROCESSORS: ['EXPORT', 'HIGH', 1300], ...FUEL }),
    ]);
    const notFed = refusal(() => plan(unfed, 'ADVANCED_CIRCUITRY', 20, { policy: { make: ['ELECTRONICS'] } }));
    expect(notFed.message).to.match(/policy\.make lists ELECTRONICS, but it cannot be made in X1-TEST: the markets exporting it \(X1-TEST-B\) import none of its inputs/);
  });

  it('a listed good that closes a cycle cannot be bought to break it: the refusal says why', () => {
    // A two-good loop: MACHINERY is made from IRON, IRON (not buyable: LIMITED) from MACHINERY.
    const map = { MACHINERY: ['IRON'], IRON: ['MACHINERY'] };
    const v = view(
      [
        market('X1-TEST-A', 0, 0, { MACHINERY: ['EXPORT', 'LIMITED', 1800], IRON: ['IMPORT', 'LIMITED', 200], ...FUEL }),
        market('X1-TEST-B', 10, 0, { IRON: ['EXPORT', 'LIMITED', 100], MACHINERY: ['IMPORT', 'LIMITED', 1900], ...FUEL }),
      ],
      map,
    );
    const e = refusal(() => plan(v, 'MACHINERY', 20, { map, policy: { make: ['MACHINERY'] } }));
    expect(e.exitCode).to.equal(ExitCode.INFEASIBLE);
    expect(e.message).to.match(/policy\.make lists MACHINERY, so it is not bought/);
  });
});
