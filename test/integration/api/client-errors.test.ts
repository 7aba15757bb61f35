import util from 'node:util';
import { expect } from 'chai';
import { type ApiEvent, SpaceTradersClient } from '../../../src/api/client.js';
import { AuthError, GameError, OutcomeUnknownError, ServerUnavailableError, isGameError } from '../../../src/api/errors.js';
import { UserError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { Secret } from '../../../src/config/redact.js';
import { InstantClock, type TestServer, drop, gameError, json, startServer } from './support.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.error-test-token.c2lnbmF0dXJl';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

describe('api/client: error mapping', () => {
  let srv: TestServer;
  let api: SpaceTradersClient;
  let reply: (res: Parameters<Parameters<typeof startServer>[0]>[1]) => void;
  before(async () => {
    srv = await startServer((req, res) => reply(res));
    api = new SpaceTradersClient({ baseUrl: srv.baseUrl, token: new Secret(TOKEN), limiter: false, clock: new InstantClock() });
  });
  after(async () => srv.close());

  const cases: Array<[number, number, string, Record<string, unknown>, () => Promise<unknown>]> = [
    [400, 4214, 'Ship is currently in-transit from X1-A-1 to X1-A-2 and arrives in 37 seconds.', { secondsToArrival: 37 }, () => api.dock('S-1')],
    [400, 4236, 'Ship action failed. Ship is not currently in orbit at X1-A-1.', { waypointSymbol: 'X1-A-1' }, () => api.navigate('S-1', 'X1-A-2')],
    [400, 4244, 'Failed to update ship cargo. Ship S-1 must be docked to perform cargo transactions.', {}, () => api.purchaseCargo('S-1', 'IRON', 1)],
    [400, 4203, 'Navigate request failed. Ship S-1 requires 12 more fuel for navigation.', { fuelRequired: 112, fuelAvailable: 100 }, () => api.navigate('S-1', 'X1-A-9')],
    [400, 4600, 'Market transaction failed. Agent does not have sufficient credits to purchase 10 unit(s) of IRON.', { agentCredits: 5 }, () => api.purchaseCargo('S-1', 'IRON', 10)],
    [400, 4604, 'Market transaction failed. Trade good IRON has a limit of 10 units per transaction.', { units: 60, tradeVolume: 10 }, () => api.sellCargo('S-1', 'IRON', 60)],
  ];
  for (const [status, code, message, data, call] of cases) {
    it(`maps game error ${code} to GameError with code, message and data`, async () => {
      reply = (res) => gameError(res, status, code, message, data);
      const e = await rejection(call());
      expect(e).to.be.instanceOf(GameError).and.instanceOf(UserError);
      const g = e as GameError;
      expect(g).to.include({ status, gameCode: code, exitCode: ExitCode.GAME_ERROR, code: `GAME_${code}` });
      expect(g.data).to.deep.equal(data);
      expect(g.message).to.contain(message).and.contain(String(code));
      expect(g.hint, 'says what to do').to.be.a('string').and.not.equal('');
      expect(isGameError(e, code)).to.equal(true);
      expect(isGameError(e, code + 1)).to.equal(false);
      expect(isGameError(e)).to.equal(true);
    });
  }

  it('maps 401 to AuthError (exit AUTH) with a hint to get a new token', async () => {
    reply = (res) => gameError(res, 401, 4103, 'Missing Bearer token in the request. Did you confirm sending the token as a query parameter or authorization header?');
    const e = await rejection(api.getAgent());
    expect(e).to.be.instanceOf(AuthError);
    expect((e as AuthError).exitCode).to.equal(ExitCode.AUTH);
    expect((e as AuthError).hint).to.match(/token/i);
  });

  it('maps 4113 (token from before the reset) to AuthError telling to register again', async () => {
    reply = (res) => gameError(res, 401, 4113, 'Failed to parse token. Token reset_date does not match the server.');
    const e = (await rejection(api.getAgent())) as AuthError;
    expect(e).to.be.instanceOf(AuthError);
    expect(e.code).to.equal('TOKEN_FROM_OLD_RESET');
    expect(e.gameCode).to.equal(4113);
    expect(e.hint).to.match(/register/i);
  });

  it('maps a registration refusal (4111 symbol taken, 409) to GameError, not AuthError', async () => {
    reply = (res) => gameError(res, 409, 4111, 'Agent symbol has already been claimed.');
    const e = await rejection(api.register({ symbol: 'TAKEN', faction: 'COSMIC' }));
    expect(isGameError(e, 4111)).to.equal(true);
  });

  it('maps 503 maintenance on a GET to ServerUnavailableError (exit UNAVAILABLE)', async () => {
    reply = (res) => gameError(res, 503, 503, 'SpaceTraders is currently in maintenance mode and unavailable. This will hopefully only last a few minutes while we update or upgrade our servers. Check discord for updates.');
    const e = await rejection(api.getMarket('X1-A', 'X1-A-1'));
    expect(e).to.be.instanceOf(ServerUnavailableError);
    expect((e as ServerUnavailableError).status).to.equal(503);
    expect((e as ServerUnavailableError).exitCode).to.equal(ExitCode.UNAVAILABLE);
  });

  it('maps a non-JSON 404 to GameError carrying the HTTP status as code', async () => {
    reply = (res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
    };
    const e = await rejection(api.getWaypoint('X1-A', 'X1-A-404'));
    expect(isGameError(e, 404)).to.equal(true);
    expect(e.message).to.contain('Not Found');
  });
});

describe('api/client: the token never leaks', () => {
  let srv: TestServer;
  afterEach(async () => srv?.close());

  it('appears in no error message, hint, details, inspect output, metrics snapshot or event payload', async () => {
    // A hostile server echoes the Authorization header back in every answer.
    srv = await startServer((req, res, n) => {
      const auth = String(req.headers.authorization);
      if (req.url.endsWith('/agent')) return gameError(res, 401, 4104, `bad token ${auth}`, { echoed: auth });
      if (req.url.endsWith('/purchase')) return gameError(res, 400, 4600, `no credits for ${auth}`, { token: auth.slice(7) });
      if (req.url.endsWith('/sell')) return json(res, 500, { error: { message: `crash ${auth}`, code: 500 } });
      if (req.url.endsWith('/dock')) return drop(res);
      if (req.url.endsWith('/market')) return json(res, 429, { error: { message: `slow down ${auth}` } }, { 'retry-after': '0' });
      return json(res, n % 2 ? 502 : 200, { data: { echoed: 'no' }, error: { message: `${auth}` } });
    });
    const events: ApiEvent[] = [];
    const api = new SpaceTradersClient({
      baseUrl: srv.baseUrl,
      token: new Secret(TOKEN),
      limiter: false,
      clock: new InstantClock(),
      retry: { max429Attempts: 2 },
      onEvent: (e) => events.push(e),
    });
    const errors = [
      await rejection(api.getAgent()),
      await rejection(api.purchaseCargo('S-1', 'IRON', 1)),
      await rejection(api.sellCargo('S-1', 'IRON', 1)),
      await rejection(api.dock('S-1')),
      await rejection(api.getMarket('X1-A', 'X1-A-1')),
    ];
    await api.getShip('S-1');
    expect(errors.map((e) => e.constructor)).to.deep.equal([AuthError, GameError, OutcomeUnknownError, OutcomeUnknownError, ServerUnavailableError]);
    const shown = errors.map((e) => {
      const u = e as UserError;
      return JSON.stringify({ message: u.message, paragraph: u.paragraph, hint: u.hint, details: u.details, code: u.code }) + util.inspect(e, { depth: 5 });
    });
    const text = [...shown, JSON.stringify(api.metrics.snapshot()), JSON.stringify(events), JSON.stringify(api.limiter.snapshot())].join('\n');
    expect(events.length).to.be.greaterThan(5);
    expect(text).to.contain('[redacted]'); // the echoes were there, and were scrubbed
    expect(text).not.to.contain(TOKEN);
    expect(text).not.to.contain(TOKEN.slice(10, 40));
  });
});
