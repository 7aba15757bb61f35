/**
 * The Universe: one world, its live state and the operations on it. handle() is the only entry
 * point for requests; it authenticates, dispatches by operationId and turns ApiErrors into error
 * bodies. Work per request is limited to what the request touches (lazy arrivals and market ticks).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { components } from '../../api/generated/spacetraders.js';
import { GameTime, systemClock, type SimClock } from './clock.js';
import { resolveConfig, type SimConfig } from './config.js';
import { advanceMarket, newMarketState, type MarketState } from './economy.js';
import { ApiError } from './errors.js';
import * as render from './render.js';
import type { AgentState, ConstructionMaterialState, ShipState, UniverseState } from './state.js';
import type { EngineRequest, EngineResponse } from './types.js';
import { systemOfWaypoint, type WorldDefinition, type WorldJumpGate, type WorldSectorSystem, type WorldShipyard, type WorldWaypoint } from '../world/types.js';
import { validateWorld } from '../world/load.js';
import { jumpGatesOf, systemsOf } from '../world/sector.js';
import { OPERATIONS, type Operation } from './ops/index.js';
import { modulesOf, mountsOf } from './equipment.js';

type S = components['schemas'];

const SAVE_FORMAT = 'st-goods-sim-state/1';

export interface SavedUniverse {
  format: typeof SAVE_FORMAT;
  config: SimConfig;
  world: WorldDefinition;
  state: UniverseState;
}

export interface OpContext {
  u: Universe;
  req: EngineRequest;
  /** The authenticated agent (always set for operations that require a token). */
  agent?: AgentState;
}

/** An account token for POST /register (the simulator accepts any non-empty bearer as one). */
export const SIM_ACCOUNT_TOKEN = 'sim-account';

export class Universe {
  readonly config: SimConfig;
  readonly world: WorldDefinition;
  readonly state: UniverseState;
  readonly time: GameTime;
  readonly waypoints: ReadonlyMap<string, WorldWaypoint>;
  /** Waypoint → its orbitals (moons and stations). */
  readonly orbitals: ReadonlyMap<string, string[]>;
  /** Every system of the sector (the home one first), by symbol. */
  readonly systems: ReadonlyMap<string, WorldSectorSystem>;
  readonly shipyards: ReadonlyMap<string, WorldShipyard>;
  /** Jump gates by waypoint symbol. */
  readonly gates: ReadonlyMap<string, WorldJumpGate>;
  private readonly tokenSecret: string;

  private constructor(world: WorldDefinition, config: SimConfig, clock: SimClock, state: UniverseState, tokenSecret: string) {
    this.world = world;
    this.config = config;
    this.state = state;
    this.tokenSecret = tokenSecret;
    this.time = new GameTime(clock, config.timeScale, state.time.anchorReal, state.time.anchorGame);
    const systems = systemsOf(world);
    this.systems = new Map(systems.map((s) => [s.system.symbol, s]));
    this.waypoints = new Map(systems.flatMap((s) => s.waypoints.map((w) => [w.symbol, w] as const)));
    this.shipyards = new Map(systems.flatMap((s) => s.shipyards.map((y) => [y.symbol, y] as const)));
    this.gates = new Map(jumpGatesOf(world).map((g) => [g.symbol, g]));
    const orbitals = new Map<string, string[]>();
    for (const w of this.waypoints.values()) {
      if (w.orbits) orbitals.set(w.orbits, [...(orbitals.get(w.orbits) ?? []), w.symbol]);
    }
    this.orbitals = orbitals;
    // Saves from before the sector have no construction sites or charts yet.
    state.constructions ??= initialConstructions(world);
    state.charts ??= {};
  }

  static create(opts: { world: WorldDefinition; config?: Partial<SimConfig>; clock?: SimClock; seed?: number }): Universe {
    validateWorld(opts.world);
    const config = resolveConfig(opts.config);
    const clock = opts.clock ?? systemClock;
    const now = clock.now();
    const markets: Record<string, MarketState> = {};
    for (const s of systemsOf(opts.world)) for (const m of s.markets) markets[m.symbol] = newMarketState(m, config, 0);
    const state: UniverseState = {
      seed: opts.seed ?? 1,
      resetDate: new Date(now).toISOString().slice(0, 10),
      createdMs: now,
      time: { anchorReal: now, anchorGame: 0 },
      agents: {},
      tokens: {},
      ships: {},
      markets,
      contracts: {},
      shipyardTransactions: {},
      shipPriceFactor: {},
      constructions: initialConstructions(opts.world),
      charts: {},
      counter: 0,
    };
    return new Universe(opts.world, config, clock, state, randomBytes(24).toString('hex'));
  }

