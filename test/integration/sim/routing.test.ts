import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { expect } from 'chai';
import type { EngineRequest } from '../../../src/sim/engine/index.js';
import { createSimServer } from '../../../src/sim/http/server.js';
import { spec } from './spec-check.js';

/**
 * The HTTP layer alone, over real HTTP, with an engine that echoes what it receives: every path
 * template + method of the official spec reaches the engine as its operationId with the right
 * path parameters, query and body; the token is passed through; nothing else reaches it.
 */
describe('sim: routing built from the spec', () => {
  let server: http.Server;
  let base: string;
  const received: EngineRequest[] = [];

  before(async () => {
    const engine = {
      handle: (req: EngineRequest) => {
        received.push(req);
        return { status: 200, body: { data: { echo: req } } };
      },
      agentForToken: () => undefined,
    };
    server = createSimServer({ engine, rateLimit: false, log: () => {} }).server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('routes all 59 operations of the spec to their operationId with their path parameters', async () => {
    expect(spec.operations).to.have.length(59);
    for (const op of spec.operations) {
      const params: Record<string, string> = {};
      const path = op.template.replace(/\{(\w+)\}/g, (_, name: string) => {
        params[name] = `${name.toUpperCase()}-1`;
        return params[name]!;
      });
      const res = await fetch(`${base}${path}`, {
        method: op.method,
        headers: { authorization: 'Bearer tok-123', 'content-type': 'application/json' },
        body: op.hasRequestBody ? '{}' : undefined,
      });
      const body = (await res.json()) as any;
      // Bodies that fail the spec's request schema never reach the engine (422); the rest must.
      if (res.status === 422) {
        expect(op.hasRequestBody, `${op.operationId}: 422 only for a body`).to.equal(true);
        continue;
      }
      expect(res.status, `${op.method} ${path}`).to.equal(200);
      expect(body.data.echo.operationId).to.equal(op.operationId);
      expect(body.data.echo.params).to.deep.equal(params);
      expect(body.data.echo.token).to.equal('tok-123');
    }
  });

  it('passes a valid body, the query (repeated keys joined by commas) and decoded path parameters', async () => {
    const res = await fetch(`${base}/my/ships/A%20B-1/purchase?x=1&x=2&y=3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'IRON', units: 3 }),
    });
    const echo = ((await res.json()) as any).data.echo;
    expect(echo).to.deep.include({ operationId: 'purchase-cargo', params: { shipSymbol: 'A B-1' }, query: { x: '1,2', y: '3' }, body: { symbol: 'IRON', units: 3 } });
    expect(echo.token).to.equal(undefined);
  });

  it('prefers literal segments: /my/ships/{s}/extract/survey is not /my/ships/{s}/extract', async () => {
    await fetch(`${base}/my/ships/S-1/extract/survey`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const r = await fetch(`${base}/my/ships/S-1/extract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(((await r.json()) as any).data.echo.operationId).to.equal('extract-resources');
  });

  it('keeps 404, 405, 413 and 422 away from the engine, in the API error shape', async () => {
    const before = received.length;
    const cases: Array<[string, RequestInit, number]> = [
      ['/my/shipz', {}, 404],
      ['/my/ships/S-1/nav/extra', {}, 404],
      ['/my/agent', { method: 'DELETE' }, 405],
      ['/my/ships/S-1/navigate', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }, 422],
      ['/my/ships/S-1/navigate', { method: 'POST', body: 'nope', headers: { 'content-type': 'application/json' } }, 422],
      ['/my/ships?limit=100', {}, 422],
      ['/my/ships/S-1/purchase', { method: 'POST', body: `{"symbol":"IRON","units":1,"pad":"${'x'.repeat(1_100_000)}"}` }, 413],
    ];
    for (const [path, init, status] of cases) {
      const r = await fetch(`${base}${path}`, init);
      expect(r.status, path).to.equal(status);
      expect(spec.validateError(await r.json()), path).to.equal(undefined);
    }
    expect(received.length).to.equal(before);
  });

  it('answers with JSON content-type and keeps connections alive', async () => {
    const r = await fetch(`${base}/`);
    expect(r.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    expect(r.headers.get('connection')).to.equal('keep-alive');
    await r.arrayBuffer();
  });
});
