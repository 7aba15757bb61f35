/**
 * SpaceTradersClient: the only code in st-goods that speaks HTTP to SpaceTraders (or to
 * `st-goods sim`). Typed from the official spec; one process-wide rate limiter with priority
 * lanes; retries as retry-policy.ts documents; typed errors (errors.ts); counters (metrics.ts).
 *
 *   const api = new SpaceTradersClient({ baseUrl, token });
 *   const ship = await api.getShip('AGENT-1');
 *   await api.purchaseCargo('AGENT-1', 'IRON_ORE', 10);
 */
import { failpoint } from '../cli/failpoint.js';
import { DEFAULT_BASE_URL } from '../config/config.js';
import { type Secret, redactText, registerSecret } from '../config/redact.js';
import { type Clock, sleep, systemClock } from './clock.js';
import { AuthError, GameError, OutcomeUnknownError, type RequestInfo, ServerUnavailableError, isAuthCode, redactValue } from './errors.js';
import { type Lane, RateLimiter, serverLimitState, sharedLimiter } from './limiter.js';
import { currentSendGate } from './send-gate.js';
import { ClientMetrics, type RetryReason } from './metrics.js';
import { type Page, fetchAllPages } from './paginate.js';
import { DEFAULT_RETRY, type RetryOptions, backoffMs, serverRequestedWaitMs } from './retry-policy.js';
import { NetworkFailure, USER_AGENT, sendAttempt } from './transport.js';
import type {
  AcceptContractResult,
  Agent,
  Contract,
  CreateSurveyResult,
  ExtractResult,
  ExtractWithSurveyResult,
  NegotiateContractResult,
  RefineProduce,
  RefineResult,
  ShipModule,
  ShipMount,
  SiphonResult,
  Survey,
  DeliverContractResult,
  DockResult,
  FlightModeResult,
  FulfillContractResult,
  JettisonResult,
  Market,
  NavigateResult,
  OrbitResult,
  PurchaseCargoResult,
  PurchaseShipResult,
  RefuelResult,
  RegisterRequest,
  RegisterResult,
  SellCargoResult,
  ServerStatus,
  Ship,
  ShipCargo,
  ShipNav,
  ShipNavFlightMode,
  ShipType,
  Shipyard,
  SupplyChain,
  System,
  TradeSymbol,
  TransferCargoResult,
  JumpResult,
  JumpGate,
  ChartResult,
  Construction,
  SupplyConstructionResult,
  Cooldown,
  Waypoint,
  WaypointTraitSymbol,
  WaypointType,
} from './types.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Per-call options of every client method. */
export interface CallOptions {
  /** Default: 'action' for POST/PATCH, 'read' for GET. */
  lane?: Lane;
  signal?: AbortSignal;
}

export interface RequestOptions extends CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | ReadonlyArray<string> | undefined>;
  body?: unknown;
  /** Token to send instead of the client's (the account token of /register). */
  token?: Secret;
}

interface EventBase {
  /** Client-local request number; all events of one call share it. */
  id: number;
  method: HttpMethod;
  /** Concrete path, e.g. /my/ships/AGENT-1/purchase (token-free; redacted anyway). */
  path: string;
  /** Path template, e.g. /my/ships/{shipSymbol}/purchase */
  template: string;
  attempt: number;
  at: string;
}
export interface RequestEvent extends EventBase {
  type: 'request';
  lane: Lane;
  limiterWaitMs: number;
  body?: unknown;
}
export interface ResponseEvent extends EventBase {
  type: 'response';
  /** HTTP status, or 0 when there was no response (see error). */
  status: number;
  durationMs: number;
  gameCode?: number;
  error?: string;
}
export interface RetryEvent extends EventBase {
  type: 'retry';
  reason: RetryReason;
  waitMs: number;
}
/** Events for NDJSON logs. They carry no headers, and no token. */
export type ApiEvent = RequestEvent | ResponseEvent | RetryEvent;

export interface ClientOptions {
  /** Default: DEFAULT_BASE_URL (resolve it with resolveBaseUrl from src/config/config.ts). */
  baseUrl?: string;
  /** The agent token, sent as `Authorization: Bearer`. Without it only public endpoints work. */
  token?: Secret;
  /** Default: the process-wide sharedLimiter(). false: no limiting (simulator bench). */
  limiter?: RateLimiter | false;
  retry?: Partial<RetryOptions>;
  /** Clock for retry waits (backoff, 429). Default: the system clock. */
  clock?: Clock;
  userAgent?: string;
  onEvent?: (e: ApiEvent) => void;
  onRequest?: (e: RequestEvent) => void;
  onResponse?: (e: ResponseEvent) => void;
}

