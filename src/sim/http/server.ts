import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { EngineRequest, EngineResponse } from '../engine/index.js';
import { apiSpec, type ApiSpec } from './openapi.js';
import { Router } from './router.js';
import { RateLimiter, rateLimitBody, rateLimitHeaders, type LimitKey } from './rate-limit.js';
import { COMMITTING_OPERATIONS, FaultInjector } from './faults.js';
import { errorBody, sendError, sendJson } from './respond.js';

/**
 * The simulator's HTTP front: serves the official API under /v2 (routes built from the vendored
 * OpenAPI spec), the admin endpoints under /_sim/, rate limits per IP and per agent, injects
 * faults, validates request bodies and query strings against the spec (422), and hands every
 * valid request to the engine: `engine.handle({operationId, token, params, query, body})`.
 */

/** The part of the engine's Universe that the HTTP layer uses. */
export interface HttpEngine {
  handle(req: EngineRequest): EngineResponse;
  agentForToken(token: string): string | undefined;
}

/** Answers /_sim/* requests (see admin.ts). */
export type AdminHandler = (method: string, path: string, body: unknown, res: ServerResponse) => void | Promise<void>;

export interface SimServerOptions {
  engine: HttpEngine;
  /** Rate limiting on (default) or off; can be changed later through `controls`. */
  rateLimit?: boolean;
  /** Clock of the rate limiter (epoch ms); default Date.now. */
  now?: () => number;
  faults?: FaultInjector;
  /** Builds the /_sim/* handler from the live controls (see admin.ts); none → /_sim/ is 404. */
  admin?: (controls: SimServerControls) => AdminHandler;
  spec?: ApiSpec;
  /** Where to report engine crashes (default stderr). */
  log?: (line: string) => void;
}

/** Live settings and counters shared with the admin endpoints. */
export interface SimServerControls {
  rateLimit: boolean;
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  /** requests: every request served (admin ones too); apiRequests: those to the API (/v2). */
  readonly stats: { requests: number; apiRequests: number; byStatus: Record<string, number>; resets: number; drops: number };
}

const API_PREFIX = '/v2';
const ADMIN_PREFIX = '/_sim';
const MAX_BODY_BYTES = 1 << 20;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

