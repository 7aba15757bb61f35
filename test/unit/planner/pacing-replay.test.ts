import { expect } from 'chai';
import { replay, pushStep, type ReplayTask, type Step } from '../../../src/planner/pacing-replay.js';

const lane = (id: string, ship: string, steps: Step[], dependsOn: string[] = []): ReplayTask => ({ id, ship, steps, dependsOn });
const off = { timeScale: 100, rateLimited: false, latencySeconds: 0.02 };
const on = (burstAtStart = 0) => ({ timeScale: 100, rateLimited: true, latencySeconds: 0.02, burstAtStart });

describe('planner: the schedule replayed against the rate limit (pacing-replay)', () => {
  it('without a limit a request costs its latency in game time, and ships work side by side', () => {
    const r = replay([lane('a', 'S-1', [{ requests: 10 }, { seconds: 300 }]), lane('b', 'S-2', [{ requests: 10 }, { seconds: 300 }])], off);
    expect(r.makespan).to.equal(300 + 10 * 2);
    expect(r.finish.get('a')).to.equal(r.finish.get('b'));
  });

  it('under the limit, with no burst left, requests go two per static window (1.025 s of wall time, 102.5 game s at 100x)', () => {
    const r = replay([lane('a', 'S-1', [{ requests: 10 }])], on(0));
    // Windows open at 0, 102.5, 205, 307.5, 410: the tenth request is sent in the fifth, 2 s after the ninth.
    expect(r.makespan).to.equal(Math.round(4 * 102.5 + 2 * 2));
  });

  it('the burst pool serves what the static pool cannot, until it is spent', () => {
    const full = replay([lane('a', 'S-1', [{ requests: 30 }])], on(28));
    const none = replay([lane('a', 'S-1', [{ requests: 30 }])], on(0));
    expect(full.makespan).to.be.below(200);
    expect(none.makespan).to.be.above(1400);
  });

  it('ships share one limit: two ships of 10 requests take as long as one ship of 20', () => {
    const two = replay([lane('a', 'S-1', [{ requests: 10 }]), lane('b', 'S-2', [{ requests: 10 }])], on(0));
    const one = replay([lane('a', 'S-1', [{ requests: 20 }])], on(0));
    expect(Math.abs(two.makespan - one.makespan)).to.be.at.most(3);
  });

  it('a task starts when the tasks it depends on end, and a ship does its tasks in order', () => {
    const r = replay(
      [lane('feed', 'S-1', [{ seconds: 500 }]), lane('other', 'S-2', [{ seconds: 100 }]), lane('collect', 'S-2', [{ seconds: 50 }], ['feed'])],
      off,
    );
    expect(r.finish.get('other')).to.equal(100);
    expect(r.finish.get('collect')).to.equal(550);
    expect(r.makespan).to.equal(550);
  });

  it('dependencies outside the replayed tasks are ignored; a task that waits on itself forever is an error', () => {
    expect(replay([lane('a', 'S-1', [{ seconds: 5 }], ['gone'])], off).makespan).to.equal(5);
    expect(() => replay([lane('a', 'S-1', [{ seconds: 5 }], ['b']), lane('b', 'S-2', [{ seconds: 5 }], ['a'])], off)).to.throw(/never end/);
  });

  it('steps merge with the last of their kind; empty ones are dropped', () => {
    const steps: Step[] = [];
    for (const s of [{ requests: 2 }, { requests: 1 }, { seconds: 0 }, { seconds: 40 }, { seconds: 2 }, { requests: 0 }, { requests: 4 }]) pushStep(steps, s);
    expect(steps).to.deep.equal([{ requests: 3 }, { seconds: 42 }, { requests: 4 }]);
  });
});