export interface WaypointFilters {
  type?: WaypointType;
  traits?: WaypointTraitSymbol | ReadonlyArray<WaypointTraitSymbol>;
}

export class SpaceTradersClient {
  readonly baseUrl: string;
  readonly limiter: RateLimiter;
  readonly metrics = new ClientMetrics();
  readonly #opts: ClientOptions;
  readonly #token: Secret | undefined;
  readonly #retry: RetryOptions;
  readonly #clock: Clock;
  readonly #listeners = new Set<(e: ApiEvent) => void>();
  #nextId = 1;

  constructor(opts: ClientOptions = {}) {
    this.#opts = opts;
    this.baseUrl = (opts.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#token = opts.token;
    if (opts.token) registerSecret(opts.token.reveal());
    this.limiter = opts.limiter === false ? RateLimiter.unlimited() : (opts.limiter ?? sharedLimiter(this.baseUrl));
    this.#retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.#clock = opts.clock ?? systemClock;
    if (opts.onEvent) this.#listeners.add(opts.onEvent);
    if (opts.onRequest) {
      const f = opts.onRequest;
      this.#listeners.add((e) => e.type === 'request' && f(e));
    }
    if (opts.onResponse) {
      const f = opts.onResponse;
      this.#listeners.add((e) => e.type === 'response' && f(e));
    }
  }

  /** A client with another token and the same settings and limiter (its own metrics). */
  withToken(token: Secret): SpaceTradersClient {
    return new SpaceTradersClient({ ...this.#opts, token, limiter: this.limiter });
  }

  /** Subscribes to request/response/retry events; returns the unsubscribe function. */
  onEvent(listener: (e: ApiEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- status and registration ------------------------------------------------------------

  /** GET / : status, version and resetDate (this endpoint has no `data` wrapper). */
  getStatus(o?: CallOptions): Promise<ServerStatus> {
    return this.request<ServerStatus>('GET', '/', o);
  }

  /** POST /register with the account token (or the client's token). The new agent token is registered for redaction. */
  async register(body: RegisterRequest, accountToken?: Secret, o?: CallOptions): Promise<RegisterResult> {
    const data = await this.#data<RegisterResult>('POST', '/register', { ...o, body, token: accountToken });
    registerSecret(data.token);
    return data;
  }

  getAgent(o?: CallOptions): Promise<Agent> {
    return this.#data('GET', '/my/agent', o);
  }

  getSupplyChain(o?: CallOptions): Promise<SupplyChain> {
    return this.#data('GET', '/market/supply-chain', o);
  }

  // ---- ships -------------------------------------------------------------------------------

  listShips(o?: CallOptions): Promise<Ship[]> {
    return this.#all<Ship>('/my/ships', {}, {}, o);
  }

  getShip(ship: string, o?: CallOptions): Promise<Ship> {
    return this.#data('GET', '/my/ships/{shipSymbol}', { ...o, params: { shipSymbol: ship } });
  }

  getShipNav(ship: string, o?: CallOptions): Promise<ShipNav> {
    return this.#data('GET', '/my/ships/{shipSymbol}/nav', { ...o, params: { shipSymbol: ship } });
  }

  getShipCargo(ship: string, o?: CallOptions): Promise<ShipCargo> {
    return this.#data('GET', '/my/ships/{shipSymbol}/cargo', { ...o, params: { shipSymbol: ship } });
  }

  orbit(ship: string, o?: CallOptions): Promise<OrbitResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/orbit', { ...o, params: { shipSymbol: ship } });
  }

  dock(ship: string, o?: CallOptions): Promise<DockResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/dock', { ...o, params: { shipSymbol: ship } });
  }

  navigate(ship: string, waypointSymbol: string, o?: CallOptions): Promise<NavigateResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/navigate', { ...o, params: { shipSymbol: ship }, body: { waypointSymbol } });
  }

  setFlightMode(ship: string, flightMode: ShipNavFlightMode, o?: CallOptions): Promise<FlightModeResult> {
    return this.#data('PATCH', '/my/ships/{shipSymbol}/nav', { ...o, params: { shipSymbol: ship }, body: { flightMode } });
  }

  /** units are ship fuel units (100 per market unit); omitted: fill the tank. */
  refuel(ship: string, opts: { units?: number; fromCargo?: boolean } = {}, o?: CallOptions): Promise<RefuelResult> {
    const body: { units?: number; fromCargo?: boolean } = {};
    if (opts.units !== undefined) body.units = opts.units;
    if (opts.fromCargo !== undefined) body.fromCargo = opts.fromCargo;
    return this.#data('POST', '/my/ships/{shipSymbol}/refuel', { ...o, params: { shipSymbol: ship }, body });
  }

  /** At most the market's tradeVolume units per call (else GameError 4604). */
  purchaseCargo(ship: string, symbol: TradeSymbol, units: number, o?: CallOptions): Promise<PurchaseCargoResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/purchase', { ...o, params: { shipSymbol: ship }, body: { symbol, units } });
  }

  /** At most the market's tradeVolume units per call (else GameError 4604). */
  sellCargo(ship: string, symbol: TradeSymbol, units: number, o?: CallOptions): Promise<SellCargoResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/sell', { ...o, params: { shipSymbol: ship }, body: { symbol, units } });
  }

