import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { redactText } from '../config/redact.js';
import type { ApplyEvent } from '../executor/events.js';
import { unlockAgent } from '../state/lock.js';
import { Store, storeExists } from '../state/store.js';
import { Assets } from './assets.js';
import { RunReader, type RunSummary } from './read.js';
import { eventRow, lastProgressAt, type RunView } from './view.js';

export interface DashboardOptions {
  /** The store apply writes (a SQLite file, which must exist, or a postgres:// URL). */
  storeFile: string;
  /** Interface to listen on (default 127.0.0.1: loopback only). */
  host?: string;
  /** 0 = a free port. */
  port?: number;
  /** Serve the stop and unlock controls (default: read-only). */
  allowControl?: boolean;
  /** A running apply with no progress for this long raises the alert (default 10 min). */
  alertAfterMs?: number;
  /** NDJSON file for alert events ('-' = stdout), in the shape of schemas/events.schema.json. */
  logJson?: string;
  /** How often the no-progress check runs (default: a tenth of alertAfterMs, between 1 and 15 s). */
  alertCheckMs?: number;
  /** At most one push per this many ms while the store keeps changing (default 500). */
  minPushMs?: number;
}

export interface Alert {
  runId: string;
  /** Wall ms of the last progress. */
  since: number;
  seconds: number;
  message: string;
}

