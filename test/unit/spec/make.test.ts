import { expect } from 'chai';
import { UserError } from '../../../src/cli/errors.js';
import type { Issue } from '../../../src/spec/located-yaml.js';
import { parseSpec } from '../../../src/spec/load.js';
import { loadSupplyChain } from '../../../src/supply-chain/load.js';

const supplyChain = loadSupplyChain(undefined, {});
const base = ['name: t', 'target:', '  good: ADVANCED_CIRCUITRY', '  quantity: 10', 'policy:', '  maxCredits: 5000', ''].join('\n');

function problems(text: string): string[] {
  try {
    parseSpec(text, 'plans/x.yaml', supplyChain);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return (e.details as { issues: Issue[] }).issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
  }
  throw new Error('expected the spec to be refused');
}

describe('spec: policy.make', () => {
  it('normalises to a sorted list without duplicates in the policy; absent when not given (hash unchanged)', () => {
    const { spec, hash } = parseSpec(`${base}  make: [MICROPROCESSORS, ADVANCED_CIRCUITRY]\n`, 'x.yaml', supplyChain);
    expect(spec.policy.make).to.deep.equal(['ADVANCED_CIRCUITRY', 'MICROPROCESSORS']);
    const swapped = parseSpec(`${base}  make:\n    - ADVANCED_CIRCUITRY\n    - MICROPROCESSORS\n`, 'x.yaml', supplyChain);
    expect(swapped.hash).to.equal(hash);
    const without = parseSpec(base, 'x.yaml', supplyChain);
    expect(without.spec.policy).not.to.have.property('make');
    expect(without.hash).not.to.equal(hash);
  });

  it('an unknown good is reported at its line and column with a suggestion', () => {
    expect(problems(`${base}  make: [ELECTRONICS, MICROPROCESORS]\n`)).to.deep.equal([
      '7:23: policy.make[1] names an unknown good "MICROPROCESORS" (did you mean "MICROPROCESSORS"?); goods are the trade symbols of the supply chain and the API',
    ]);
  });

  it('schema errors: lower case, empty list, a good twice, not a list', () => {
    expect(problems(`${base}  make: [electronics]\n`)).to.deep.equal(['7:10: policy.make[0] must be a trade symbol in capitals, like ELECTRONICS (got "electronics")']);
    expect(problems(`${base}  make: []\n`)).to.deep.equal(['7:9: policy.make must not be empty']);
    expect(problems(`${base}  make: [COPPER, COPPER]\n`)[0]).to.match(/^7:\d+: policy\.make lists "COPPER" twice: remove one$/);
    expect(problems(`${base}  make: COPPER\n`)[0]).to.match(/^7:9: policy\.make must be a list/);
  });
});