  /** Restore a universe saved by toJSON(). Game time continues from the save's clock reading. */
  static fromJSON(json: unknown, opts: { clock?: SimClock; config?: Partial<SimConfig> } = {}): Universe {
    const saved = json as Partial<SavedUniverse> & { tokenSecret?: string };
    if (!saved || typeof saved !== 'object' || saved.format !== SAVE_FORMAT || !saved.world || !saved.state || !saved.config) {
      throw new Error(`not a saved st-goods sim state (expected format "${SAVE_FORMAT}")`);
    }
    validateWorld(saved.world);
    const config = resolveConfig({ ...saved.config, ...(opts.config ?? {}) });
    const state = structuredClone(saved.state);
    const clock = opts.clock ?? systemClock;
    // Game time continues where the saved anchor says it is at the restoring clock's now.
    const savedScale = saved.config.timeScale;
    const gameNow = state.time.anchorGame + (clock.now() - state.time.anchorReal) * savedScale;
    state.time = { anchorReal: clock.now(), anchorGame: gameNow };
    return new Universe(saved.world, config, clock, state, saved.tokenSecret ?? randomBytes(24).toString('hex'));
  }

  /** Everything needed to resume mid-game (including agent tokens: keep the file private). */
  toJSON(): SavedUniverse & { tokenSecret: string } {
    this.state.time = this.time.toJSON();
    return { format: SAVE_FORMAT, config: this.config, world: this.world, state: structuredClone(this.state), tokenSecret: this.tokenSecret };
  }

  agentForToken(token: string): string | undefined {
    return this.state.tokens[token];
  }

  handle(req: EngineRequest): EngineResponse {
    const op: Operation | undefined = OPERATIONS[req.operationId];
    if (!op) {
      return {
        status: 501,
        body: { error: { code: 501, message: `st-goods sim does not implement ${req.operationId}${describeOperation(req.operationId)}` } },
      };
    }
    try {
      const ctx: OpContext = { u: this, req };
      if (op.auth === 'account') {
        // The official spec secures POST /register with an AccountToken; here any non-empty bearer is one.
        if (!req.token) throw new ApiError(401, 4116, `Missing account token in request: POST /register needs the account token as Bearer (st-goods sim accepts any non-empty one, e.g. "Authorization: Bearer ${SIM_ACCOUNT_TOKEN}").`);
      } else {
        const agent = this.authenticate(req.token, op.auth === 'required');
        if (agent) ctx.agent = agent;
      }
      return op.run(ctx);
    } catch (e) {
      if (e instanceof ApiError) return { status: e.status, body: e.toBody() };
      const message = e instanceof Error ? e.message : String(e);
      return { status: 500, body: { error: { code: 500, message: `st-goods sim internal error: ${message}` } } };
    }
  }

  // ---- auth ----

  private authenticate(token: string | undefined, required: boolean): AgentState | undefined {
    if (!token) {
      if (required) throw new ApiError(401, 4103, 'Missing Bearer token in the request. Did you correctly set the Authorization header?');
      return undefined;
    }
    const symbol = this.state.tokens[token];
    if (symbol) return this.state.agents[symbol];
    const resetDate = tokenResetDate(token);
    if (resetDate !== undefined && resetDate !== this.state.resetDate) {
      throw new ApiError(401, 4113, `Token reset_date does not match the server. Server resets happen on a weekly to bi-weekly frequency during alpha. After a reset, you should re-register your agent. Expected: ${this.state.resetDate}, Actual: ${resetDate}`);
    }
    throw new ApiError(401, 4104, 'Invalid token: this agent token is not known to this st-goods sim universe. Register a new agent (POST /register).');
  }

  /** A JWT-shaped agent token embedding the agent symbol and the reset date. */
  issueToken(agentSymbol: string): string {
    const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const header = b64({ alg: 'HS256', typ: 'JWT' });
    const payload = b64({
      identifier: agentSymbol,
      version: 'v2.3.0',
      reset_date: this.state.resetDate,
      iat: Math.floor(this.time.realNow() / 1000),
      sub: 'agent-token',
      nonce: ++this.state.counter,
    });
    const signature = createHmac('sha256', this.tokenSecret).update(`${header}.${payload}`).digest('base64url');
    const token = `${header}.${payload}.${signature}`;
    this.state.tokens[token] = agentSymbol;
    return token;
  }

  // ---- time, ships, markets ----

  realNow(): number {
    return this.time.realNow();
  }

