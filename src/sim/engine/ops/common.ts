/** Helpers shared by the operation handlers. */
import type { OpContext } from '../universe.js';
import type { EngineResponse } from '../types.js';
import type { AgentState } from '../state.js';
import { ApiError, invalidBody } from '../errors.js';
import { meta } from '../render.js';
import { TRADE_SYMBOLS } from '../trade-symbols.js';

export interface Operation {
  /** required: agent token; optional: public, a token (if any) must be valid; account: register. */
  auth: 'required' | 'optional' | 'account';
  run(ctx: OpContext): EngineResponse;
}

export function ok(data: unknown, status = 200): EngineResponse {
  return { status, body: { data } };
}

export function agentOf(ctx: OpContext): AgentState {
  if (!ctx.agent) throw new ApiError(401, 4103, 'Missing Bearer token in the request. Did you correctly set the Authorization header?');
  return ctx.agent;
}

/** Page through `items` by the query's page (≥1) and limit (1–20, default 10). */
export function paginate<T>(ctx: OpContext, items: T[]): EngineResponse {
  const page = intQuery(ctx, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const limit = intQuery(ctx, 'limit', 10, 1, 20);
  const data = items.slice((page - 1) * limit, page * limit);
  return { status: 200, body: { data, meta: meta(items.length, page, limit) } };
}

function intQuery(ctx: OpContext, name: string, dflt: number, min: number, max: number): number {
  const raw = ctx.req.query[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ApiError(400, 400, `Invalid query parameter ${name}: expected an integer from ${min} to ${max}, got "${raw}".`, { [name]: [`must be an integer from ${min} to ${max}`] });
  }
  return n;
}

export function bodyObject(ctx: OpContext): Record<string, unknown> {
  const b = ctx.req.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw invalidBody('body', 'must be a JSON object');
  return b as Record<string, unknown>;
}

export function requireString(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v.length === 0) throw invalidBody(field, 'is required and must be a non-empty string');
  return v;
}

export function requirePositiveInt(body: Record<string, unknown>, field: string): number {
  const v = body[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw invalidBody(field, 'is required and must be an integer of at least 1');
  return v;
}

export function param(ctx: OpContext, name: string): string {
  return (ctx.req.params[name] ?? '').toUpperCase();
}

/** A TradeSymbol field (upper-cased); 422 when it is not one of the spec's trade symbols. */
export function requireTradeSymbol(body: Record<string, unknown>, field: string): string {
  const v = requireString(body, field).toUpperCase();
  if (!TRADE_SYMBOLS.has(v)) throw invalidBody(field, `must be a valid TradeSymbol, got "${v}"`);
  return v;
}
