/**
 * Helpers for the apply e2e tests and scripts/crash-torture.ts: a simulator world, a real plan
 * file (sealed with its planId, valid against the plan schema) for a three-level production with
 * three ships, and a runner for the real CLI binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpaceTradersClient } from '../../src/api/client.js';
import { Secret } from '../../src/config/redact.js';
import { envelope, parsePlan, serializePlan } from '../../src/plan/file.js';
import type { PlanBody, PlanFile, TaskSource } from '../../src/plan/types.js';
import { Journal, actualSpend } from '../../src/state/journal.js';
import { Store } from '../../src/state/store.js';
import { withSim, type TestSim } from '../helpers/sim.js';
import { makePlan, task } from '../unit/executor/plan-fixture.js';
import { prng } from '../../src/sim/random.js';

export const BIN = path.resolve('bin/run.js');

export interface E2EWorld {
  sim: TestSim;
  client: SpaceTradersClient;
  dir: string;
  env: NodeJS.ProcessEnv;
  store: string;
  close(): Promise<void>;
}

/** `store`: the store location (a postgres:// URL); default a SQLite file in the world's folder. */
export async function e2eWorld(opts: { haulers?: number; timeScale?: number; seed?: number; store?: string } = {}): Promise<E2EWorld> {
  const sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: opts.timeScale ?? 2000, seed: opts.seed ?? 5, config: { startingCredits: 5_000_000 } });
  const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
  const probe = (await client.listShips()).find((s) => s.cargo.capacity === 0)!;
  for (let i = 0; i < (opts.haulers ?? 2); i++) await client.purchaseShip('SHIP_LIGHT_HAULER', probe.nav.waypointSymbol);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-apply-e2e-'));
  const store = opts.store ?? path.join(dir, 'store.sqlite');
  const env = { ...process.env, NO_COLOR: '1', CI: '1', ST_BASE_URL: sim.baseUrl, ST_TOKEN: sim.token, ST_GOODS_STORE: store, ST_GOODS_CONFIG_DIR: dir };
  return {
    sim,
    client,
    dir,
    env,
    store,
    async close() {
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const factory = (waypoint: string): TaskSource => ({ kind: 'factory', waypoint, minSupply: 'MODERATE', resumeSupply: 'HIGH', pollSeconds: 30, maxPollSeconds: 300, timeoutSeconds: 7200 });
const feed = (waypoint: string, forGood: string) => ({ kind: 'feed' as const, waypoint, forGood });

/** ADVANCED_CIRCUITRY ← ELECTRONICS, MICROPROCESSORS ← SILICON_CRYSTALS, COPPER on X1-AD75, three ships. */
export async function circuitryPlan(w: E2EWorld, quantity = 20): Promise<PlanFile> {
  const a = w.sim.agentSymbol;
  const [s1, s2, s3] = [`${a}-1`, `${a}-3`, `${a}-4`];
  const draft = makePlan({
    agent: a,
    fleet: [s1, s2, s3],
    target: { good: 'ADVANCED_CIRCUITRY', quantity },
    tasks: [
      task({ id: 'sil-ELEC', good: 'SILICON_CRYSTALS', quantity: 40, ship: s1, tradeVolume: 180, source: { kind: 'market', waypoint: 'X1-AD75-B7' }, destination: feed('X1-AD75-F49', 'ELECTRONICS') }),
      task({ id: 'cop-ELEC', good: 'COPPER', quantity: 40, ship: s2, tradeVolume: 60, source: { kind: 'market', waypoint: 'X1-AD75-H51' }, destination: feed('X1-AD75-F49', 'ELECTRONICS') }),
      task({ id: 'sil-MICRO', good: 'SILICON_CRYSTALS', quantity: 40, ship: s3, tradeVolume: 180, source: { kind: 'market', waypoint: 'X1-AD75-H53' }, destination: feed('X1-AD75-A3', 'MICROPROCESSORS') }),
      task({ id: 'cop-MICRO', good: 'COPPER', quantity: 40, ship: s3, tradeVolume: 60, source: { kind: 'market', waypoint: 'X1-AD75-H51' }, destination: feed('X1-AD75-A3', 'MICROPROCESSORS') }),
      task({ id: 'ELEC-ADV', good: 'ELECTRONICS', quantity, ship: s1, dependsOn: ['sil-ELEC', 'cop-ELEC'], source: factory('X1-AD75-F49'), destination: feed('X1-AD75-D44', 'ADVANCED_CIRCUITRY') }),
      task({ id: 'MICRO-ADV', good: 'MICROPROCESSORS', quantity, ship: s2, dependsOn: ['sil-MICRO', 'cop-MICRO'], source: factory('X1-AD75-A3'), destination: feed('X1-AD75-D44', 'ADVANCED_CIRCUITRY') }),
      task({ id: 'ADV', good: 'ADVANCED_CIRCUITRY', quantity, ship: s3, dependsOn: ['ELEC-ADV', 'MICRO-ADV'], source: factory('X1-AD75-D44'), destination: { kind: 'hold' } }),
    ],
  });
  const status = await w.client.getStatus();
  const ships = await w.client.listShips();
  const { planId: _p, toolVersion: _t, createdAt: _c, expiresAt: _e, ...body } = draft;
  const sealed: PlanBody = {
    ...body,
    lineage: { agentSymbol: a, resetDate: status.resetDate },
    fleet: [s1, s2, s3].map((sym) => {
      const s = ships.find((x) => x.symbol === sym)!;
      return { symbol: sym, role: s.registration.role, frame: s.frame.symbol, cargoCapacity: s.cargo.capacity, fuelCapacity: s.fuel.capacity, speed: s.engine.speed, waypoint: s.nav.waypointSymbol };
    }),
    decisions: {
      good: 'ADVANCED_CIRCUITRY', quantity, action: 'MAKE', waypoint: 'X1-AD75-D44', reason: 'test', declined: [], estimatedCost: 0, taskIds: ['ADV'],
      inputs: [
        { good: 'ELECTRONICS', quantity, action: 'MAKE', waypoint: 'X1-AD75-F49', reason: 'test', declined: [], estimatedCost: 0, taskIds: ['ELEC-ADV'],
          inputs: [
            { good: 'SILICON_CRYSTALS', quantity: 40, action: 'BUY', waypoint: 'X1-AD75-B7', reason: 'test', declined: [], estimatedCost: 0, taskIds: ['sil-ELEC'], inputs: [] },
            { good: 'COPPER', quantity: 40, action: 'BUY', waypoint: 'X1-AD75-H51', reason: 'test', declined: [], estimatedCost: 0, taskIds: ['cop-ELEC'], inputs: [] },
          ] },
        { good: 'MICROPROCESSORS', quantity, action: 'MAKE', waypoint: 'X1-AD75-A3', reason: 'test', declined: [], estimatedCost: 0, taskIds: ['MICRO-ADV'],
          inputs: [
            { good: 'SILICON_CRYSTALS', quantity: 40, action: 'BUY', waypoint: 'X1-AD75-H53', reason: 'test', declined: [], estimatedCost: 0, taskIds: ['sil-MICRO'], inputs: [] },
            { good: 'COPPER', quantity: 40, action: 'BUY', waypoint: 'X1-AD75-H51', reason: 'test', declined: [], estimatedCost: 0, taskIds: ['cop-MICRO'], inputs: [] },
          ] },
      ],
    },
  };
  return envelope(sealed, { now: new Date(), toolVersion: '0.0.0-test' });
}

/** Writes a plan and checks it reads back through the plan schema and hash. */
export function writeCheckedPlan(file: string, plan: PlanFile): string {
  const text = serializePlan(plan);
  parsePlan(text, file);
  fs.writeFileSync(file, text);
  return file;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; `done` resolves when it exits. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function cli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return startCli(args, env).done;
}


/** Waits until `file` contains `text` (bounded). */
export async function waitFor(file: string, text: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(text)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${text} in ${file}`);
}

/** Starts the CLI with `args` and SIGKILLs it as soon as `log` holds a new line containing `text` (bounded). */
export async function killAfter(args: string[], env: NodeJS.ProcessEnv, log: string, text: string): Promise<CliResult> {
  const seen = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').length : 0;
  const { child, done } = startCli(args, env);
  let exited = false;
  void done.then(() => (exited = true));
  const end = Date.now() + 60_000;
  while (!exited && Date.now() < end) {
    if (fs.existsSync(log) && fs.readFileSync(log, 'utf8').slice(seen).includes(text)) break;
    await new Promise((r) => setTimeout(r, 3));
  }
  child.kill('SIGKILL');
  return done;
}

/** A spec file for `quantity` IRON kept in the hold, in the world's folder (name iron-crash). */
export function ironSpec(w: E2EWorld, quantity: number, name = 'iron-crash'): string {
  const file = path.join(w.dir, `${name}.yaml`);
  fs.writeFileSync(file, `name: ${name}\nsystem: X1-AD75\ntarget:\n  good: IRON\n  quantity: ${quantity}\n  deliver: hold\nfleet:\n  select: {role: [HAULER]}\npolicy:\n  maxCredits: 500000\n`);
  return file;
}

/** Units of `good` in all the agent's holds. */
export async function holdsOf(w: E2EWorld, good: string): Promise<number> {
  return (await w.client.listShips()).reduce((a, s) => a + (s.cargo.inventory.find((i) => i.symbol === good)?.units ?? 0), 0);
}

/**
 * Runs `apply file` (or `args`, e.g. the cron form `apply SPEC --auto-approve`) and SIGKILLs it
 * at seeded points spread by progress: after 1..spread new journal events (the NDJSON log), plus
 * 0..30 ms; until `kills` kills or the run completes.
 */
export async function crashLoop(
  w: E2EWorld,
  file: string,
  opts: { seed: number; kills: number; spread: number; log: string; restartAt?: number; restart?: () => void; args?: string[] },
): Promise<{ killed: number; runs: number; completedEarly: boolean; restarted: boolean }> {
  const rand = prng(opts.seed);
  const lines = () => (fs.existsSync(opts.log) ? fs.readFileSync(opts.log, 'utf8').split('\n').length - 1 : 0);
  let killed = 0;
  let runs = 0;
  let restarted = false;
  for (let i = 0; i < opts.kills + 20 && killed < opts.kills; i++) {
    const target = lines() + 1 + Math.floor(rand() * opts.spread);
    const jitter = Math.floor(rand() * 30);
    const { child, done } = startCli([...(opts.args ?? ['apply', file]), '--log-json', opts.log], w.env);
    runs++;
    let exited = false;
    void done.then(() => (exited = true));
    while (!exited && lines() < target) await new Promise((r) => setTimeout(r, 3));
    // `restart` (the store's server) once, under the running apply, before this kill point.
    if (!exited && opts.restart && i === opts.restartAt) {
      opts.restart();
      restarted = true;
      const after = lines() + 1 + Math.floor(rand() * opts.spread);
      while (!exited && lines() < after) await new Promise((r) => setTimeout(r, 3));
    }
    if (!exited) {
      await new Promise((r) => setTimeout(r, jitter));
      child.kill('SIGKILL');
    }
    const r = await done;
    if (r.signal === 'SIGKILL') killed++;
    else if (r.code === 0 && /completed|already complete/.test(r.stdout)) return { killed, runs, completedEarly: true, restarted };
  }
  return { killed, runs, completedEarly: false, restarted };
}

/**
 * What must hold once the circuitry plan is complete: the target in the last ship's hold, no
 * other cargo anywhere, no open intent, every task bought exactly its quantity, and the credits
 * the game moved equal to the journal's purchases + fuel − sales. Returns the problems found.
 */
export async function verifyFinished(w: E2EWorld, planId: string, creditsBefore: number): Promise<string[]> {
  const problems: string[] = [];
  const a = w.sim.agentSymbol;
  const last = await w.client.getShip(`${a}-4`);
  const adv = last.cargo.inventory.find((i) => i.symbol === 'ADVANCED_CIRCUITRY')?.units ?? 0;
  if (adv !== 20) problems.push(`target in the hold: ${adv} ADVANCED_CIRCUITRY, expected 20`);
  if (last.cargo.units !== adv) problems.push(`${a}-4 holds other cargo: ${JSON.stringify(last.cargo.inventory)}`);
  for (const s of [`${a}-1`, `${a}-3`]) {
    const ship = await w.client.getShip(s);
    if (ship.cargo.units !== 0) problems.push(`${s} has stranded cargo: ${JSON.stringify(ship.cargo.inventory)}`);
  }
  const store = await Store.open(w.store);
  try {
    const j = new Journal(store);
    const runId = await j.runForPlan(a, planId);
    const run = runId ? await j.getRun(runId) : undefined;
    if (!runId || !run) return [...problems, 'no run in the journal'];
    if (run.status !== 'completed') problems.push(`run status ${run.status}`);
    const tasks = await j.getTasks(runId, run.plan.tasks.map((t) => t.id));
    const ships = await j.getShips(runId, [`${a}-1`, `${a}-3`, `${a}-4`]);
    for (const t of tasks.values()) {
      if (t.pending) problems.push(`open intent in ${t.taskId}`);
      const q = run.plan.tasks.find((x) => x.id === t.taskId)!.quantity;
      if (t.acquired !== q) problems.push(`${t.taskId} acquired ${t.acquired}, expected ${q} (bought twice or lost?)`);
    }
    const spent = actualSpend(tasks.values(), ships.values());
    const earned = [...tasks.values()].reduce((x, t) => x + t.earned, 0);
    const after = (await w.client.getAgent()).credits;
    if (creditsBefore - after !== spent - earned) problems.push(`credits moved ${creditsBefore - after} != journal ${spent} spent - ${earned} earned`);
  } finally {
    await store.close();
  }
  return problems;
}