  /** The ship with lazy arrival applied. */
  settle(ship: ShipState): ShipState {
    if (ship.status === 'IN_TRANSIT' && this.realNow() >= ship.arrivalMs) ship.status = 'IN_ORBIT';
    return ship;
  }

  /** The agent's ship, or 404 (another agent's ship is indistinguishable from a missing one). */
  ownShip(agent: AgentState, shipSymbol: string | undefined): ShipState {
    const ship = shipSymbol ? this.state.ships[shipSymbol.toUpperCase()] : undefined;
    if (!ship || ship.agent !== agent.symbol) throw new ApiError(404, 404, `Ship ${shipSymbol ?? ''} not found.`, { shipSymbol });
    return this.settle(ship);
  }

  agentShips(agent: AgentState): ShipState[] {
    const out: ShipState[] = [];
    for (let i = 1; i <= agent.shipCounter; i++) {
      const s = this.state.ships[shipSymbolFor(agent.symbol, i)];
      if (s) out.push(this.settle(s));
    }
    return out;
  }

  /** True when one of the agent's ships is at the waypoint (docked or in orbit, not in transit). */
  hasShipAt(agent: AgentState | undefined, waypoint: string): boolean {
    if (!agent) return false;
    return this.agentShips(agent).some((s) => s.waypoint === waypoint && s.status !== 'IN_TRANSIT');
  }

  /** The market at a waypoint, brought up to date (its tick computed lazily). */
  market(waypoint: string): MarketState | undefined {
    const m = this.state.markets[waypoint];
    if (m) advanceMarket(m, this.time.gameNow(), this.config, this.world.exportToImportMap);
    return m;
  }

  waypoint(symbol: string): WorldWaypoint | undefined {
    return this.waypoints.get(symbol);
  }

  /** The system symbol of a waypoint symbol (X1-AD75-A1 → X1-AD75). */
  systemOf(waypoint: string): string {
    return systemOfWaypoint(waypoint);
  }

  /** A construction site's bill as delivered so far (undefined: the waypoint is no construction site). */
  construction(waypoint: string): ConstructionMaterialState[] | undefined {
    return this.state.constructions[waypoint];
  }

  /** True while the waypoint is under construction: a site with materials still missing, or a world flag. */
  isUnderConstruction(w: WorldWaypoint): boolean {
    const site = this.state.constructions[w.symbol];
    if (site) return site.some((m) => m.fulfilled < m.required);
    return w.isUnderConstruction ?? false;
  }

  /** True unless the waypoint starts UNCHARTED and no agent has charted it yet. */
  isCharted(w: WorldWaypoint): boolean {
    return !w.traits.includes('UNCHARTED') || this.state.charts[w.symbol] !== undefined;
  }

  // ---- rendering shared by operations ----

  renderAgent(agent: AgentState): S['Agent'] {
    return {
      accountId: agent.accountId,
      symbol: agent.symbol,
      headquarters: agent.headquarters,
      credits: agent.credits,
      startingFaction: agent.faction,
      shipCount: this.agentShips(agent).length,
    };
  }

  routeWaypoint(symbol: string): S['ShipNavRouteWaypoint'] {
    const w = this.waypoints.get(symbol);
    return { symbol, type: w?.type ?? 'PLANET', systemSymbol: systemOfWaypoint(symbol), x: w?.x ?? 0, y: w?.y ?? 0 };
  }

  renderNav(ship: ShipState): S['ShipNav'] {
    this.settle(ship);
    const origin = this.routeWaypoint(ship.origin);
    // The spec's ShipNavRoute also requires the deprecated `departure` (the origin waypoint).
    const route: S['ShipNavRoute'] & { departure: S['ShipNavRouteWaypoint'] } = {
      destination: this.routeWaypoint(ship.waypoint),
      departure: origin,
      origin,
      departureTime: render.isoTime(ship.departureMs),
      arrival: render.isoTime(ship.arrivalMs),
    };
    return {
      systemSymbol: systemOfWaypoint(ship.waypoint),
      waypointSymbol: ship.waypoint,
      route,
      status: ship.status,
      flightMode: ship.flightMode,
    };
  }

  renderCargo(ship: ShipState): S['ShipCargo'] {
    const inventory: S['ShipCargoItem'][] = [];
    let units = 0;
    for (const [symbol, n] of Object.entries(ship.cargo)) {
      if (n <= 0) continue;
      const g = render.tradeGood(symbol);
      inventory.push({ symbol: g.symbol, name: g.name, description: g.description, units: n });
      units += n;
    }
    return { capacity: this.config.ships[ship.type].cargoCapacity, units, inventory };
  }

