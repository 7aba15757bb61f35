/**
 * Conformance checking for the simulator's integration tests: every response of a call made
 * through `checked(sim)` is validated with ajv against the official spec's schema for its
 * operation and status (error statuses against {error:{message, code, data?}}), and the test
 * fails with the body when it does not conform.
 */
import { expect } from 'chai';
import { apiSpec } from '../../../src/sim/http/openapi.js';
import { Router } from '../../../src/sim/http/router.js';
import type { ApiResult, TestSim } from '../../helpers/sim.js';

export const spec = apiSpec();
const router = new Router(spec.operations);

/** operationId of a method + API path (query string allowed), or undefined. */
export function operationOf(method: string, path: string): string | undefined {
  const m = router.match(method, path.split('?')[0]!);
  return m.kind === 'found' ? m.operation.operationId : undefined;
}

/** The conformance failure for one answer, or undefined. */
export function nonConformance(method: string, path: string, status: number, body: unknown): string | undefined {
  const op = operationOf(method, path);
  return op ? spec.validateResponse(op, status, body) : status >= 400 ? spec.validateError(body) : `no operation for ${method} ${path}`;
}

export type CheckedApi = <T = any>(method: string, path: string, body?: unknown, token?: string | null) => Promise<ApiResult<T>>;

/** A call function like sim.api that also asserts conformance and records "operationId status" in `seen`. */
export function checked(sim: TestSim, seen?: Set<string>): CheckedApi {
  return async (method, path, body, token) => {
    const r = await sim.api(method, path, body, token);
    const problem = nonConformance(method, path, r.status, r.body);
    expect(problem, `${method} ${path} → ${r.status} does not conform to the spec: ${problem}\nbody: ${JSON.stringify(r.body)?.slice(0, 1500)}`).to.equal(
      undefined,
    );
    seen?.add(`${operationOf(method, path) ?? '?'} ${r.status}`);
    return r;
  };
}
