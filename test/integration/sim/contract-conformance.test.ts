import { expect } from 'chai';
import { ManualClock } from '../../../src/sim/engine/index.js';
import { apiCall, useSim } from '../../helpers/sim.js';
import { checked, type CheckedApi } from './spec-check.js';

/**
 * The contract lifecycle over HTTP (issue 11): every answer of deliver and fulfil, the successes
 * and the refusals (4505 not accepted, 4510 not at the destination, 4508 a good the contract does
 * not take, 4509 more than it still needs, 4502 fulfil before the terms are met, 4504 fulfilled
 * already), validated against the official spec's schemas by `checked`. A ship of the admin
 * endpoint at the destination carries the goods (the cargo is set on the engine: a scenario).
 */
describe('sim: conformance of the contract lifecycle (deliver and fulfil, their refusals)', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const sim = useSim({ clock, timeScale: 1000, seed: 13, config: { startingCredits: 5_000_000 } });
  let api: CheckedApi;
  const seen = new Set<string>();

  before(() => {
    api = checked(sim(), seen);
  });

  it('deliver: 4505, then 4510, 4508, 4509 and 200; fulfil: 4502, then 200 paying onFulfilled, then 4504', async () => {
    const contract = (await api('GET', '/my/contracts')).body.data[0];
    const term = contract.terms.deliver[0];
    const id = contract.id as string;
    const [frigate] = sim().registered.data.ships as any[];
    await api('POST', `/my/ships/${frigate.symbol}/dock`);
    const deliver = (shipSymbol: string, tradeSymbol: string, units: number) => api('POST', `/my/contracts/${id}/deliver`, { shipSymbol, tradeSymbol, units });
    expect((await deliver(frigate.symbol, term.tradeSymbol, 1)).body.error.code).to.equal(4505);
    expect((await api('POST', `/my/contracts/${id}/fulfill`)).body.error.code).to.equal(4505);
    expect((await api('POST', `/my/contracts/${id}/accept`)).status).to.equal(200);

    // The frigate at HQ is not at the destination (the starter contract delivers elsewhere).
    expect(frigate.nav.waypointSymbol).to.not.equal(term.destinationSymbol);
    const away = await deliver(frigate.symbol, term.tradeSymbol, 1);
    expect(away.status).to.equal(400);
    expect(away.body.error.code).to.equal(4510);

    const added = await apiCall(sim().sim.adminUrl, 'POST', `/agents/${sim().agentSymbol}/ships`, { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: term.destinationSymbol }, null);
    const [hauler] = added.body.data.ships as string[];
    const need = term.unitsRequired as number;
    // One unit more than the contract needs (terms are 10-60 units; a light hauler holds 80).
    expect(need).to.be.at.most(79);
    sim().universe.state.ships[hauler!]!.cargo = { [term.tradeSymbol]: need + 1, FUEL: 1 };
    await api('POST', `/my/ships/${hauler}/dock`);
    expect((await deliver(hauler!, 'FUEL', 1)).body.error.code).to.equal(4508);
    expect((await deliver(hauler!, term.tradeSymbol, need + 1)).body.error.code).to.equal(4509);

    const part = await deliver(hauler!, term.tradeSymbol, 1);
    expect(part.status).to.equal(200);
    expect(part.body.data.contract.terms.deliver[0].unitsFulfilled).to.equal(1);
    expect(part.body.data.cargo).to.be.an('object');
    expect((await api('POST', `/my/contracts/${id}/fulfill`)).body.error.code).to.equal(4502);
    // The rest, a hold at a time (a light hauler carries 80).
    for (let done = 1; done < need; ) {
      const n = Math.min(need - done, 80);
      sim().universe.state.ships[hauler!]!.cargo = { [term.tradeSymbol]: n };
      const r = await deliver(hauler!, term.tradeSymbol, n);
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      done += n;
      expect(r.body.data.contract.terms.deliver[0].unitsFulfilled).to.equal(done);
    }

    const credits = (await api('GET', '/my/agent')).body.data.credits as number;
    const fulfilled = await api('POST', `/my/contracts/${id}/fulfill`);
    expect(fulfilled.status).to.equal(200);
    expect(fulfilled.body.data.contract.fulfilled).to.equal(true);
    expect(fulfilled.body.data.agent.credits).to.equal(credits + contract.terms.payment.onFulfilled);
    expect((await api('POST', `/my/contracts/${id}/fulfill`)).body.error.code).to.equal(4504);
    expect([...seen]).to.include.members(['deliver-contract 200', 'deliver-contract 400', 'fulfill-contract 200', 'fulfill-contract 400']);
  });
});
