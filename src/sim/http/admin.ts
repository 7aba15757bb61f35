import type { ServerResponse } from 'node:http';
import { isUserError } from '../../cli/errors.js';
import { formatFaults, type FaultSpec } from './faults.js';
import { sendError, sendJson } from './respond.js';
import type { AdminHandler, SimServerControls } from './server.js';
import { ApiError } from '../engine/errors.js';
import { addShips, advanceClock, sectorSummary, setConstruction, setCredits, setGateBuilt, setSupply } from '../engine/admin.js';
import type { Universe } from '../engine/universe.js';

/**
 * The simulator's admin endpoints, under /_sim/ (never under /v2: nothing here exists on the real
 * server). For tests and the quick start; the simulator listens on loopback only.
 *
 *   GET  /_sim/health       {data:{status:"ok", uptimeSeconds, requests, byStatus, resets, drops, memory:{rssBytes, maxRssBytes}, cpuSeconds}}
 *   GET  /_sim/config       {data:{apiVersion, timeScale, rateLimit, faults, seed, world, stateFile, ...}}
 *   PUT  /_sim/faults       body {"faults": "5xx=0.1,seed=3"} (or "off") → {data:{faults}}
 *   PUT  /_sim/rate-limit   body {"enabled": true|false} → {data:{rateLimit}}
 *   POST /_sim/save         save the state file now → {data:{file, bytes}}; 409 when started without --state
 *   PUT  /_sim/agents/{agent}/credits   {"credits": N} sets, {"add": N} adds → {data:{agentSymbol, credits}}
 *   POST /_sim/agents/{agent}/ships     {"shipType", "waypointSymbol", "count"?} → {data:{ships:[symbols]}}
 *   PUT  /_sim/markets/{waypoint}/{good} {"supply": LABEL} or {"x": -5..5}, "tradeVolume"?, "sellPrice"? (the price level: the bid now) → {data:{supply, x, tradeVolume, purchasePrice, sellPrice, ...}}
 *   POST /_sim/clock/advance            {"seconds": N} game seconds → {data:{advancedSeconds, gameSeconds}}
 *   PUT  /_sim/construction/{waypoint}  {"materials": [{"tradeSymbol", "required"?, "fulfilled"?}]} → {data:{symbol, materials, isComplete}}
 *   PUT  /_sim/jump-gates/{gate}        {"built": true|false} → {data:{symbol, isComplete, materials}}
 *
 * POST is accepted wherever PUT is.
 */

export interface AdminContext {
  controls: SimServerControls;
  startedAt: number;
  /** Static facts for /_sim/config (time scale, seed, world, state file...). */
  config(): Record<string, unknown>;
  setFaults(spec: FaultSpec | string): void;
  /** Saves the state file; undefined when there is none. */
  save(): Promise<{ file: string; bytes: number } | undefined>;
  /** The engine the scenario endpoints (credits, ships, supply, clock) act on. */
  universe: Universe;
}

const ENDPOINTS = 'GET /_sim/health, GET /_sim/config, PUT /_sim/faults, PUT /_sim/rate-limit, POST /_sim/save, PUT /_sim/agents/{agent}/credits, POST /_sim/agents/{agent}/ships, PUT /_sim/markets/{waypoint}/{good}, POST /_sim/clock/advance, PUT /_sim/construction/{waypoint}, PUT /_sim/jump-gates/{gate}';

/** The scenario endpoints: engine/admin.ts behind a path pattern; undefined when `route` is none of them. */
function scenario(u: Universe, route: string, b: Record<string, unknown>): unknown {
  let m: RegExpMatchArray | null;
  if ((m = route.match(/^PUT \/agents\/([^/]+)\/credits$/))) return setCredits(u, decodeURIComponent(m[1]!), b);
  if ((m = route.match(/^PUT \/agents\/([^/]+)\/ships$/))) return addShips(u, decodeURIComponent(m[1]!), b);
  if ((m = route.match(/^PUT \/markets\/([^/]+)\/([^/]+)$/))) return setSupply(u, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), b);
  if (route === 'PUT /clock/advance') return advanceClock(u, b);
  if ((m = route.match(/^PUT \/construction\/([^/]+)$/))) return setConstruction(u, decodeURIComponent(m[1]!), b);
  if ((m = route.match(/^PUT \/jump-gates\/([^/]+)$/))) return setGateBuilt(u, decodeURIComponent(m[1]!), b);
  return undefined;
}

export function createAdminHandler(ctx: AdminContext): AdminHandler {
  return async (method: string, path: string, body: unknown, res: ServerResponse) => {
    const route = `${method === 'POST' ? 'PUT' : method} ${path.replace(/\/+$/, '') || '/'}`;
    const b = (body ?? {}) as Record<string, unknown>;
    switch (route) {
      case 'GET /health': {
        const { stats } = ctx.controls;
        return sendJson(res, 200, {
          data: {
            status: 'ok',
            uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000),
            requests: stats.requests,
            byStatus: stats.byStatus,
            resets: stats.resets,
            drops: stats.drops,
            memory: { rssBytes: process.memoryUsage.rss(), maxRssBytes: process.resourceUsage().maxRSS * 1024 },
            cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
            sector: sectorSummary(ctx.universe),
          },
        });
      }
      case 'GET /config':
        return sendJson(res, 200, {
          data: { ...ctx.config(), rateLimit: ctx.controls.rateLimit, faults: formatFaults(ctx.controls.faults.current) },
        });
      case 'PUT /faults': {
        const spec = b.faults;
        if (typeof spec !== 'string' && (typeof spec !== 'object' || spec === null)) {
          return sendError(res, 422, 'Send {"faults": "5xx=0.05,seed=7"} (a --faults string, or "off").', 422, { faults: ['is required'] });
        }
        try {
          ctx.setFaults(spec as FaultSpec | string);
        } catch (e) {
          if (isUserError(e)) return sendError(res, 422, e.paragraph, 422, { faults: [e.message] });
          throw e;
        }
        return sendJson(res, 200, { data: { faults: formatFaults(ctx.controls.faults.current) } });
      }
      case 'PUT /rate-limit': {
        if (typeof b.enabled !== 'boolean') {
          return sendError(res, 422, 'Send {"enabled": true} or {"enabled": false}.', 422, { enabled: ['must be boolean'] });
        }
        ctx.controls.rateLimit = b.enabled;
        return sendJson(res, 200, { data: { rateLimit: ctx.controls.rateLimit } });
      }
      case 'PUT /save': {
        const saved = await ctx.save();
        if (!saved) return sendError(res, 409, 'This simulator was started without a state file; start it with --state FILE to save.', 409);
        return sendJson(res, 200, { data: saved });
      }
      default: {
        try {
          const data = scenario(ctx.universe, route, b);
          if (data !== undefined) return sendJson(res, 200, { data });
        } catch (e) {
          if (e instanceof ApiError) return sendError(res, e.status, e.message, e.code, e.data);
          throw e;
        }
        return sendError(res, 404, `No admin endpoint ${method} /_sim${path}. Available: ${ENDPOINTS}.`, 404);
      }
    }
  };
}
