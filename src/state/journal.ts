import type { PlanFile } from '../plan/types.js';
import type { RunPnl } from '../pnl/realized.js';
import type { Fence } from './fence.js';
import { Store } from './store.js';

/**
 * The apply journal: what `st-goods apply` writes and `st-goods status` reads (LESSONS #9).
 *
 * Keys (all in the store's 'journal' namespace; written through the Store, so the same on
 * SQLite and Postgres):
 *   run:<runId>                 RunRecord (with a copy of the plan: status needs no plan file)
 *   task:<runId>:<taskId>       TaskRecord (progress, owner ship, the open intent if any)
 *   ship:<runId>:<ship>         ShipRecord (current step, the open refuel intent, fuel spent)
 *   step:<runId>:<seq>          StepRecord (append-only log: intent and result of every call)
 *   latest:<agent>              the newest runId of an agent
 *   byplan:<agent>:<planId>     the runId that carries out that plan
 *   gen:<agent>                 the agent's journal generation (bumped when a run starts or ends)
 *   stop:<runId>                set by `st-goods stop`: apply stops at its next step boundary
 *   map:<runId>                 RunMap: the system's markets with coordinates (for the dashboard's map)
 *
 * Crash safety: every record is one key written in one statement. A task's open intent lives in
 * its own record, so recording a call's result and closing its intent is a single write.
 */

export type RunStatus = 'running' | 'interrupted' | 'completed' | 'partial' | 'failed';
export type TaskStatus = 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped';

export interface ApiCounters {
  requests: number;
  purchases: number;
  sales: number;
  rateLimited: number;
  errors: number;
}

export interface RunRecord {
  runId: string;
  planId: string;
  agentSymbol: string;
  status: RunStatus;
  startedAt: string;
  updatedAt: string;
  endedAt?: string;
  /** Number of apply processes that worked on this run (1 + resumes). */
  attempts: number;
  pid: number;
  host: string;
  /** Game seconds per wall second of the server (1 for the real API). */
  timeScale: number;
  /** Wall milliseconds spent applying, summed over attempts (game time = × timeScale). */
  activeMs: number;
  api: ApiCounters;
  /** Why the run ended (failed tasks, interruption). */
  message?: string;
  /** Set when `apply SPEC --replan` abandoned this run for a new plan: that plan's id. */
  abandonedFor?: string;
  /** (issue 15) The agent's credits when the run's first attempt started (for the P&L's credit check). */
  creditsAtStart?: number;
  /** (issue 15) The plan's goods in its ships' holds when the run started: never sold as surplus. */
  holdsAtStart?: Array<{ ship: string; good: string; units: number }>;
  /** (issue 15) The run's realized P&L as its last attempt ended (src/pnl; status recomputes it live from the steps). */
  pnl?: RunPnl;
  /** (issue 15) What the run's surplus step left in the holds (with why) or kept (policy.surplus: keep); its sales are steps. */
  surplus?: { left: Array<{ ship: string; good: string; units: number; why: string }>; kept?: Array<{ ship: string; good: string; units: number }> };
  plan: PlanFile;
}

export interface Intent {
  id: string;
  /** (extract, transfer and jettison added for issue 14: extraction crews; jump for issue 13) */
  kind: 'buy' | 'sell' | 'refuel' | 'deliver' | 'extract' | 'transfer' | 'jettison' | 'jump';
  /** deliver: the contract delivered to. */
  contractId?: string;
  /** (issue 13) jump: the gate jumped to (`waypoint` is the origin gate, whose ANTIMATTER pays). */
  destination?: string;
  /** (issue 13) deliver: the construction site supplied (absent for a contract delivery). */
  constructionSite?: string;
  ship: string;
  waypoint: string;
  good: string;
  units: number;
  /** Units of `good` in the ship's hold just before the call (to reconcile by cargo). */
  cargoBefore: number;
  /** The price seen on the market just before the call. */
  expectedUnitPrice: number;
  at: string;
  /** extract: the whole hold just before the call, by good (the yield is what grew). */
  hold?: Record<string, number>;
  /** extract: the survey's signature, when extracting with one. */
  survey?: string;
  /** transfer: the ship the units are pulled from (`ship` receives them). */
  from?: string;
  /** sell: a yield the plan does not want, sold where the good is delivered (earned, not delivered). */
  unwanted?: true;
}

/** (issue 14) An extraction task's own counts, kept across resumes (src/executor/extraction). */
export interface ExtractionProgress {
  /** Where the crew works now (the plan's site, or an alternate after 4253), and since when. */
  site: string;
  siteAt: string;
  extractions: number;
  /** Units this ship extracted for the task, by good (the wanted good and the rest). */
  yields: Record<string, number>;
  jettisoned: Record<string, number>;
  /** haul: units pulled by transfer, by good and source ship (`GOOD@SHIP`). */
  pulled: Record<string, number>;
  surveys: number;
  /** The best survey this ship made for the good (shared with the crew). */
  survey?: import('../api/types.js').Survey;
  /** The reactor cooldown after the last action (real time). */
  cooldownUntil?: string;
  /** An asteroid found unstable (4253), and until when. */
  unstable?: { waypoint: string; until: string };
}

