import fs from 'node:fs';
import { expect } from 'chai';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { formatDuration, parseDuration } from '../../../src/spec/duration.js';
import { checkFleetShips, selectFleet } from '../../../src/spec/fleet.js';
import { loadSpec, parseSpec } from '../../../src/spec/load.js';
import type { ProductionSpec } from '../../../src/spec/types.js';
import { loadSupplyChain } from '../../../src/supply-chain/load.js';
import { caught } from '../../helpers/user-error.js';

const supplyChain = loadSupplyChain(undefined, {});
const minimal = 'name: t\ntarget: {good: IRON, quantity: 10}\npolicy: {maxCredits: 5000}\n';

describe('spec: normalisation, hash and fleet', () => {
  it('fills every default and names the policy as the plan does (PlanPolicy)', () => {
    const { spec, hash } = parseSpec(minimal, 'x.yaml', supplyChain);
    expect(spec).to.deep.equal({
      name: 't',
      target: { good: 'IRON', quantity: 10, deliver: { kind: 'hold' } },
      fleet: { kind: 'select' },
      policy: {
        mode: 'prefer-buy',
        minSupplyToBuy: 'MODERATE',
        maxCredits: 5000,
        maxUnitPrice: {},
        reserveCredits: 10000,
        productionTimeoutSeconds: 3600,
        pollSeconds: 30,
        flightMode: 'CRUISE',
      },
    } satisfies ProductionSpec);
    expect(spec).not.to.have.property('system');
    expect(hash).to.match(/^sha256:[0-9a-f]{64}$/);
  });

  it('converts durations to seconds and shapes deliver and fleet', () => {
    const text = [
      'name: t',
      'system: X1-AD75',
      'target: {good: IRON, quantity: 10, deliver: {contract: abc123}}',
      'fleet: {select: {role: [HAULER], frame: [FRAME_FRIGATE], max: 2}}',
      'policy: {maxCredits: 5000, productionTimeout: 1h30m, pollInterval: 45s, minSupply: LIMITED, mode: cheapest, maxUnitPrice: {IRON: 90}, reserveCredits: 0, flightMode: BURN}',
    ].join('\n');
    const { spec } = parseSpec(text, 'x.yaml', supplyChain);
    expect(spec.system).to.equal('X1-AD75');
    expect(spec.target).to.deep.include({ deliver: { kind: 'contract', contractId: 'abc123' } });
    expect(spec.fleet).to.deep.equal({ kind: 'select', roles: ['HAULER'], frames: ['FRAME_FRIGATE'], max: 2 });
    expect(spec.policy).to.deep.equal({
      mode: 'cheapest',
      minSupplyToBuy: 'LIMITED',
      maxCredits: 5000,
      maxUnitPrice: { IRON: 90 },
      reserveCredits: 0,
      productionTimeoutSeconds: 5400,
      pollSeconds: 45,
      flightMode: 'BURN',
    });
    expect(parseSpec(minimal.replace('quantity: 10}', 'quantity: 10, deliver: {sell: X1-AD75-H51}}'), 'x.yaml', supplyChain).spec.target).to.deep.include({ deliver: { kind: 'sell', waypoint: 'X1-AD75-H51' } });
  });

  it('the hash depends on meaning only: comments, key order and spelled-out defaults do not change it', () => {
    const a = parseSpec(minimal, 'x.yaml', supplyChain).hash;
    const b = parseSpec('# a comment\npolicy:\n  maxCredits: 5000\n  mode: prefer-buy\n  pollInterval: 30s\ntarget: {quantity: 10, good: IRON, deliver: hold}\nname: t\n', 'y.yaml', supplyChain).hash;
    expect(b).to.equal(a);
    expect(parseSpec(minimal.replace('5000', '5001'), 'x.yaml', supplyChain).hash).not.to.equal(a);
    // Stable across runs and machines (it goes into every plan as specHash): pinned.
    expect(a).to.equal('sha256:0a784190cf7b87b85d71276f3e03b341a770c5f58c230337ef644c99aac8c7ed');
  });

  it('durations', () => {
    expect(parseDuration('45m')).to.equal(2700);
    expect(parseDuration('2h')).to.equal(7200);
    expect(parseDuration('1h30m15s')).to.equal(5415);
    expect(parseDuration('90s')).to.equal(90);
    for (const bad of ['', 'm', '45', '1m2h', '45 minutes', '-1m', '1.5h']) expect(parseDuration(bad), bad).to.equal(undefined);
    expect(formatDuration(5400)).to.equal('1h30m');
    expect(formatDuration(0)).to.equal('0s');
  });

  it('the example specs in plans/ are valid', () => {
    const files = fs.readdirSync('plans').filter((f) => /\.ya?ml$/.test(f) && !f.includes('.plan.'));
    expect(files).to.include.members(['iron.yaml', 'machinery.yaml', 'advanced-circuitry.yaml', 'ship-parts.yaml']);
    for (const f of ['iron.yaml', 'machinery.yaml', 'advanced-circuitry.yaml', 'ship-parts.yaml']) {
      const { spec } = loadSpec(`plans/${f}`, supplyChain);
      expect(spec.name, f).to.be.a('string');
    }
  });

  describe('fleet', () => {
    const fleet = [
      { symbol: 'AG-1', role: 'COMMAND', frame: 'FRAME_FRIGATE', cargoCapacity: 40 },
      { symbol: 'AG-2', role: 'SATELLITE', frame: 'FRAME_PROBE', cargoCapacity: 0 },
      { symbol: 'AG-3', role: 'HAULER', frame: 'FRAME_LIGHT_FREIGHTER', cargoCapacity: 80 },
      { symbol: 'AG-4', role: 'HAULER', frame: 'FRAME_LIGHT_FREIGHTER', cargoCapacity: 80 },
    ];
    const spec = (fleetYaml: string): ProductionSpec => parseSpec(`${minimal}${fleetYaml}`, 'x.yaml', supplyChain).spec;

    it('checkFleetShips names every unknown ship, with a suggestion, and ships without a hold', () => {
      const s = spec('fleet: {ships: [AG-1, AG-33, AG-2]}\n');
      const e = caught(() => checkFleetShips(s, fleet));
      expect(e.exitCode).to.equal(ExitCode.INVALID_INPUT);
      expect(e.message).to.contain('fleet.ships[1]: AG-33 is not one of the agent\'s ships (did you mean "AG-3"?)');
      expect(e.message).to.contain('fleet.ships[2]: AG-2 has no cargo hold');
      expect(e.hint).to.contain('AG-1, AG-2, AG-3, AG-4');
      expect(() => checkFleetShips(spec('fleet: {ships: [AG-4, AG-1]}\n'), fleet)).not.to.throw();
      expect(() => checkFleetShips(spec(''), fleet)).not.to.throw();
    });

    it('selectFleet: default is every ship with a hold; role/frame/max filter; listed ships keep their order', () => {
      expect(selectFleet(spec(''), fleet).map((s) => s.symbol)).to.deep.equal(['AG-1', 'AG-3', 'AG-4']);
      expect(selectFleet(spec('fleet: {select: {role: [HAULER], max: 1}}\n'), fleet).map((s) => s.symbol)).to.deep.equal(['AG-3']);
      expect(selectFleet(spec('fleet: {select: {frame: [FRAME_FRIGATE, FRAME_PROBE]}}\n'), fleet).map((s) => s.symbol)).to.deep.equal(['AG-1']);
      expect(selectFleet(spec('fleet: {ships: [AG-4, AG-1]}\n'), fleet).map((s) => s.symbol)).to.deep.equal(['AG-4', 'AG-1']);
      const none = caught(() => selectFleet(spec('fleet: {select: {role: [SATELLITE]}}\n'), fleet));
      expect(none.exitCode).to.equal(ExitCode.INFEASIBLE);
      expect(none.message).to.contain('role SATELLITE');
    });
  });
});
