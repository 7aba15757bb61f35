import type { AddressInfo } from 'node:net';
import { UserError, invalidInput } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { Universe, loadWorld, type SimClock, type SimConfig, type WorldDefinition } from './engine/index.js';
import { createAdminHandler } from './http/admin.js';
import { FaultInjector, parseFaults, type FaultSpec } from './http/faults.js';
import { apiSpec } from './http/openapi.js';
import { createSimServer, type SimServerControls } from './http/server.js';
import { readStateFile, writeStateFile } from './http/state-file.js';

/**
 * The local SpaceTraders simulator, started in-process: the engine's Universe behind the HTTP
 * server of ./http. Used by `st-goods sim`, by the quick-start `demo` command and by tests
 * (see test/helpers/sim.ts).
 *
 *   const sim = await startSim({ port: 0, timeScale: 500, rateLimit: false });
 *   // sim.baseUrl === 'http://127.0.0.1:PORT/v2'
 *   await sim.close();
 */

export type { FaultSpec } from './http/faults.js';
export { parseFaults, formatFaults } from './http/faults.js';
export { SIM_ACCOUNT_TOKEN } from './engine/index.js';

export interface StartSimOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Loopback only: the admin endpoints have no authentication. */
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** Seed of the generated world and of the engine. */
  seed?: number;
  /** Game seconds per real second (overrides config.timeScale). */
  timeScale?: number;
  /** 'generated' (default, one system), 'sector' (a generated sector) or a world JSON file (see worlds/). */
  world?: 'generated' | 'sector' | string;
  /** Systems of the sector (default 12 for 'sector'; N > 1 grows a one-system world into a sector around it). */
  systems?: number;
  /** The API rate limiter (2/s + burst 30/min per IP and per agent); default on. */
  rateLimit?: boolean;
  /** Fault injection, off by default: a --faults string or a FaultSpec. */
  faults?: string | FaultSpec;
  /** Resume from this file if it exists; save to it on close, on POST /_sim/save and periodically. */
  stateFile?: string;
  /** Period of the automatic saves when stateFile is set (ms, default 30000; 0 = never). */
  saveIntervalMs?: number;
  config?: Partial<SimConfig>;
  /** Game clock (and rate-limiter clock); default the real time. */
  clock?: SimClock;
  /** Where to report engine failures and failed periodic saves (default stderr). */
  log?: (line: string) => void;
}

export interface RunningSim {
  /** e.g. http://127.0.0.1:41234/v2 — what clients use as their base URL. */
  baseUrl: string;
  /** e.g. http://127.0.0.1:41234/_sim — the admin endpoints. */
  adminUrl: string;
  port: number;
  universe: Universe;
  /** True when the universe was resumed from the state file. */
  resumed: boolean;
  /** Live limiter switch, fault injector and request counters. */
  controls: SimServerControls;
  /** Replaces the fault spec (a --faults string, a FaultSpec, or "off"). */
  setFaults(f: string | FaultSpec): void;
  setRateLimit(enabled: boolean): void;
  /** Writes the state file now (no-op without stateFile). */
  save(): Promise<void>;
  /** Stops serving (drops open connections) and saves the state file if there is one. Idempotent. */
  close(): Promise<void>;
}

export async function startSim(opts: StartSimOptions = {}): Promise<RunningSim> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const config: Partial<SimConfig> = { ...opts.config };
  if (opts.timeScale !== undefined) config.timeScale = opts.timeScale;
  const faults = new FaultInjector(typeof opts.faults === 'string' ? parseFaults(opts.faults) : (opts.faults ?? {}));

  const saved = opts.stateFile ? readStateFile(opts.stateFile) : undefined;
  let universe: Universe;
  if (saved !== undefined) {
    try {
      universe = Universe.fromJSON(saved, { clock: opts.clock, config });
    } catch (e) {
      throw new UserError({
        code: 'BAD_STATE_FILE',
        exitCode: ExitCode.INVALID_INPUT,
        message: `The simulator state file ${opts.stateFile} cannot be loaded (${(e as Error).message}).`,
        hint: 'Move it away to start a fresh universe, or pass another --state file.',
        cause: e,
      });
    }
  } else {
    let world: WorldDefinition;
    try {
      world = loadWorld(opts.world ?? 'generated', opts.seed, opts.systems);
    } catch (e) {
      throw invalidInput(`The simulator world cannot be loaded: ${(e as Error).message}.`, 'Pass --world generated, --world sector, or a world JSON file such as worlds/X1-AD75.json.');
    }
    universe = Universe.create({ world, config, clock: opts.clock, seed: opts.seed });
  }

  let saving: Promise<unknown> = Promise.resolve();
  const saveNow = async (): Promise<{ file: string; bytes: number } | undefined> => {
    const file = opts.stateFile;
    if (!file) return undefined;
    // One save at a time, each with the state of its own moment.
    const next = saving.then(() => writeStateFile(file, universe.toJSON()));
    saving = next.catch(() => undefined);
    return { file, bytes: await next };
  };

  const startedAt = Date.now();
  let baseUrl = '';
  const { server, controls } = createSimServer({
    engine: universe,
    rateLimit: opts.rateLimit ?? true,
    now: opts.clock ? () => opts.clock!.now() : undefined,
    faults,
    log,
    admin: (controls) =>
      createAdminHandler({
      controls,
      startedAt,
      config: () => ({
        apiVersion: apiSpec().version,
        baseUrl,
        timeScale: universe.config.timeScale,
        productionStepMinutes: universe.config.productionStepMinutes,
        seed: opts.seed ?? null,
        world: opts.world ?? 'generated',
        systems: universe.systems.size,
        resumed: saved !== undefined,
        stateFile: opts.stateFile ?? null,
      }),
      setFaults: (f) => faults.set(f),
      save: saveNow,
      universe,
    }),
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') {
        reject(
          new UserError({
            code: 'PORT_IN_USE',
            exitCode: ExitCode.INVALID_INPUT,
            message: `Port ${opts.port} on ${host} is already in use, so the simulator cannot listen there.`,
            hint: 'Stop whatever holds it, pass another --port, or --port 0 for any free port.',
          }),
        );
      } else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(opts.port ?? 0, host);
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  baseUrl = `${origin}/v2`;

  const interval = opts.stateFile ? (opts.saveIntervalMs ?? 30_000) : 0;
  const timer =
    interval > 0
      ? setInterval(() => {
          saveNow().catch((e: unknown) => log(`st-goods sim: periodic save to ${opts.stateFile} failed: ${(e as Error).message}`));
        }, interval)
      : undefined;
  timer?.unref();

  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    adminUrl: `${origin}/_sim`,
    port,
    universe,
    resumed: saved !== undefined,
    controls,
    setFaults: (f) => faults.set(f),
    setRateLimit: (enabled) => {
      controls.rateLimit = enabled;
    },
    save: async () => {
      await saveNow();
    },
    close: () =>
      (closing ??= (async () => {
        if (timer) clearInterval(timer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await saveNow();
      })()),
  };
}