class BodyTooLarge extends Error {}
class ClientGone extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parseJson(text: string): Parsed {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

/** Query string → single values for the engine (repeated keys joined by commas) and raw values for validation. */
function parseQuery(search: string): { flat: Record<string, string | undefined>; raw: Record<string, string | string[]> } {
  const flat: Record<string, string | undefined> = {};
  const raw: Record<string, string | string[]> = {};
  if (!search) return { flat, raw };
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = raw[k];
    raw[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    flat[k] = flat[k] === undefined ? v : `${flat[k]},${v}`;
  }
  return { flat, raw };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createSimServer(opts: SimServerOptions): { server: http.Server; controls: SimServerControls } {
  const spec = opts.spec ?? apiSpec();
  const router = new Router(spec.operations);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const controls: SimServerControls = {
    rateLimit: opts.rateLimit ?? true,
    limiter: new RateLimiter(opts.now),
    faults: opts.faults ?? new FaultInjector(),
    stats: { requests: 0, apiRequests: 0, byStatus: {}, resets: 0, drops: 0 },
  };

  const admin = opts.admin?.(controls);

  const count = (res: ServerResponse) => {
    res.once('finish', () => {
      const k = String(res.statusCode);
      controls.stats.byStatus[k] = (controls.stats.byStatus[k] ?? 0) + 1;
    });
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, apiPath: string, search: string): Promise<void> {
    controls.stats.apiRequests++;
    const method = req.method ?? 'GET';
    const fault = controls.faults.decide();
    // Read the body first so that an early answer leaves the keep-alive connection clean.
    const rawBody = BODY_METHODS.has(method) ? await readBody(req) : '';
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.reset) {
      controls.stats.resets++;
      req.socket.destroy();
      return;
    }

    const match = router.match(method, apiPath);
    if (match.kind === 'not-found') {
      sendError(res, 404, `No API route matches ${method} ${API_PREFIX}${apiPath}. See the official SpaceTraders API v2 reference for the paths.`, 404);
      return;
    }
    if (match.kind === 'method-not-allowed') {
      sendError(res, 405, `${method} is not allowed on ${API_PREFIX}${apiPath}; use ${match.allowed.join(' or ')}.`, 405, undefined, { allow: match.allowed.join(', ') });
      return;
    }
    const op = match.operation;
    const token = bearer(req);

    if (controls.rateLimit || fault.tooMany) {
      const keys: LimitKey[] = [{ type: 'IP Address', key: req.socket.remoteAddress ?? 'unknown' }];
      if (token) keys.push({ type: 'Account', key: opts.engine.agentForToken(token) ?? token });
      const result = controls.rateLimit ? controls.limiter.take(keys) : undefined;
      if (result && !result.ok) {
        sendJson(res, 429, rateLimitBody(result.info), rateLimitHeaders(result.info, true));
        return;
      }
      if (fault.tooMany) {
        const reset = (opts.now ?? Date.now)() + 1000;
        const { perSecond, burst } = controls.limiter.config;
        const info = { type: keys[keys.length - 1]!.type, limitPerSecond: perSecond, limitBurst: burst, remaining: 0, reset, retryAfter: 1 };
        sendJson(res, 429, rateLimitBody(info), rateLimitHeaders(info, true));
        return;
      }
      if (result?.info) for (const [k, v] of Object.entries(rateLimitHeaders(result.info, false))) res.setHeader(k, v);
    }

    if (fault.status5xx) {
      const messages = {
        500: 'An unexpected error occurred on the server (injected fault).',
        502: 'Bad gateway: the upstream server did not answer (injected fault).',
        503: 'SpaceTraders is currently in maintenance mode (injected fault). Please try again later.',
      } as const;
      sendError(res, fault.status5xx, messages[fault.status5xx], fault.status5xx);
      return;
    }

    const { flat, raw } = parseQuery(search);
    const queryErrors = spec.validateQuery(op.operationId, raw);
    if (queryErrors) {
      sendError(res, 422, 'Invalid query parameters.', 422, queryErrors);
      return;
    }

    let body: unknown = undefined;
    if (op.hasRequestBody) {
      const parsed = parseJson(rawBody);
      if (!parsed.ok) {
        sendError(res, 422, `The request body is not valid JSON: ${parsed.message}.`, 422, { body: [`must be valid JSON (${parsed.message})`] });
        return;
      }
      body = parsed.value ?? {};
      const bodyErrors = spec.validateRequestBody(op.operationId, body);
      if (bodyErrors) {
        sendError(res, 422, `Invalid request body for ${op.operationId}: ${Object.entries(bodyErrors).map(([f, m]) => `${f} ${m.join(', ')}`).join('; ')}.`, 422, bodyErrors);
        return;
      }
    }

    let out: EngineResponse;
    try {
      out = opts.engine.handle({ operationId: op.operationId, token, params: match.params, query: flat, body });
    } catch (e) {
      log(`st-goods sim: the engine failed on ${op.operationId}: ${(e as Error).stack ?? String(e)}`);
      sendJson(res, 500, errorBody(`The simulator failed while handling ${op.operationId}: ${(e as Error).message}`, 500));
      return;
    }
    if (fault.drop && out.status >= 200 && out.status < 300 && COMMITTING_OPERATIONS.has(op.operationId)) {
      controls.stats.drops++;
      req.socket.destroy();
      return;
    }
    sendJson(res, out.status, out.body);
  }

  const server = http.createServer((req, res) => {
    controls.stats.requests++;
    count(res);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q + 1);
    let work: Promise<void>;
    if (pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`)) {
      work = handleApi(req, res, pathname.slice(API_PREFIX.length) || '/', search);
    } else if ((pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`)) && admin) {
      work = (async () => {
        const method = req.method ?? 'GET';
        const parsed = parseJson(BODY_METHODS.has(method) ? await readBody(req) : '');
        if (!parsed.ok) return sendError(res, 422, `The request body is not valid JSON: ${parsed.message}.`, 422);
        await admin(method, pathname.slice(ADMIN_PREFIX.length) || '/', parsed.value, res);
      })();
    } else {
      sendError(res, 404, `Nothing is served at ${pathname}. The SpaceTraders API is under ${API_PREFIX}/ and the simulator's admin endpoints under ${ADMIN_PREFIX}/.`, 404);
      return;
    }
    work.catch((e: unknown) => {
      if (e instanceof ClientGone || res.destroyed) return; // the client hung up mid-request: nobody to answer
      if (e instanceof BodyTooLarge) return sendError(res, 413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
      log(`st-goods sim: request failed: ${(e as Error).stack ?? String(e)}`);
      sendError(res, 500, `The simulator failed: ${(e as Error).message}`, 500);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  return { server, controls };
}