export interface TaskRecord {
  taskId: string;
  status: TaskStatus;
  /** The ship that owns the task now (the planner's, or the one it was handed to). */
  ship: string;
  /** Units bought for this task (owned by it until delivered). */
  acquired: number;
  /** Units handed to the destination (sold into the factory, or kept in hold for 'hold'). */
  delivered: number;
  spent: number;
  earned: number;
  trips: number;
  pending?: Intent;
  /**
   * A price ceiling the plan derived from estimated asks, re-derived by apply from the first real
   * ask it saw at the source (task guards.estimated): the value in force, and what it came from.
   */
  ceiling?: { maxUnitPrice: number; planned: number; observedAsk: number; waypoint: string; at: string };
  /** A factory source's production wait (kept across resumes: hysteresis and timeout continue). */
  gate?: { open: boolean; waited: number; best: number; poll: number };
  /** (issue 14) An extraction task's progress: yields, jettisons, transfers, surveys, site. */
  extraction?: ExtractionProgress;
  step?: string;
  reason?: string;
  startedAt?: string;
  endedAt?: string;
  updatedAt: string;
}

export interface ShipRecord {
  ship: string;
  state: 'idle' | 'working' | 'failed' | 'done';
  step?: string;
  taskId?: string;
  fuelSpent: number;
  /** (issue 13) Credits of the jumps it made (one ANTIMATTER each). */
  jumpSpent?: number;
  pending?: Intent;
  reason?: string;
  updatedAt: string;
}

/** A waypoint with its coordinates (from the ship's route or the market listings). */
export interface MapPoint {
  symbol: string;
  x: number;
  y: number;
}

/** What a ship saw of one good at a market (the plan's goods only), for the dashboard's factory panel. */
export interface SeenGood {
  good: string;
  supply: string;
  activity?: string;
  purchasePrice: number;
  sellPrice: number;
}

/**
 * One line of the append-only step log. Kinds: navigate, dock, position (where a lane found its
 * ship), market (a read with a ship present), wait (a production wait), and buy/sell/refuel/
 * deliver as .intent, .result, .error or .reconciled.
 */
export interface StepRecord {
  seq: number;
  runId: string;
  taskId?: string;
  ship: string;
  kind: string;
  /** Where the step happened (dock, market, wait, position). */
  waypoint?: string;
  intent?: Intent;
  result?: { units: number; totalPrice: number; pricePerUnit: number; reconciled?: boolean; happened: boolean };
  /** (issue 14) extract, transfer and jettison results: the good the units were of (an extraction yields one good of several). */
  yield?: { good: string; units: number };
  /** (issue 14) survey results: the surveys made, as signature, size and deposits. */
  surveys?: Array<{ signature: string; size: string; deposits: string[]; expiration: string }>;
  /** Trade and refuel results: the agent's credits after the call. */
  credits?: number;
  /** navigate: the flight, with the server's (real-time) departure and arrival. */
  nav?: { from: MapPoint; to: MapPoint; departure: string; arrival: string; mode?: string };
  /** position: the ship's waypoint with its coordinates. */
  position?: MapPoint;
  /** wait: game seconds waited, why, and the real time the wait ends. */
  wait?: { seconds: number; reason: string; until: string };
  /** market: what the ship saw of the plan's goods there. */
  market?: SeenGood[];
  error?: string;
  /** contract.* steps: the contract accepted or fulfilled (result.totalPrice is the payment). */
  contractId?: string;
  /** (issue 13) construction steps: the site's bill as the game last answered it (a read, or a supply's response). */
  construction?: ConstructionSeen;
  /** fleet.select: the plan's rule re-evaluated between tasks: the ships it matches now, and those that joined the run. */
  fleet?: { matched: string[]; joined: string[] };
  at: string;
}

/** A construction site's bill as the game answered it. */
export interface ConstructionSeen {
  waypoint: string;
  materials: Array<{ good: string; required: number; fulfilled: number }>;
  isComplete: boolean;
}

/** The run's system as apply knew it at start: every market with its coordinates. */
export interface RunMap {
  system: string;
  markets: Array<MapPoint & { exports: string[]; imports: string[] }>;
}

export class Journal {
  /**
   * `fence`: the lock token of the apply that writes through this journal; every write names it
   * and is refused (LOCK_LOST) once another apply took the agent's lock. Readers pass none.
   */
  constructor(
    readonly store: Store,
    readonly fence?: Fence,
  ) {}

