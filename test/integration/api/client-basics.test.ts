import { expect } from 'chai';
import { SpaceTradersClient, type ApiEvent } from '../../../src/api/client.js';
import { RateLimiter } from '../../../src/api/limiter.js';
import { CLIENT_VERSION } from '../../../src/api/transport.js';
import { Secret } from '../../../src/config/redact.js';
import { type TestServer, json, startServer } from './support.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.basics-test-token.SIGNATURE';

describe('api/client: requests and responses (local HTTP server)', () => {
  let srv: TestServer;
  afterEach(async () => srv?.close());

  it('sends the Bearer token, User-Agent and JSON body, and returns the data payload', async () => {
    srv = await startServer((req, res) =>
      json(res, 201, { data: { agent: { credits: 1 }, cargo: { units: 10 }, transaction: { units: 10, pricePerUnit: 5 } } }),
    );
    const api = new SpaceTradersClient({ baseUrl: srv.baseUrl, token: new Secret(TOKEN), limiter: false });
    const out = await api.purchaseCargo('AGENT-1', 'IRON_ORE', 10);
    expect(out.transaction.units).to.equal(10);
    const [req] = srv.seen;
    expect(req!.method).to.equal('POST');
    expect(req!.url).to.equal('/v2/my/ships/AGENT-1/purchase');
    expect(req!.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(req!.headers['user-agent']).to.equal(`st-goods/${CLIENT_VERSION}`);
    expect(CLIENT_VERSION).to.match(/^\d+\.\d+\.\d+/);
    expect(req!.headers['content-type']).to.match(/application\/json/);
    expect(JSON.parse(req!.body)).to.deep.equal({ symbol: 'IRON_ORE', units: 10 });
    expect(api.metrics.snapshot().requests).to.deep.equal({ 'POST /my/ships/{shipSymbol}/purchase': 1 });
  });

  it('calls the documented paths and bodies for each action', async () => {
    srv = await startServer((req, res) => json(res, 200, { data: { ok: true } }));
    const api = new SpaceTradersClient({ baseUrl: srv.baseUrl, token: new Secret(TOKEN), limiter: false });
    await api.orbit('S-1');
    await api.dock('S-1');
    await api.navigate('S-1', 'X1-AD75-B2');
    await api.setFlightMode('S-1', 'DRIFT');
    await api.refuel('S-1');
    await api.refuel('S-1', { units: 100, fromCargo: true });
    await api.sellCargo('S-1', 'IRON', 5);
    await api.transferCargo('S-1', 'S-2', 'IRON', 3);
    await api.jettison('S-1', 'IRON', 1);
    await api.purchaseShip('SHIP_LIGHT_HAULER', 'X1-AD75-H52');
    await api.acceptContract('C1');
    await api.deliverContract('C1', 'S-1', 'IRON', 4);
    await api.fulfillContract('C1');
    await api.getMarket('X1-AD75', 'X1-AD75-A1');
    await api.getShipyard('X1-AD75', 'X1-AD75-H52');
    await api.getWaypoint('X1-AD75', 'X1-AD75-A1');
    await api.getSystem('X1-AD75');
    await api.getShipNav('S-1');
    await api.getShipCargo('S-1');
    await api.getSupplyChain();
    await api.getAgent();
    await api.getContract('C1');
    expect(srv.seen.map((s) => `${s.method} ${s.url} ${s.body}`)).to.deep.equal([
      'POST /v2/my/ships/S-1/orbit ',
      'POST /v2/my/ships/S-1/dock ',
      'POST /v2/my/ships/S-1/navigate {"waypointSymbol":"X1-AD75-B2"}',
      'PATCH /v2/my/ships/S-1/nav {"flightMode":"DRIFT"}',
      'POST /v2/my/ships/S-1/refuel {}',
      'POST /v2/my/ships/S-1/refuel {"units":100,"fromCargo":true}',
      'POST /v2/my/ships/S-1/sell {"symbol":"IRON","units":5}',
      'POST /v2/my/ships/S-1/transfer {"tradeSymbol":"IRON","units":3,"shipSymbol":"S-2"}',
      'POST /v2/my/ships/S-1/jettison {"symbol":"IRON","units":1}',
      'POST /v2/my/ships {"shipType":"SHIP_LIGHT_HAULER","waypointSymbol":"X1-AD75-H52"}',
      'POST /v2/my/contracts/C1/accept ',
      'POST /v2/my/contracts/C1/deliver {"shipSymbol":"S-1","tradeSymbol":"IRON","units":4}',
      'POST /v2/my/contracts/C1/fulfill ',
      'GET /v2/systems/X1-AD75/waypoints/X1-AD75-A1/market ',
      'GET /v2/systems/X1-AD75/waypoints/X1-AD75-H52/shipyard ',
      'GET /v2/systems/X1-AD75/waypoints/X1-AD75-A1 ',
      'GET /v2/systems/X1-AD75 ',
      'GET /v2/my/ships/S-1/nav ',
      'GET /v2/my/ships/S-1/cargo ',
      'GET /v2/market/supply-chain ',
      'GET /v2/my/agent ',
      'GET /v2/my/contracts/C1 ',
    ]);
    const lanes = api.metrics.snapshot().lanes;
    expect(lanes.action.requests).to.equal(13);
    expect(lanes.read.requests).to.equal(9);
  });

  it('getStatus returns the unwrapped body; register uses the account token and returns the new token', async () => {
    srv = await startServer((req, res) => {
      if (req.url === '/v2/') return json(res, 200, { status: 'ok', version: 'v2.3.0', resetDate: '2026-01-01' });
      return json(res, 201, { data: { token: 'new-agent-token-abcdefgh', agent: { symbol: 'NEW' } } });
    });
    const api = new SpaceTradersClient({ baseUrl: srv.baseUrl, limiter: false });
    expect((await api.getStatus()).resetDate).to.equal('2026-01-01');
    expect(srv.seen[0]!.headers.authorization).to.equal(undefined);
    const reg = await api.register({ symbol: 'NEW', faction: 'COSMIC' }, new Secret('account-token-123456'));
    expect(reg.token).to.equal('new-agent-token-abcdefgh');
    expect(srv.seen[1]!.headers.authorization).to.equal('Bearer account-token-123456');
    expect(JSON.parse(srv.seen[1]!.body)).to.deep.equal({ symbol: 'NEW', faction: 'COSMIC' });
  });

  it('fetches all pages of a list (3 pages of 20), and passes waypoint filters', async () => {
    const ships = Array.from({ length: 45 }, (_, i) => ({ symbol: `S-${i + 1}` }));
    srv = await startServer((req, res) => {
      const u = new URL(req.url, 'http://x');
      const page = Number(u.searchParams.get('page'));
      const limit = Number(u.searchParams.get('limit'));
      json(res, 200, { data: ships.slice((page - 1) * limit, page * limit), meta: { total: ships.length, page, limit } });
    });
    const api = new SpaceTradersClient({ baseUrl: srv.baseUrl, token: new Secret(TOKEN), limiter: false });
    const all = await api.listShips();
    expect(all.map((s) => s.symbol)).to.deep.equal(ships.map((s) => s.symbol));
    expect(srv.seen.map((s) => s.url)).to.deep.equal(['/v2/my/ships?page=1&limit=20', '/v2/my/ships?page=2&limit=20', '/v2/my/ships?page=3&limit=20']);
    await api.listWaypoints('X1-AD75', { type: 'PLANET', traits: ['MARKETPLACE', 'SHIPYARD'] });
    expect(srv.seen[3]!.url).to.equal('/v2/systems/X1-AD75/waypoints?type=PLANET&traits=MARKETPLACE&traits=SHIPYARD&page=1&limit=20');
    await api.listContracts();
    expect(srv.seen.filter((s) => s.url.startsWith('/v2/my/contracts')).length).to.equal(3);
    expect(api.metrics.snapshot().requests['GET /my/ships']).to.equal(3);
  });

  it('emits request and response events (for NDJSON logs)', async () => {
    srv = await startServer((req, res) => json(res, 200, { data: { symbol: 'S-1' } }));
    const events: ApiEvent[] = [];
    const requests: string[] = [];
    const api = new SpaceTradersClient({
      baseUrl: srv.baseUrl,
      token: new Secret(TOKEN),
      limiter: false,
      onRequest: (e) => requests.push(e.path),
    });
    const off = api.onEvent((e) => events.push(e));
    await api.navigate('S-1', 'X1-AD75-B2');
    off();
    await api.getShip('S-1');
    expect(events.map((e) => e.type)).to.deep.equal(['request', 'response']);
    expect(events[0]).to.include({ method: 'POST', path: '/my/ships/S-1/navigate', template: '/my/ships/{shipSymbol}/navigate', lane: 'action', attempt: 1 });
    expect(events[1]).to.include({ status: 200, id: events[0]!.id });
    expect(requests).to.deep.equal(['/my/ships/S-1/navigate', '/my/ships/S-1']);
  });

  it('shares one limiter between clients and serves ship actions before queued reads', async () => {
    srv = await startServer((req, res) => json(res, 200, { data: {} }));
    const limiter = new RateLimiter({ staticLimit: 1, staticWindowMs: 100, burstLimit: 0, safetyMarginMs: 0 });
    const a = new SpaceTradersClient({ baseUrl: srv.baseUrl, token: new Secret(TOKEN), limiter });
    const b = a.withToken(new Secret(`${TOKEN}-2`));
    expect(b.limiter).to.equal(a.limiter);
    await Promise.all([a.getShip('R-1'), a.getShip('R-2'), b.getShip('R-3'), b.orbit('A-1'), a.dock('A-2')]);
    expect(srv.seen.map((s) => s.url.replace('/v2/my/ships/', ''))).to.deep.equal(['R-1', 'A-1/orbit', 'A-2/dock', 'R-2', 'R-3']);
    const snap = limiter.snapshot();
    expect(snap.granted).to.deep.equal({ action: 2, read: 3 });
    expect(a.metrics.snapshot().limiterWaitMs).to.be.greaterThan(0);
  });

  it('the per-call lane option overrides the default lane', async () => {
    srv = await startServer((req, res) => json(res, 200, { data: {} }));
    const limiter = new RateLimiter({ staticLimit: 1, staticWindowMs: 80, burstLimit: 0, safetyMarginMs: 0 });
    const api = new SpaceTradersClient({ baseUrl: srv.baseUrl, limiter });
    await Promise.all([api.getShip('R-1'), api.getShip('R-2'), api.getShip('URGENT', { lane: 'action' })]);
    expect(srv.seen.map((s) => s.url.replace('/v2/my/ships/', ''))).to.deep.equal(['R-1', 'URGENT', 'R-2']);
    expect(api.metrics.snapshot().lanes.action.requests).to.equal(1);
  });
});
