import { expect } from 'chai';
import type { components } from '../../../src/api/generated/spacetraders.js';
import { listContracts, renderContracts } from '../../../src/contracts/contracts.js';

type Contract = components['schemas']['Contract'];

function contract(id: string, over: Partial<Contract> & { deadline?: string; deliver?: Contract['terms']['deliver'] } = {}): Contract {
  const { deadline, deliver, ...rest } = over;
  return {
    id,
    factionSymbol: 'COSMIC',
    type: 'PROCUREMENT',
    accepted: false,
    fulfilled: false,
    expiration: '2026-01-02T00:00:00.000Z',
    deadlineToAccept: '2026-01-02T00:00:00.000Z',
    terms: {
      deadline: deadline ?? '2026-01-09T00:00:00.000Z',
      payment: { onAccepted: 1000, onFulfilled: 9000 },
      deliver: deliver ?? [{ tradeSymbol: 'IRON_ORE', destinationSymbol: 'X1-AD75-H53', unitsRequired: 50, unitsFulfilled: 12 }],
    },
    ...rest,
  };
}

describe('contracts: listing the agent contracts', () => {
  it('maps the API contract to id, faction, state, deadline and deliveries with the units still to deliver', async () => {
    const res = await listContracts({ listContracts: async () => [contract('c1')] });
    expect(res.contracts).to.deep.equal([
      {
        id: 'c1',
        type: 'PROCUREMENT',
        faction: 'COSMIC',
        accepted: false,
        fulfilled: false,
        deadline: '2026-01-09T00:00:00.000Z',
        deadlineToAccept: '2026-01-02T00:00:00.000Z',
        payment: { onAccepted: 1000, onFulfilled: 9000 },
        deliveries: [{ good: 'IRON_ORE', destination: 'X1-AD75-H53', unitsRequired: 50, unitsFulfilled: 12, unitsRemaining: 38 }],
      },
    ]);
  });

  it('lists open contracts first, then by deadline; an accepted one has no deadline to accept', async () => {
    const res = await listContracts({
      listContracts: async () => [
        contract('done', { fulfilled: true, accepted: true, deadline: '2026-01-01T00:00:00.000Z' }),
        contract('late', { deadline: '2026-03-01T00:00:00.000Z' }),
        contract('soon', { accepted: true, deadline: '2026-02-01T00:00:00.000Z', deliver: [] }),
      ],
    });
    expect(res.contracts.map((c) => c.id)).to.deep.equal(['soon', 'late', 'done']);
    expect(res.contracts[0]!.deadlineToAccept).to.equal(null);
    expect(res.contracts[0]!.deliveries).to.deep.equal([]);
  });

  it('renders each contract and a spec snippet for the first open delivery', async () => {
    const text = renderContracts(await listContracts({ listContracts: async () => [contract('c1')] }));
    expect(text).to.contain('c1  PROCUREMENT for COSMIC, not accepted');
    expect(text).to.match(/deliver\s+38 IRON_ORE\s+to X1-AD75-H53 {2}\(12\/50 delivered\)/);
    expect(text).to.contain('target: { good: IRON_ORE, quantity: 38, deliver: { contract: c1 } }');
    expect(renderContracts({ contracts: [] })).to.match(/^No contracts/);
  });
});
