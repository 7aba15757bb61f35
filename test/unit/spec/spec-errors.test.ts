import { expect } from 'chai';
import { UserError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import type { Issue } from '../../../src/spec/located-yaml.js';
import { parseSpec } from '../../../src/spec/load.js';
import { loadSupplyChain } from '../../../src/supply-chain/load.js';

const supplyChain = loadSupplyChain(undefined, {});

/** The problems reported for `text`, as `line:col: message`. */
function problems(text: string): string[] {
  try {
    parseSpec(text, 'plans/x.yaml', supplyChain);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    expect(e.exitCode).to.equal(ExitCode.INVALID_INPUT);
    expect(e.code).to.equal('INVALID_INPUT');
    const issues = (e.details as { issues: Issue[] }).issues;
    for (const i of issues) expect(e.message).to.contain(`plans/x.yaml:${i.line}:${i.col}: ${i.message}`);
    return issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
  }
  throw new Error('expected the spec to be refused');
}

const valid = ['name: t', 'target:', '  good: IRON', '  quantity: 10', 'policy:', '  maxCredits: 5000', ''].join('\n');

describe('spec: errors say where (file:line:column) and what to do', () => {
  it('a valid spec passes', () => {
    expect(parseSpec(valid, 'plans/x.yaml', supplyChain).spec.target).to.include({ good: 'IRON' });
  });

  it('bad enum value, with the allowed values and a suggestion', () => {
    const text = `${valid}  mode: cheap\n`;
    expect(problems(text)).to.deep.equal(['7:9: policy.mode must be one of prefer-buy, cheapest (got "cheap") (did you mean "cheapest"?)']);
  });

  it('wrong type', () => {
    const text = valid.replace('quantity: 10', 'quantity: ten');
    expect(problems(text)).to.deep.equal(['4:13: target.quantity must be a whole number (got "ten")']);
    expect(problems(valid.replace('quantity: 10', 'quantity: 2.5'))).to.deep.equal(['4:13: target.quantity must be a whole number (got 2.5)']);
    expect(problems(valid.replace('policy:\n  maxCredits: 5000', 'policy: [5000]'))).to.deep.equal(['5:9: policy must be a mapping (key: value lines) (got a list)']);
  });

  it('unknown key: at the key, with a suggestion and the allowed keys', () => {
    const text = valid.replace('  quantity: 10', '  quantity: 10\n  delivr: hold');
    const [p] = problems(text);
    expect(p).to.match(/^5:3: target\.delivr is not a known field \(did you mean "deliver"\?\); target takes good, quantity, deliver, construction$/);
  });

  it('missing required field: at the parent key, with an example', () => {
    const text = valid.replace('  maxCredits: 5000', '  reserveCredits: 0');
    expect(problems(text)).to.deep.equal(['5:1: policy.maxCredits is required but missing: add it under policy, e.g. `maxCredits: 200000`']);
    expect(problems('name: t\npolicy: {maxCredits: 1}\n')).to.deep.equal(['1:1: target is required but missing: add it, e.g. `target: {"good":"IRON","quantity":100}`']);
  });

  it('bad duration', () => {
    const text = `${valid}  productionTimeout: 45 minutes\n  pollInterval: 1h30\n`;
    expect(problems(text)).to.deep.equal([
      '7:22: policy.productionTimeout must be a duration like 90s, 45m, 2h or 1h30m (got "45 minutes")',
      '8:17: policy.pollInterval must be a duration like 30s, 2m or 1m30s (got "1h30")',
    ]);
    expect(problems(`${valid}  productionTimeout: 1m\n  pollInterval: 2m\n`)).to.deep.equal([
      '8:17: policy.pollInterval (2m) must not be longer than policy.productionTimeout (60s): the wait would end before the first look',
    ]);
  });

  it('YAML syntax error', () => {
    const [p] = problems('name: t\ntarget:\n  good: [IRON\n  quantity: 3\n');
    expect(p).to.match(/^\d+:\d+: YAML syntax error: /);
    const dup = problems('name: t\nname: u\n');
    expect(dup[0]).to.match(/^2:1: YAML syntax error: Map keys must be unique/);
  });

  it('an empty file', () => {
    expect(problems('')).to.deep.equal(['1:1: the spec is empty: it needs at least name, target and policy']);
    expect(problems('# only a comment\n')).to.have.length(1);
  });

  it('unknown good, with a "did you mean" from the supply chain', () => {
    expect(problems(valid.replace('good: IRON', 'good: ADVANCED_CIRCUTRY'))).to.deep.equal([
      '3:9: target.good names an unknown good "ADVANCED_CIRCUTRY" (did you mean "ADVANCED_CIRCUITRY"?); goods are the trade symbols of the supply chain and the API',
    ]);
    expect(problems(`${valid}  maxUnitPrice: {IRN: 100}\n`)).to.deep.equal([
      '7:18: policy.maxUnitPrice.IRN names an unknown good "IRN" (did you mean "IRON"?); goods are the trade symbols of the supply chain and the API',
    ]);
    // No suggestion when nothing is close.
    expect(problems(valid.replace('good: IRON', 'good: ZZZZZZZZZZ'))[0]).not.to.contain('did you mean');
    // Lower case is a schema error with the expected form.
    expect(problems(valid.replace('good: IRON', 'good: iron'))[0]).to.equal('3:9: target.good must be a trade symbol in capitals, like IRON_ORE (got "iron")');
  });

  it('a good of the API that the supply chain does not list (a FRAME_*) is accepted', () => {
    expect(parseSpec(valid.replace('good: IRON', 'good: FRAME_PROBE'), 'x.yaml', supplyChain).spec.target).to.include({ good: 'FRAME_PROBE' });
  });

  it('ship roles, frames, flight modes, deliver and fleet shape', () => {
    const text = [
      'name: t',
      'target:',
      '  good: IRON',
      '  quantity: 10',
      '  deliver: {sel: X1-AD75-A1}',
      'fleet:',
      '  select: {role: [HALER], frame: [FRAME_LIGHT_FREIGHTR]}',
      'policy:',
      '  maxCredits: 5000',
      '  flightMode: FAST',
      '',
    ].join('\n');
    const found = problems(text);
    expect(found).to.have.length(4);
    expect(found[0]).to.equal('5:12: target.deliver must be `hold`, `{sell: WAYPOINT}` (a waypoint symbol like X1-AD75-H51, or best-bid), `{contract: CONTRACT_ID}` or `{construction: home-gate | WAYPOINT}` (got a mapping)');
    expect(found[1]).to.equal(
      '7:19: fleet.select.role[0] must be a ship role: one of FABRICATOR, HARVESTER, HAULER, INTERCEPTOR, EXCAVATOR, TRANSPORT, REPAIR, SURVEYOR, COMMAND, CARRIER, PATROL, SATELLITE, EXPLORER, REFINERY (got "HALER") (did you mean "HAULER"?)',
    );
    expect(found[3]).to.equal('10:15: policy.flightMode must be a flight mode: one of DRIFT, STEALTH, CRUISE, BURN (got "FAST")');
    expect(found[2]).to.match(/^7:35: fleet\.select\.frame\[0\] must be a ship frame: one of FRAME_PROBE, .* \(got "FRAME_LIGHT_FREIGHTR"\) \(did you mean "FRAME_LIGHT_FREIGHTER"\?\)$/);
    expect(problems(valid.replace('policy:', 'fleet:\n  ships: [A-1]\n  select: {max: 2}\npolicy:'))).to.deep.equal(['6:3: fleet takes either `ships` or `select`, not both']);
    const remoteSale = valid.replace('policy:', 'system: X1-AD75\npolicy:').replace('quantity: 10', 'quantity: 10\n  deliver: {sell: X1-ZZ9-A1}');
    // Another system's market is a valid sale (the planner checks the gates reach it), unless the scope keeps the plan home.
    expect((parseSpec(remoteSale, 'plans/x.yaml', supplyChain).spec.target as { deliver: unknown }).deliver).to.deep.equal({ kind: 'sell', waypoint: 'X1-ZZ9-A1' });
    expect(problems(remoteSale.replace('policy:', 'policy:\n  scope: {maxJumps: 0}'))).to.deep.equal([
      "5:19: target.deliver.sell is waypoint X1-ZZ9-A1, which is not in the spec's system X1-AD75 and policy.scope.maxJumps is 0; sell at a waypoint of X1-AD75, or allow jumps",
    ]);
  });

  it('lists: empty, repeated entry (at the repeat), bad item', () => {
    expect(problems(valid.replace('policy:', 'fleet: {ships: []}\npolicy:'))).to.deep.equal(['5:16: fleet.ships must not be empty']);
    expect(problems(valid.replace('policy:', 'fleet:\n  ships:\n    - A-1\n    - a-2\n    - A-1\npolicy:'))).to.deep.equal([
      '8:7: fleet.ships[1] must be a ship symbol in capitals, like MYAGENT-1 (got "a-2")',
      '9:7: fleet.ships lists "A-1" twice: remove one',
    ]);
  });

  it('reports every problem at once, sorted by position', () => {
    const text = ['name: bad name!', 'target:', '  good: IRONN', '  quantity: 0', 'policy:', '  mode: cheap', '  maxCredits: -1', '  colour: red', ''].join('\n');
    const all = problems(text);
    expect(all.map((p) => p.split(':').slice(0, 2).join(':'))).to.deep.equal(['1:7', '3:9', '4:13', '6:9', '7:15', '8:3']);
  });
});