  transferCargo(fromShip: string, toShip: string, tradeSymbol: TradeSymbol, units: number, o?: CallOptions): Promise<TransferCargoResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/transfer', {
      ...o,
      params: { shipSymbol: fromShip },
      body: { tradeSymbol, units, shipSymbol: toShip },
    });
  }

  jettison(ship: string, symbol: TradeSymbol, units: number, o?: CallOptions): Promise<JettisonResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/jettison', { ...o, params: { shipSymbol: ship }, body: { symbol, units } });
  }

  purchaseShip(shipType: ShipType, waypointSymbol: string, o?: CallOptions): Promise<PurchaseShipResult> {
    return this.#data('POST', '/my/ships', { ...o, body: { shipType, waypointSymbol } });
  }

  // ---- extraction ----------------------------------------------------------------------------

  /** Needs a surveyor mount, in orbit at an asteroid; starts the ship's cooldown. */
  createSurvey(ship: string, o?: CallOptions): Promise<CreateSurveyResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/survey', { ...o, params: { shipSymbol: ship } });
  }

  /** Needs a mining laser and a mineral processor, in orbit at an asteroid; starts the ship's cooldown. */
  extract(ship: string, o?: CallOptions): Promise<ExtractResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/extract', { ...o, params: { shipSymbol: ship } });
  }

  /** `survey` exactly as the server issued it (any change fails its signature, 4220). */
  extractWithSurvey(ship: string, survey: Survey, o?: CallOptions): Promise<ExtractWithSurveyResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/extract/survey', { ...o, params: { shipSymbol: ship }, body: survey });
  }

  /** Needs a gas siphon and a gas processor, in orbit at a gas giant; starts the ship's cooldown. */
  siphon(ship: string, o?: CallOptions): Promise<SiphonResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/siphon', { ...o, params: { shipSymbol: ship } });
  }

  refine(ship: string, produce: RefineProduce, o?: CallOptions): Promise<RefineResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/refine', { ...o, params: { shipSymbol: ship }, body: { produce } });
  }

  /** Jump from the system's gate (in orbit) to a connected gate: one ANTIMATTER at the origin's price, then a reactor cooldown. */
  jump(ship: string, waypointSymbol: string, o?: CallOptions): Promise<JumpResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/jump', { ...o, params: { shipSymbol: ship }, body: { waypointSymbol } });
  }

  /** The reactor cooldown, or undefined when there is none (204). */
  async getCooldown(ship: string, o?: CallOptions): Promise<Cooldown | undefined> {
    const body = await this.request<{ data?: Cooldown } | undefined>('GET', '/my/ships/{shipSymbol}/cooldown', { ...o, params: { shipSymbol: ship } });
    return body?.data;
  }

  getMounts(ship: string, o?: CallOptions): Promise<ShipMount[]> {
    return this.#data('GET', '/my/ships/{shipSymbol}/mounts', { ...o, params: { shipSymbol: ship } });
  }

  getShipModules(ship: string, o?: CallOptions): Promise<ShipModule[]> {
    return this.#data('GET', '/my/ships/{shipSymbol}/modules', { ...o, params: { shipSymbol: ship } });
  }

  /** Chart the waypoint where the ship is (a one-time credit reward; 4230 if already charted). */
  createChart(ship: string, o?: CallOptions): Promise<ChartResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/chart', { ...o, params: { shipSymbol: ship } });
  }

  // ---- systems, waypoints, markets, shipyards ------------------------------------------------

  /** A jump gate's connections (400 while it is uncharted and no ship of yours is there). */
  getJumpGate(system: string, waypoint: string, o?: CallOptions): Promise<JumpGate> {
    return this.#data('GET', '/systems/{systemSymbol}/waypoints/{waypointSymbol}/jump-gate', { ...o, params: { systemSymbol: system, waypointSymbol: waypoint } });
  }

  /** A construction site's bill and progress (a public read). */
  getConstruction(system: string, waypoint: string, o?: CallOptions): Promise<Construction> {
    return this.#data('GET', '/systems/{systemSymbol}/waypoints/{waypointSymbol}/construction', { ...o, params: { systemSymbol: system, waypointSymbol: waypoint } });
  }

  /** Deliver cargo to a construction site; the ship must be docked there. */
  supplyConstruction(system: string, waypoint: string, ship: string, tradeSymbol: TradeSymbol, units: number, o?: CallOptions): Promise<SupplyConstructionResult> {
    return this.#data('POST', '/systems/{systemSymbol}/waypoints/{waypointSymbol}/construction/supply', {
      ...o,
      params: { systemSymbol: system, waypointSymbol: waypoint },
      body: { shipSymbol: ship, tradeSymbol, units },
    });
  }

  getSystem(system: string, o?: CallOptions): Promise<System> {
    return this.#data('GET', '/systems/{systemSymbol}', { ...o, params: { systemSymbol: system } });
  }

  /** Every waypoint of a system (all pages), optionally filtered by type and traits (server-side). */
  listWaypoints(system: string, filters: WaypointFilters = {}, o?: CallOptions): Promise<Waypoint[]> {
    const traits = filters.traits === undefined ? undefined : typeof filters.traits === 'string' ? [filters.traits] : filters.traits;
    return this.#all<Waypoint>('/systems/{systemSymbol}/waypoints', { systemSymbol: system }, { type: filters.type, traits }, o);
  }

  getWaypoint(system: string, waypoint: string, o?: CallOptions): Promise<Waypoint> {
    return this.#data('GET', '/systems/{systemSymbol}/waypoints/{waypointSymbol}', { ...o, params: { systemSymbol: system, waypointSymbol: waypoint } });
  }

  /** Prices (tradeGoods) and transactions are present only while one of your ships is there. */
  getMarket(system: string, waypoint: string, o?: CallOptions): Promise<Market> {
    return this.#data('GET', '/systems/{systemSymbol}/waypoints/{waypointSymbol}/market', {
      ...o,
      params: { systemSymbol: system, waypointSymbol: waypoint },
    });
  }

  getShipyard(system: string, waypoint: string, o?: CallOptions): Promise<Shipyard> {
    return this.#data('GET', '/systems/{systemSymbol}/waypoints/{waypointSymbol}/shipyard', {
      ...o,
      params: { systemSymbol: system, waypointSymbol: waypoint },
    });
  }

  // ---- contracts -----------------------------------------------------------------------------

  listContracts(o?: CallOptions): Promise<Contract[]> {
    return this.#all<Contract>('/my/contracts', {}, {}, o);
  }

  getContract(id: string, o?: CallOptions): Promise<Contract> {
    return this.#data('GET', '/my/contracts/{contractId}', { ...o, params: { contractId: id } });
  }

  acceptContract(id: string, o?: CallOptions): Promise<AcceptContractResult> {
    return this.#data('POST', '/my/contracts/{contractId}/accept', { ...o, params: { contractId: id } });
  }

  deliverContract(id: string, ship: string, tradeSymbol: TradeSymbol, units: number, o?: CallOptions): Promise<DeliverContractResult> {
    return this.#data('POST', '/my/contracts/{contractId}/deliver', { ...o, params: { contractId: id }, body: { shipSymbol: ship, tradeSymbol, units } });
  }

  fulfillContract(id: string, o?: CallOptions): Promise<FulfillContractResult> {
    return this.#data('POST', '/my/contracts/{contractId}/fulfill', { ...o, params: { contractId: id } });
  }

  /** Docked at a faction's waypoint; refused (4511) while the agent has an open contract. */
  negotiateContract(ship: string, o?: CallOptions): Promise<NegotiateContractResult> {
    return this.#data('POST', '/my/ships/{shipSymbol}/negotiate/contract', { ...o, params: { shipSymbol: ship } });
  }

  // ---- the machinery -------------------------------------------------------------------------

  async #data<T>(method: HttpMethod, template: string, o: RequestOptions = {}): Promise<T> {
    const body = await this.request<{ data?: T }>(method, template, o);
    if (body === null || typeof body !== 'object' || body.data === undefined) {
      const path = template.replace(/\{(\w+)\}/g, (_, k: string) => o.params?.[k] ?? k);
      const request: RequestInfo = { method, path, template, body: o.body };
      if (method !== 'GET') throw new OutcomeUnknownError({ reason: 'the server answered without a data payload', request });
      throw new ServerUnavailableError({ reason: 'was answered without a data payload', attempts: 1, request });
    }
    return body.data;
  }

  #all<T>(template: string, params: Record<string, string>, query: RequestOptions['query'], o: CallOptions = {}): Promise<T[]> {
    return fetchAllPages<T>((page, limit) => this.request<Page<T>>('GET', template, { ...o, params, query: { ...query, page, limit } }));
  }

  /**
   * Sends one API call with rate limiting, retries and error mapping, and returns the whole JSON
   * body. For endpoints without a method above; `template` is the spec's path, e.g.
   * '/my/ships/{shipSymbol}/cooldown' with params { shipSymbol }.
   */
  async request<T>(method: HttpMethod, template: string, o: RequestOptions = {}): Promise<T> {
    const path = template.replace(/\{(\w+)\}/g, (_, k: string) => {
      const v = o.params?.[k];
      if (v === undefined) throw new Error(`missing path parameter ${k} for ${template}`);
      return encodeURIComponent(v);
    });
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(o.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const x of v as string[]) qs.append(k, x);
      else qs.append(k, String(v));
    }
    const url = `${this.baseUrl}${path}${qs.size ? `?${qs}` : ''}`;
    const mutating = method !== 'GET';
    const lane: Lane = o.lane ?? (mutating ? 'action' : 'read');
    const key = `${method} ${template}`;
    const info: RequestInfo = { method, path, template, body: o.body };
    const token = o.token ?? this.#token;
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.#opts.userAgent ?? USER_AGENT };
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token.reveal()}`;
    const bodyText = o.body === undefined ? undefined : JSON.stringify(o.body);
    const id = this.#nextId++;
    const eventBody = redactValue(o.body);
    const r = this.#retry;
    let failures = 0; // 5xx and network failures
    let unavailable = 0; // 503s
    let limited = 0; // 429s
    let limitedMs = 0; // time waited on them

    for (let attempt = 1; ; attempt++) {
      const base = { id, method, path: redactText(path), template, attempt };
      const grant = await this.limiter.acquire(lane, { signal: o.signal, front: attempt > 1 });
      if (mutating) {
        failpoint(`granted ${key}`);
        // Last moment before a call that changes the game: the caller's gate (a lock still held?).
        await currentSendGate()?.();
      }
      this.metrics.request(key, lane, grant.waitedMs);
      this.#emit({ ...base, type: 'request', at: this.#at(), lane, limiterWaitMs: grant.waitedMs, body: eventBody });
      const started = this.#clock.now();

      let status: number;
      let text: string;
      let resHeaders: { get(name: string): string | null };
      try {
        ({ status, text, headers: resHeaders } = await sendAttempt({ method, url, headers, body: bodyText, timeoutMs: r.timeoutMs, signal: o.signal }));
      } catch (e) {
        this.limiter.observe(undefined);
        if (!(e instanceof NetworkFailure)) throw e;
        this.metrics.response('ERR');
        this.#emit({ ...base, type: 'response', at: this.#at(), status: 0, durationMs: this.#clock.now() - started, error: redactText(`${e.code}: ${e.message}`) });
        if (e.cancelled && !mutating) throw e.cause instanceof Error ? e.cause : e;
        if (mutating && e.sent) {
          this.metrics.error('OutcomeUnknownError');
          const why = e.cancelled ? 'the call was cancelled while in flight' : `the connection failed after it was sent (${e.code})`;
          throw new OutcomeUnknownError({ reason: why, request: info, cause: e });
        }
        failures++;
        if (failures >= r.maxAttempts) {
          this.metrics.error('ServerUnavailableError');
          throw new ServerUnavailableError({ reason: `failed: ${e.code} (${e.message})`, attempts: attempt, request: info, cause: e });
        }
        await this.#wait(base, e.sent ? 'network' : 'not-sent', backoffMs(failures, r), o.signal);
        continue;
      }

      const json = parseJson(text);
      const err = errorBody(json);
      this.metrics.response(status, this.#clock.now() - started);
      // What the server says is left of its pools (other processes spend them too).
      this.limiter.observe(serverLimitState(resHeaders));
      // On a 429, hold the shared limiter before anything else can send (listeners included).
      const limitedWaitMs = status === 429 ? (serverRequestedWaitMs(resHeaders, json, this.#clock.now(), r.maxDelayMs) ?? backoffMs(limited + 1, r)) : 0;
      if (status === 429) this.limiter.pauseFor(limitedWaitMs);
      this.#emit({
        ...base,
        type: 'response',
        at: this.#at(),
        status,
        durationMs: this.#clock.now() - started,
        ...(err?.code !== undefined ? { gameCode: err.code } : {}),
        ...(status >= 400 ? { error: redactText(err?.message ?? text.slice(0, 200)) } : {}),
      });

      if (status >= 200 && status < 300) {
        // 204 No Content (e.g. get-ship-cooldown with no cooldown) is an answer without a body.
        if (status === 204) return undefined as T;
        if (json === undefined) {
          if (mutating) {
            this.metrics.error('OutcomeUnknownError');
            throw new OutcomeUnknownError({ reason: `the server answered ${status} with ${text.trim() ? 'a body that is not JSON' : 'an empty body'}`, status, request: info });
          }
          failures++;
          if (failures >= r.maxAttempts) {
            throw new ServerUnavailableError({ reason: `kept answering ${status} without a JSON body`, status, attempts: attempt, request: info });
          }
          await this.#wait(base, 'server-error', backoffMs(failures, r), o.signal);
          continue;
        }
        return json as T;
      }

      if (status === 429) {
        limited++;
        if (limited >= r.max429Attempts || limitedMs + limitedWaitMs > r.max429WaitMs) {
          this.metrics.error('ServerUnavailableError');
          throw new ServerUnavailableError({ reason: `was refused as rate-limited (429) ${limited} times over ${Math.round(limitedMs / 1000)}s`, status, attempts: attempt, request: info });
        }
        limitedMs += limitedWaitMs;
        await this.#wait(base, 'rate-limited', limitedWaitMs, o.signal);
        continue;
      }

      if (status >= 500) {
        const reason = `was answered HTTP ${status}${err?.message ? ` (${err.message})` : ''}`;
        if (mutating) {
          this.metrics.error('OutcomeUnknownError');
          throw new OutcomeUnknownError({ reason: `the server answered HTTP ${status}${err?.message ? ` (${err.message})` : ''}`, status, request: info });
        }
        if (status === 503) {
          unavailable++;
          if (unavailable >= r.max503Attempts) {
            this.metrics.error('ServerUnavailableError');
            throw new ServerUnavailableError({ reason, status, attempts: attempt, request: info });
          }
          await this.#wait(base, 'unavailable', backoffMs(unavailable, r), o.signal);
          continue;
        }
        failures++;
        if (failures >= r.maxAttempts) {
          this.metrics.error('ServerUnavailableError');
          throw new ServerUnavailableError({ reason, status, attempts: attempt, request: info });
        }
        await this.#wait(base, 'server-error', backoffMs(failures, r), o.signal);
        continue;
      }

      // 4xx other than 429 (and any 1xx/3xx that reach here): the game's answer, not retried.
      const gameCode = err?.code ?? status;
      const message = err?.message ?? (text.trim() ? text.trim().slice(0, 300) : `HTTP ${status}`);
      if (isAuthCode(status, err?.code)) {
        this.metrics.error('AuthError');
        throw new AuthError({ status, gameCode: err?.code, message, request: info });
      }
      this.metrics.error('GameError');
      throw new GameError({ status, gameCode, message, data: err?.data, request: info });
    }
  }

  async #wait(base: Omit<EventBase, 'at'>, reason: RetryReason, waitMs: number, signal?: AbortSignal): Promise<void> {
    this.metrics.retry(reason, waitMs);
    this.#emit({ ...base, type: 'retry', at: this.#at(), reason, waitMs });
    await sleep(this.#clock, waitMs, signal);
  }

  #at(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  #emit(e: ApiEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch {
        // A failing log listener must not break an API call.
      }
    }
  }
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface ErrorBody {
  code?: number;
  message?: string;
  data?: Record<string, unknown>;
}

function errorBody(json: unknown): ErrorBody | undefined {
  const e = (json as { error?: unknown } | undefined)?.error;
  if (!e || typeof e !== 'object') return undefined;
  const o = e as Record<string, unknown>;
  return {
    code: typeof o.code === 'number' ? o.code : undefined,
    message: typeof o.message === 'string' ? o.message : undefined,
    data: o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : undefined,
  };
}
