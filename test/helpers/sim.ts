/**
 * Test helpers: a real simulator over HTTP on 127.0.0.1 for integration tests.
 *
 *   import { withSim, useSim } from '../../helpers/sim.js';
 *
 *   // One sim per test (or per `before`), closed by you:
 *   const sim = await withSim();              // port 0, timeScale 500, rate limiter OFF, one agent registered
 *   const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: sim.token });
 *   ...
 *   await sim.close();
 *
 *   // Or let mocha hooks manage it (started in before(), closed in after()):
 *   describe('my feature', () => {
 *     const sim = useSim({ timeScale: 1000 });
 *     it('works', async () => {
 *       const { status, body } = await sim().api('GET', '/my/agent');
 *     });
 *   });
 *
 * The world is the generated one unless ST_SIM_TEST_WORLD names a world file (e.g. worlds/X1-AD75.json).
 *
 * withSim(opts) takes every startSim option (seed, timeScale, world, rateLimit, faults, stateFile,
 * config, clock...) plus `agent` (symbol to register, default unique; false: register none) and
 * `faction` (default COSMIC). It returns:
 *   baseUrl      'http://127.0.0.1:PORT/v2' (the client's base URL)
 *   token        the registered agent's bearer token
 *   agentSymbol  its symbol; `registered` is the whole /register answer (agent, ships, contract...)
 *   universe     the engine's Universe (in-process: tests may inspect it, e.g. universe.toJSON())
 *   sim          the RunningSim (setFaults, setRateLimit, save, controls, adminUrl)
 *   api(method, path, body?, token?)  raw fetch of `${baseUrl}${path}` with the agent's token →
 *                {status, body, headers}; pass token null to send none
 *   register(symbol?, faction?)       registers another agent → {token, agentSymbol, body}
 *   close()      stops the server (idempotent)
 */
import { SIM_ACCOUNT_TOKEN, startSim, type RunningSim, type StartSimOptions } from '../../src/sim/index.js';

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RegisteredAgent {
  token: string;
  agentSymbol: string;
  body: any;
}

export interface TestSim {
  baseUrl: string;
  token: string;
  agentSymbol: string;
  registered: any;
  universe: RunningSim['universe'];
  sim: RunningSim;
  api<T = any>(method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResult<T>>;
  register(symbol?: string, faction?: string): Promise<RegisteredAgent>;
  close(): Promise<void>;
}

export interface WithSimOptions extends StartSimOptions {
  /** Agent symbol to register (default: a unique one); false to register none. */
  agent?: string | false;
  faction?: string;
}

let counter = 0;

/** A unique valid agent symbol (3–14 characters, upper case). */
export function uniqueAgentSymbol(prefix = 'T'): string {
  counter++;
  const tail = `${process.pid.toString(36)}${counter.toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`.toUpperCase();
  return `${prefix}${tail}`.slice(0, 14);
}

/** One raw API call: JSON in, JSON out (body is undefined for an empty answer). */
export async function apiCall<T = any>(baseUrl: string, method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as T) : (undefined as T), headers: res.headers };
}

/** POST /register with the simulator's account token; throws with the server's answer unless it is 201. */
export async function registerAgent(baseUrl: string, symbol = uniqueAgentSymbol(), faction = 'COSMIC'): Promise<RegisteredAgent> {
  const r = await apiCall(baseUrl, 'POST', '/register', { symbol, faction }, SIM_ACCOUNT_TOKEN);
  if (r.status !== 201) throw new Error(`register ${symbol} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.data.token as string, agentSymbol: r.body.data.agent.symbol as string, body: r.body };
}

/** Starts an in-process simulator (fast clock, no rate limit unless asked) and registers an agent. */
export async function withSim(opts: WithSimOptions = {}): Promise<TestSim> {
  const { agent, faction, ...simOpts } = opts;
  const world = process.env.ST_SIM_TEST_WORLD;
  const sim = await startSim({ port: 0, timeScale: 500, rateLimit: false, log: () => {}, ...(world ? { world } : {}), ...simOpts });
  try {
    const reg = agent === false ? undefined : await registerAgent(sim.baseUrl, agent ?? uniqueAgentSymbol(), faction);
    const token = reg?.token ?? '';
    return {
      baseUrl: sim.baseUrl,
      token,
      agentSymbol: reg?.agentSymbol ?? '',
      registered: reg?.body,
      universe: sim.universe,
      sim,
      api: (method, path, body, tok) => apiCall(sim.baseUrl, method, path, body, tok === undefined ? token : tok),
      register: (symbol, fac) => registerAgent(sim.baseUrl, symbol, fac ?? faction),
      close: () => sim.close(),
    };
  } catch (e) {
    await sim.close();
    throw e;
  }
}

/** mocha: a simulator started in before() and closed in after(); call the returned function inside tests. */
export function useSim(opts: WithSimOptions = {}): () => TestSim {
  let current: TestSim | undefined;
  before(async () => {
    current = await withSim(opts);
  });
  after(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('useSim(): the simulator is not started yet (call it inside it(), not at describe time)');
    return current;
  };
}
