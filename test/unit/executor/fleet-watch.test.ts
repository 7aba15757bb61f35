import { expect } from 'chai';
import type { RunContext } from '../../../src/executor/context.js';
import { FLEET_RECHECK_MS, FleetWatch } from '../../../src/executor/fleet-watch.js';
import type { Ship } from '../../../src/executor/ports.js';

const shipOf = (symbol: string, role = 'HAULER', capacity = 40, system = 'X1-T'): Ship =>
  ({ symbol, registration: { role }, frame: { symbol: 'FRAME_LIGHT_FREIGHTER' }, cargo: { capacity, units: 0, inventory: [] }, nav: { systemSymbol: system, waypointSymbol: `${system}-A` } }) as unknown as Ship;

function fakeCtx(lists: Ship[][]) {
  const steps: Array<{ kind: string; fleet?: { matched: string[]; joined: string[] } }> = [];
  const known: string[] = [];
  let calls = 0;
  const ctx = {
    plan: { spec: { system: 'X1-T' } },
    client: { listShips: async () => lists[Math.min(calls++, lists.length - 1)]! },
    step: async (_ship: string, kind: string, extra: { fleet?: { matched: string[]; joined: string[] } }) => void steps.push({ kind, ...extra }),
    events: { emit: () => undefined },
    knowShip: (s: Ship) => void known.push(s.symbol),
  } as unknown as RunContext;
  return { ctx, steps, known, calls: () => calls };
}

describe('executor: FleetWatch (fleet.select re-evaluated while a run goes on)', () => {
  it('takes in matching ships not in the run, in symbol order, up to max; journals each evaluation', async () => {
    const f = fakeCtx([[shipOf('A-1'), shipOf('A-4'), shipOf('A-3'), shipOf('A-5', 'COMMAND'), shipOf('A-6', 'HAULER', 0), shipOf('A-7', 'HAULER', 40, 'X1-OTHER')]]);
    let now = 0;
    const w = new FleetWatch(f.ctx, { kind: 'select', roles: ['HAULER'], max: 3 }, new Set(['A-1']), () => now);
    expect(w.due()).to.equal(true);
    const fresh = await w.recheck();
    expect(fresh.map((s) => s.symbol)).to.deep.equal(['A-3', 'A-4']);
    expect(f.known).to.deep.equal(['A-3', 'A-4']);
    expect(f.steps).to.deep.equal([{ kind: 'fleet.select', fleet: { matched: ['A-1', 'A-3', 'A-4'], joined: ['A-3', 'A-4'] } }]);
    // Not again before the interval; then nothing new (max reached).
    now = FLEET_RECHECK_MS - 1;
    expect(w.due()).to.equal(false);
    now = FLEET_RECHECK_MS;
    expect(w.due()).to.equal(true);
    expect(await w.recheck()).to.deep.equal([]);
  });

  it('a list just read is used without a call; a ship added later joins at the next evaluation', async () => {
    const f = fakeCtx([[shipOf('A-1'), shipOf('A-2')]]);
    const w = new FleetWatch(f.ctx, { kind: 'select' }, new Set(['A-1']), () => 0);
    expect((await w.recheck([shipOf('A-1')])).length).to.equal(0);
    expect(f.calls()).to.equal(0);
    expect((await w.recheck()).map((s) => s.symbol)).to.deep.equal(['A-2']);
    expect(f.calls()).to.equal(1);
    expect(w.joined).to.deep.equal(['A-2']);
  });
});
