import { expect } from 'chai';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { specFileForm } from '../../../src/spec/file-form.js';
import { parseSpec } from '../../../src/spec/load.js';
import { loadSupplyChain } from '../../../src/supply-chain/load.js';
import YAML from 'yaml';
import { caught } from '../../helpers/user-error.js';

const supplyChain = loadSupplyChain(undefined, {});
const parse = (target: string) => parseSpec(`name: gate\ntarget: ${target}\npolicy: {maxCredits: 5000000}\n`, 'gate.yaml', supplyChain);

describe('spec: construction targets (issue 13)', () => {
  it('takes deliver: {construction: home-gate | WAYPOINT} with a good and a quantity', () => {
    expect(parse('{good: FAB_MATS, quantity: 100, deliver: {construction: home-gate}}').spec.target).to.deep.equal({ good: 'FAB_MATS', quantity: 100, deliver: { kind: 'construction', site: 'home-gate' } });
    expect(parse('{good: FAB_MATS, quantity: 100, deliver: {construction: X1-AD75-I55}}').spec.target).to.deep.equal({ good: 'FAB_MATS', quantity: 100, deliver: { kind: 'construction', site: 'X1-AD75-I55' } });
  });

  it('takes target: {construction: SITE} alone: the whole remaining bill', () => {
    expect(parse('{construction: home-gate}').spec.target).to.deep.equal({ construction: 'home-gate' });
  });

  it('writes both forms back in the file vocabulary, loading to the same hash', () => {
    for (const t of ['{construction: home-gate}', '{good: FAB_MATS, quantity: 100, deliver: {construction: X1-AD75-I55}}']) {
      const loaded = parse(t);
      const again = parseSpec(YAML.stringify(specFileForm(loaded.spec)), 'again.yaml', supplyChain);
      expect(again.hash).to.equal(loaded.hash);
    }
  });

  it('refuses a bill target mixed with good, quantity or deliver, naming the fix', () => {
    const e = caught(() => parse('{construction: home-gate, good: FAB_MATS, quantity: 5}'));
    expect(e.exitCode).to.equal(ExitCode.INVALID_INPUT);
    expect(e.message).to.match(/gate\.yaml:2:\d+: target\.good cannot go with target\.construction/);
    expect(e.message).to.match(/target\.quantity cannot go with target\.construction/);
    expect(e.message).to.include('deliver: {construction: home-gate} instead');
  });

  it('refuses a good target without good or quantity, offering the bill form', () => {
    const e = caught(() => parse('{quantity: 5}'));
    expect(e.message).to.match(/target\.good is required but missing.*target: \{construction: home-gate\} alone/);
  });

  it('refuses a site that is neither home-gate nor a waypoint symbol', () => {
    const e = caught(() => parse('{construction: the-gate}'));
    expect(e.message).to.include('must be home-gate or a waypoint symbol like X1-AD75-I55');
    const d = caught(() => parse('{good: FAB_MATS, quantity: 5, deliver: {construction: gate}}'));
    expect(d.message).to.include('{construction: home-gate | WAYPOINT}');
  });
});
