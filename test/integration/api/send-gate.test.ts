import { expect } from 'chai';
import { SpaceTradersClient } from '../../../src/api/client.js';
import { RateLimiter } from '../../../src/api/limiter.js';
import { withSendGate } from '../../../src/api/send-gate.js';
import { Secret } from '../../../src/config/redact.js';
import { type TestServer, json, startServer } from './support.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.gate-test-token.SIGNATURE';

describe('api/send-gate: the last check before a call that changes the game', () => {
  let srv: TestServer;
  afterEach(async () => srv?.close());

  it('is passed after the rate limiter wait, by mutating calls only', async () => {
    srv = await startServer((req, res) => json(res, 200, { data: { nav: {}, symbol: 'A' } }));
    const limiter = new RateLimiter();
    const api = new SpaceTradersClient({ baseUrl: srv.baseUrl, token: new Secret(TOKEN), limiter });
    const checks: number[] = [];
    limiter.pauseFor(300); // the call waits in the limiter, as a purchase behind others does
    const started = Date.now();
    await withSendGate(
      async () => {
        checks.push(Date.now() - started);
      },
      async () => {
        await api.orbit('S-1');
        await api.getAgent();
      },
    );
    expect(checks).to.have.length(1);
    expect(checks[0]).to.be.at.least(250);
    expect(srv.seen.map((s) => s.method)).to.deep.equal(['POST', 'GET']);
  });

  it('a gate that refuses stops the request before anything is sent, and its error reaches the caller', async () => {
    srv = await startServer((req, res) => json(res, 200, { data: {} }));
    const api = new SpaceTradersClient({ baseUrl: srv.baseUrl, token: new Secret(TOKEN), limiter: false });
    let refused = false;
    const gate = () => Promise.reject(new Error('lock lost'));
    try {
      await withSendGate(gate, () => api.purchaseCargo('S-1', 'IRON', 10));
    } catch (e) {
      refused = (e as Error).message === 'lock lost';
    }
    expect(refused).to.equal(true);
    expect(srv.seen).to.have.length(0);
    // Outside the gate's context, calls go through.
    await api.orbit('S-1');
    expect(srv.seen).to.have.length(1);
  });
});