  #get<T>(key: string): Promise<T | undefined> {
    return this.store.get<T>(NS, key);
  }

  #put(key: string, value: unknown): Promise<void> {
    return this.store.put(NS, key, value, this.fence);
  }

  async generation(agent: string): Promise<number> {
    return (await this.#get<number>(`gen:${agent}`)) ?? 0;
  }

  /** Bumps the agent's generation: plans made before this can no longer start a new run. */
  async bumpGeneration(agent: string): Promise<number> {
    for (;;) {
      const raw = await this.store.getRaw(NS, `gen:${agent}`);
      const next = (Store.decode<number>(raw) ?? 0) + 1;
      if (await this.store.compareAndSet(NS, `gen:${agent}`, raw, next, this.fence)) return next;
    }
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.#get<RunRecord>(`run:${runId}`);
  }

  async putRun(run: RunRecord): Promise<void> {
    run.updatedAt = new Date().toISOString();
    await this.#put(`run:${run.runId}`, run);
  }

  async latestRunId(agent?: string): Promise<string | undefined> {
    return this.#get<string>(`latest:${agent ?? '*'}`);
  }

  async runForPlan(agent: string, planId: string): Promise<string | undefined> {
    return this.#get<string>(`byplan:${agent}:${planId}`);
  }

  async createRun(run: RunRecord): Promise<void> {
    await this.putRun(run);
    await this.#put(`byplan:${run.agentSymbol}:${run.planId}`, run.runId);
    await this.#put(`latest:${run.agentSymbol}`, run.runId);
    await this.#put('latest:*', run.runId);
  }

  async getTask(runId: string, taskId: string): Promise<TaskRecord | undefined> {
    return this.#get<TaskRecord>(`task:${runId}:${taskId}`);
  }

  async putTask(runId: string, task: TaskRecord): Promise<void> {
    task.updatedAt = new Date().toISOString();
    await this.#put(`task:${runId}:${task.taskId}`, task);
  }

  async getTasks(runId: string, taskIds: string[]): Promise<Map<string, TaskRecord>> {
    return byId(taskIds, await this.store.getMany<TaskRecord>(NS, taskIds.map((id) => `task:${runId}:${id}`)));
  }

  async getShip(runId: string, ship: string): Promise<ShipRecord | undefined> {
    return this.#get<ShipRecord>(`ship:${runId}:${ship}`);
  }

  async putShip(runId: string, ship: ShipRecord): Promise<void> {
    ship.updatedAt = new Date().toISOString();
    await this.#put(`ship:${runId}:${ship.ship}`, ship);
  }

  async getShips(runId: string, ships: string[]): Promise<Map<string, ShipRecord>> {
    return byId(ships, await this.store.getMany<ShipRecord>(NS, ships.map((s) => `ship:${runId}:${s}`)));
  }

  async appendStep(step: StepRecord): Promise<void> {
    await this.#put(stepKey(step.runId, step.seq), step);
  }

  /** All steps of a run, in order. */
  async steps(runId: string): Promise<StepRecord[]> {
    return (await this.store.scan(NS, `step:${runId}:`)).map((r) => Store.decode<StepRecord>(r.value)!);
  }

  async lastStepSeq(runId: string): Promise<number> {
    const [last] = await this.store.scan(NS, `step:${runId}:`, { last: true });
    return last ? Number(last.key.slice(last.key.lastIndexOf(':') + 1)) : 0;
  }

  async putMap(runId: string, map: RunMap): Promise<void> {
    await this.#put(`map:${runId}`, map);
  }

  async getMap(runId: string): Promise<RunMap | undefined> {
    return this.#get<RunMap>(`map:${runId}`);
  }

  /** Steps after `afterSeq`, in order (the dashboard's live event stream). */
  async stepsAfter(runId: string, afterSeq: number): Promise<StepRecord[]> {
    return (await this.store.scan(NS, `step:${runId}:`, { after: stepKey(runId, afterSeq) })).map((r) => Store.decode<StepRecord>(r.value)!);
  }

  /** `st-goods stop`: written by another process than the holder, so never fenced. */
  async requestStop(runId: string): Promise<void> {
    await this.store.put(NS, `stop:${runId}`, new Date().toISOString());
  }

  async stopRequested(runId: string): Promise<boolean> {
    return (await this.#get(`stop:${runId}`)) !== undefined;
  }

  async clearStop(runId: string): Promise<void> {
    await this.store.remove(NS, `stop:${runId}`, this.fence);
  }

  /** Every run in the store, newest first (for `status` without a RUN). */
  async runs(): Promise<RunRecord[]> {
    return (await this.store.scan(NS, 'run:')).map((r) => Store.decode<RunRecord>(r.value)!).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }
}

const NS = 'journal';

function stepKey(runId: string, seq: number): string {
  return `step:${runId}:${String(seq).padStart(8, '0')}`;
}

function byId<T>(ids: string[], values: Array<T | undefined>): Map<string, T> {
  const out = new Map<string, T>();
  ids.forEach((id, i) => {
    const v = values[i];
    if (v) out.set(id, v);
  });
  return out;
}

/** Credits actually spent by a run: purchases of its tasks plus fuel bought (and jumps made) by its ships. */
export function actualSpend(tasks: Iterable<TaskRecord>, ships: Iterable<ShipRecord>): number {
  let sum = 0;
  for (const t of tasks) sum += t.spent;
  for (const s of ships) sum += s.fuelSpent + (s.jumpSpent ?? 0);
  return sum;
}