  renderFuel(ship: ShipState): S['ShipFuel'] {
    const fuel: S['ShipFuel'] = { current: ship.fuel, capacity: this.config.ships[ship.type].fuelCapacity };
    if (ship.fuelConsumed) fuel.consumed = { amount: ship.fuelConsumed.amount, timestamp: render.isoTime(ship.fuelConsumed.timestampMs) };
    return fuel;
  }

  renderShip(ship: ShipState): S['Ship'] {
    const spec = this.config.ships[ship.type];
    return {
      symbol: ship.symbol,
      registration: { name: ship.symbol, factionSymbol: this.state.agents[ship.agent]?.faction ?? this.world.faction, role: spec.role },
      nav: this.renderNav(ship),
      crew: { current: spec.crew.required, required: spec.crew.required, capacity: spec.crew.capacity, rotation: 'STRICT', morale: 100, wages: 0 },
      frame: render.shipFrame(spec, ship.type, modulesOf(ship), mountsOf(ship)),
      reactor: render.shipReactor(spec),
      engine: render.shipEngine(spec),
      cooldown: this.renderCooldown(ship),
      modules: render.shipModules(spec, modulesOf(ship)),
      mounts: render.shipMounts(mountsOf(ship)),
      cargo: this.renderCargo(ship),
      fuel: this.renderFuel(ship),
    };
  }

  /** The reactor cooldown as the API shows it: totalSeconds in game seconds, remainingSeconds and expiration in real time. */
  renderCooldown(ship: ShipState): S['Cooldown'] {
    const c = ship.cooldown;
    const remainingMs = c ? c.expirationMs - this.realNow() : 0;
    if (!c || remainingMs <= 0) return { shipSymbol: ship.symbol, totalSeconds: 0, remainingSeconds: 0 };
    return { shipSymbol: ship.symbol, totalSeconds: c.totalSeconds, remainingSeconds: Math.ceil(remainingMs / 1000), expiration: render.isoTime(c.expirationMs) };
  }

  cargoUnits(ship: ShipState): number {
    let n = 0;
    for (const v of Object.values(ship.cargo)) n += v;
    return n;
  }
}

function initialConstructions(world: WorldDefinition): Record<string, ConstructionMaterialState[]> {
  const out: Record<string, ConstructionMaterialState[]> = {};
  for (const g of jumpGatesOf(world)) if (g.construction) out[g.symbol] = g.construction.map((m) => ({ ...m }));
  return out;
}

export function shipSymbolFor(agentSymbol: string, n: number): string {
  return `${agentSymbol}-${n.toString(16).toUpperCase()}`;
}

function tokenResetDate(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { reset_date?: unknown };
    return typeof payload.reset_date === 'string' ? payload.reset_date : undefined;
  } catch {
    return undefined;
  }
}

const KNOWN_PATHS: Record<string, string> = {
  'get-systems': 'GET /systems', 'get-jump-gate': 'GET /systems/{systemSymbol}/waypoints/{waypointSymbol}/jump-gate',
  'get-construction': 'GET /systems/{systemSymbol}/waypoints/{waypointSymbol}/construction',
  'supply-construction': 'POST /systems/{systemSymbol}/waypoints/{waypointSymbol}/construction/supply',
  'create-chart': 'POST /my/ships/{shipSymbol}/chart',
  'jump-ship': 'POST /my/ships/{shipSymbol}/jump', 'warp-ship': 'POST /my/ships/{shipSymbol}/warp',
  'create-ship-system-scan': 'POST /my/ships/{shipSymbol}/scan/systems', 'create-ship-waypoint-scan': 'POST /my/ships/{shipSymbol}/scan/waypoints',
  'create-ship-ship-scan': 'POST /my/ships/{shipSymbol}/scan/ships',
  'install-mount': 'POST /my/ships/{shipSymbol}/mounts/install',
  'remove-mount': 'POST /my/ships/{shipSymbol}/mounts/remove', 'get-scrap-ship': 'GET /my/ships/{shipSymbol}/scrap',
  'scrap-ship': 'POST /my/ships/{shipSymbol}/scrap', 'get-repair-ship': 'GET /my/ships/{shipSymbol}/repair',
  'repair-ship': 'POST /my/ships/{shipSymbol}/repair',
  'install-ship-module': 'POST /my/ships/{shipSymbol}/modules/install', 'remove-ship-module': 'POST /my/ships/{shipSymbol}/modules/remove',
};

function describeOperation(operationId: string): string {
  const p = KNOWN_PATHS[operationId];
  return p ? ` (${p})` : ' (unknown operation)';
}