export interface RunningDashboard {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

interface Client {
  res: http.ServerResponse;
  runId?: string;
  lastSeq: number;
  /** The run view last sent to this page (only a changed view is sent again). */
  lastView?: string;
}

export const DEFAULT_ALERT_AFTER_MS = 10 * 60_000;

/**
 * `st-goods dashboard` as a service: an HTTP server (node:http; six routes need no framework)
 * that serves the page and its libraries, the runs and a run's view as JSON, and one server-sent
 * event stream per page, pushed when the store changes (Store.watch: inotify on SQLite, LISTEN/NOTIFY on Postgres; debounced): the page never polls.
 */
export async function startDashboard(opts: DashboardOptions): Promise<RunningDashboard> {
  if (!storeExists(opts.storeFile)) {
    throw new UserError({
      code: 'NO_STORE',
      exitCode: ExitCode.INVALID_INPUT,
      message: `There is no st-goods store at ${opts.storeFile}.`,
      hint: 'Pass the store your applies write with --store FILE (or ST_GOODS_STORE); `st-goods apply` creates it on its first run.',
    });
  }
  const store = await Store.open(opts.storeFile);
  const reader = new RunReader(store);
  const assets = new Assets();
  const host = opts.host ?? '127.0.0.1';
  const alertAfterMs = opts.alertAfterMs ?? DEFAULT_ALERT_AFTER_MS;
  const controlToken = crypto.randomBytes(18).toString('base64url');
  const clients = new Set<Client>();
  const alertLog = opts.logJson === '-' ? 1 : opts.logJson ? fs.openSync(opts.logJson, 'a') : undefined;
  let runs: RunSummary[] = [];
  let runsJson = '';
  const alerts = new Map<string, Alert>();
  let port = 0;

  const send = (c: Client, event: string, data: string): void => {
    c.res.write(`event: ${event}\ndata: ${data}\n\n`);
  };

  const viewOf = async (runId: string): Promise<{ view: RunView; json: string } | undefined> => {
    const view = await reader.view(runId);
    if (!view) return undefined;
    return { view, json: JSON.stringify(view) };
  };

  /** New step rows of a run for one page, after what it already has. */
  const pushEvents = async (c: Client): Promise<void> => {
    if (!c.runId) return;
    const steps = (await reader.steps(c.runId)).filter((s) => s.seq > c.lastSeq);
    if (!steps.length) return;
    c.lastSeq = steps.at(-1)!.seq;
    send(c, 'events', JSON.stringify(steps.map(eventRow)));
  };

  const checkAlerts = async (now = Date.now()): Promise<boolean> => {
    let changed = false;
    const running = new Set(runs.filter((r) => r.status === 'running').map((r) => r.runId));
    for (const id of alerts.keys()) {
      if (!running.has(id)) {
        alerts.delete(id);
        changed = true;
      }
    }
    for (const id of running) {
      // Read afresh (the step log incrementally): a run no page watches has no fresh view.
      const run = await reader.journal.getRun(id);
      if (!run) continue;
      const last = lastProgressAt(run, await reader.steps(id));
      const idle = now - last;
      const had = alerts.get(id);
      if (idle < alertAfterMs) {
        if (had) {
          alerts.delete(id);
          changed = true;
        }
        continue;
      }
      if (had && had.since === last) {
        had.seconds = Math.round(idle / 1000);
        continue;
      }
      const alert: Alert = {
        runId: id,
        since: last,
        seconds: Math.round(idle / 1000),
        message: `Run ${id} has made no progress for ${Math.round(idle / 60_000)} min (no trade, departure or restart since ${new Date(last).toISOString()}).`,
      };
      alerts.set(id, alert);
      changed = true;
      if (alertLog !== undefined) {
        const line: ApplyEvent = { ts: new Date(now).toISOString(), runId: id, type: 'alert', message: alert.message, data: { lastProgressAt: new Date(alert.since).toISOString(), seconds: alert.seconds, thresholdSeconds: Math.round(alertAfterMs / 1000) } };
        fs.writeSync(alertLog, `${redactText(JSON.stringify(line))}\n`);
      }
    }
    return changed;
  };

  const broadcastAlerts = (): void => {
    const data = JSON.stringify([...alerts.values()]);
    for (const c of clients) send(c, 'alerts', data);
  };

  let running: Promise<void> | undefined;
  let again = false;
  let lastPush = 0;
  const minPushMs = opts.minPushMs ?? 500;
  /**
   * Recomputes the runs list and every watched run's view; pushes what changed. One at a time,
   * at most one per minPushMs while the store keeps changing (a fast simulator writes many steps
   * a second: the page gets them in batches, not one render per step).
   */
  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        const wait = lastPush + minPushMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        lastPush = Date.now();
        again = false;
        runs = await reader.runs();
        const json = JSON.stringify(runs);
        if (json !== runsJson) {
          runsJson = json;
          for (const c of clients) send(c, 'runs', json);
        }
        const watched = new Set([...clients].map((c) => c.runId).filter((id): id is string => Boolean(id)));
        for (const id of watched) {
          const v = await viewOf(id);
          if (!v) continue;
          for (const c of clients) {
            if (c.runId !== id || c.lastView === v.json) continue;
            c.lastView = v.json;
            send(c, 'run', v.json);
            await pushEvents(c);
          }
        }
        if (await checkAlerts()) broadcastAlerts();
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const allowedHosts = (): Set<string> => new Set([`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const control = async (req: http.IncomingMessage, res: http.ServerResponse, act: () => Promise<{ ok: boolean; message: string }>): Promise<void> => {
    if (!opts.allowControl) return json(res, 403, { ok: false, message: 'This dashboard is read-only: start it with --allow-control to stop runs and remove dead locks.' });
    if (req.headers['x-st-goods-control'] !== controlToken) return json(res, 403, { ok: false, message: 'Missing or wrong control token: reload the page.' });
    const out = await act();
    json(res, out.ok ? 200 : 409, out);
    void refresh();
  };

  const stopRun = async (runId: string): Promise<{ ok: boolean; message: string }> => {
    const run = await reader.journal.getRun(runId);
    if (!run) return { ok: false, message: `There is no run ${runId} in this store.` };
    const shown = runs.find((r) => r.runId === runId)?.status ?? run.status;
    if (shown !== 'running') return { ok: false, message: `Run ${runId} is not running (${shown}); nothing to stop.` };
    await reader.journal.requestStop(runId);
    return { ok: true, message: `Stop requested for run ${runId}; it stops after the call in flight.` };
  };

  const unlock = async (agent: string): Promise<{ ok: boolean; message: string }> => {
    try {
      const out = await unlockAgent(store, agent);
      if (!out.removed) return { ok: false, message: `Agent ${agent} has no lock to remove.` };
      return { ok: true, message: `Removed the lock of ${agent} (run ${out.holder?.runId}): ${out.reason}.` };
    } catch (e) {
      if (e instanceof UserError) return { ok: false, message: e.paragraph };
      throw e;
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    // DNS rebinding: a page of another site that resolves its name to 127.0.0.1 sends its own Host.
    if (!allowedHosts().has(String(req.headers.host ?? ''))) return json(res, 421, { ok: false, message: 'Unknown Host header.' });
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'GET' && parts[0] !== 'api') {
      const page = url.pathname === '/' ? { allowControl: Boolean(opts.allowControl), controlToken: opts.allowControl ? controlToken : '' } : undefined;
      return assets.serve(req, res, url.pathname, page);
    }
    if (req.method === 'GET' && parts[0] === 'api' && parts[1] === 'runs' && parts.length === 2) return json(res, 200, await reader.runs());
    if (req.method === 'GET' && parts[0] === 'api' && parts[1] === 'runs' && parts.length === 3) {
      const v = await viewOf(parts[2]!);
      return v ? json(res, 200, v.view) : json(res, 404, { ok: false, message: `There is no run ${parts[2]} in this store.` });
    }
    if (req.method === 'GET' && url.pathname === '/api/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write('retry: 2000\n\n');
      const c: Client = { res, runId: url.searchParams.get('run') || undefined, lastSeq: 0 };
      clients.add(c);
      req.on('close', () => clients.delete(c));
      send(c, 'hello', JSON.stringify({ allowControl: Boolean(opts.allowControl), alertAfterSeconds: Math.round(alertAfterMs / 1000), serverTime: Date.now() }));
      runs = await reader.runs();
      runsJson = JSON.stringify(runs);
      send(c, 'runs', runsJson);
      if (c.runId) {
        const v = await viewOf(c.runId);
        if (v) {
          c.lastView = v.json;
          send(c, 'run', v.json);
        } else send(c, 'missing', JSON.stringify({ runId: c.runId }));
        await pushEvents(c);
      }
      await checkAlerts();
      send(c, 'alerts', JSON.stringify([...alerts.values()]));
      return;
    }
    if (req.method === 'POST' && parts[0] === 'api' && parts[1] === 'runs' && parts[3] === 'stop' && parts.length === 4) return control(req, res, () => stopRun(parts[2]!));
    if (req.method === 'POST' && parts[0] === 'api' && parts[1] === 'locks' && parts[3] === 'unlock' && parts.length === 4) return control(req, res, () => unlock(parts[2]!));
    json(res, 404, { ok: false, message: `No such route: ${req.method} ${url.pathname}` });
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { ok: false, message: redactText((e as Error).message) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE' || e.code === 'EACCES'
          ? new UserError({ code: 'PORT_UNAVAILABLE', exitCode: ExitCode.USAGE, message: `Cannot listen on ${host}:${opts.port} (${e.code}).`, hint: 'Pick another port with --port, or --port 0 for a free one.' })
          : e,
      );
    });
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  const watcher = store.watch(() => void refresh().catch(() => undefined));
  const alertTimer = setInterval(
    () => {
      void (async () => {
        runs = await reader.runs();
        if (await checkAlerts()) broadcastAlerts();
      })().catch(() => undefined);
    },
    opts.alertCheckMs ?? Math.min(15_000, Math.max(1000, alertAfterMs / 10)),
  );
  alertTimer.unref();
  const keepAlive = setInterval(() => {
    for (const c of clients) c.res.write(': keep-alive\n\n');
  }, 15_000);
  keepAlive.unref();

  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    host,
    async close() {
      watcher.close();
      clearInterval(alertTimer);
      clearInterval(keepAlive);
      for (const c of clients) c.res.end();
      clients.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await running?.catch(() => undefined);
      if (alertLog !== undefined && alertLog > 2) fs.closeSync(alertLog);
      await store.close().catch(() => undefined);
    },
  };
}
