import { expect } from 'chai';
import { GateGraph, jumpCooldownSeconds, type GateNode } from '../../../src/routing/graph.js';

const at = '2026-12-01T00:00:00.000Z';
function gate(system: string, x: number, y: number, connections: string[] | undefined, built = true): GateNode {
  return { system, gate: `${system}-G`, x, y, position: { x: 0, y: 0 }, built, charted: connections !== undefined, ...(connections ? { connections: connections.map((s) => `${s}-G`) } : {}), readAt: at };
}

describe('routing: the gate graph', () => {
  // H — A — C, H — B — C, B unbuilt; D behind A is uncharted (its connections unknown).
  const nodes = [
    gate('X1-H', 0, 0, ['X1-A', 'X1-B']),
    gate('X1-A', 1000, 0, ['X1-H', 'X1-C', 'X1-D']),
    gate('X1-B', 500, 500, ['X1-H', 'X1-C'], false),
    gate('X1-C', 1500, 500, ['X1-A', 'X1-B']),
    gate('X1-D', 1000, 1000, undefined),
  ];

  it('cooldown is round(15 + 0.3·d) between the two systems (BEYOND.md a.1)', () => {
    expect(jumpCooldownSeconds({ x: 0, y: 0 }, { x: 0, y: 0 })).to.equal(15);
    expect(jumpCooldownSeconds({ x: 0, y: 0 }, { x: 2000, y: 0 })).to.equal(615);
  });

  it('routes over built gates only, gate to gate, with each jump\'s cooldown', () => {
    const g = new GateGraph('X1-H', nodes);
    expect(g.route('X1-H', 'X1-C')).to.deep.equal([
      { from: 'X1-H-G', to: 'X1-A-G', cooldownSeconds: 315 },
      { from: 'X1-A-G', to: 'X1-C-G', cooldownSeconds: jumpCooldownSeconds(nodes[1]!, nodes[3]!) },
    ]);
    expect(g.route('X1-H', 'X1-H')).to.deep.equal([]);
    expect(g.route('X1-H', 'X1-B')).to.equal(undefined);
    expect(g.whyUnreachable('X1-H', 'X1-B')).to.match(/X1-B-G is under construction/);
  });

  it('an uncharted gate is reached through the gates that list it, but nothing past it is known', () => {
    const g = new GateGraph('X1-H', nodes);
    expect(g.route('X1-H', 'X1-D')?.map((h) => h.to)).to.deep.equal(['X1-A-G', 'X1-D-G']);
    expect(g.neighbours('X1-D')).to.deep.equal(['X1-A']);
  });

  it('prefers fewer jumps, then the shorter cooldowns; once B is built H → B → C is as short as H → A → C', () => {
    const built = nodes.map((n) => (n.system === 'X1-B' ? { ...n, built: true } : n));
    const g = new GateGraph('X1-H', built);
    // H→A→C: 315 + 522; H→B→C: 227 + 315: B's way cools down less.
    expect(g.route('X1-H', 'X1-C')!.map((h) => h.to)).to.deep.equal(['X1-B-G', 'X1-C-G']);
  });

  it('a gate\'s connections as the game states them (4255 data.connections) replace the edges known for it', () => {
    const g = new GateGraph('X1-H', nodes);
    g.update('X1-A', { connections: ['X1-H-G'] });
    expect(g.route('X1-H', 'X1-C')).to.equal(undefined);
    expect(g.whyUnreachable('X1-H', 'X1-C')).to.match(/unbuilt gate \(X1-B-G\)/);
  });

  it('an unbuilt home gate lets nothing out, and says so', () => {
    const g = new GateGraph('X1-H', nodes.map((n) => (n.system === 'X1-H' ? { ...n, built: false, construction: 'FAB_MATS 0/1600' } : n)));
    expect(g.route('X1-H', 'X1-A')).to.equal(undefined);
    expect(g.whyUnreachable('X1-H', 'X1-A')).to.match(/X1-H-G of X1-H is under construction \(FAB_MATS 0\/1600\), so no ship can jump out/);
  });
});
