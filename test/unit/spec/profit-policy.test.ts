import { expect } from 'chai';
import YAML from 'yaml';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { specFileForm } from '../../../src/spec/file-form.js';
import { parseSpec } from '../../../src/spec/load.js';
import { loadSupplyChain } from '../../../src/supply-chain/load.js';
import { caught } from '../../helpers/user-error.js';

const supplyChain = loadSupplyChain(undefined, {});
const spec = (policy: string, deliver = '{sell: X1-T-B}') => `name: t\ntarget: {good: IRON, quantity: 10, deliver: ${deliver}}\npolicy: {maxCredits: 5000${policy}}\n`;

describe('spec: policy.minProfit, surplus, maxDrift (issue 15)', () => {
  it('normalises credits and margins, keep, and maxDrift with its defaults; specs without them hash as before', () => {
    const plain = parseSpec(spec(''), 'x.yaml', supplyChain);
    expect(plain.spec.policy).not.to.have.any.keys('minProfit', 'surplus', 'maxDrift');
    expect(parseSpec(spec(', minProfit: 5000'), 'x.yaml', supplyChain).spec.policy.minProfit).to.deep.equal({ credits: 5000 });
    expect(parseSpec(spec(', minProfit: -200'), 'x.yaml', supplyChain).spec.policy.minProfit).to.deep.equal({ credits: -200 });
    expect(parseSpec(spec(', minProfit: "12.5%"'), 'x.yaml', supplyChain).spec.policy.minProfit).to.deep.equal({ margin: 0.125 });
    expect(parseSpec(spec(', surplus: keep'), 'x.yaml', supplyChain).spec.policy.surplus).to.equal('keep');
    expect(parseSpec(spec(', surplus: sell'), 'x.yaml', supplyChain).hash).to.equal(plain.hash);
    expect(parseSpec(spec(', maxDrift: {price: 10}'), 'x.yaml', supplyChain).spec.policy.maxDrift).to.deep.equal({ price: 10, supplyBelowGate: true });
  });

  it('the normalised file form loads back to the same spec', () => {
    for (const p of [', minProfit: "12.5%", surplus: keep, maxDrift: {price: 10, supplyBelowGate: false}', ', minProfit: 700']) {
      const a = parseSpec(spec(p), 'x.yaml', supplyChain);
      const b = parseSpec(YAML.stringify(specFileForm(a.spec)), 'y.yaml', supplyChain);
      expect(b.hash).to.equal(a.hash);
    }
  });

  it('refuses minProfit for a target kept in holds, and a malformed margin, with file:line:col', () => {
    const held = caught(() => parseSpec(spec(', minProfit: 100', 'hold'), 'x.yaml', supplyChain));
    expect(held.exitCode).to.equal(ExitCode.INVALID_INPUT);
    expect(held.message).to.match(/x\.yaml:3:\d+: policy\.minProfit needs a target that earns something/);
    const bad = caught(() => parseSpec(spec(', minProfit: "ten%"'), 'x.yaml', supplyChain));
    expect(bad.message).to.match(/x\.yaml:3:\d+: .*minProfit/);
  });
});
