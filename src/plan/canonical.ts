import { createHash } from 'node:crypto';
import type { PlanBody, PlanFile } from './types.js';

/** The keys of PlanFile that are not part of the hashed body (the times are covered by `seal`). */
export const ENVELOPE_KEYS = ['planId', 'toolVersion', 'createdAt', 'expiresAt', 'seal'] as const;

/** A deep copy with every object's keys sorted (arrays keep their order); undefined dropped. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortKeysDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeysDeep(v);
    }
    return out as T;
  }
  return value;
}

/** The body of a plan file: everything but the envelope. */
export function bodyOf(plan: PlanFile | PlanBody): PlanBody {
  const copy: Record<string, unknown> = { ...plan };
  for (const k of ENVELOPE_KEYS) delete copy[k];
  return copy as unknown as PlanBody;
}

/** Canonical text of a body: JSON with sorted keys and no whitespace. */
export function canonicalBody(body: PlanBody): string {
  return JSON.stringify(sortKeysDeep(bodyOf(body)));
}

/** planId: `sha256:` and the hex SHA-256 of the canonical body. */
export function planIdOf(body: PlanBody): string {
  return `sha256:${createHash('sha256').update(canonicalBody(body)).digest('hex')}`;
}

/**
 * seal: `sha256:` of planId, createdAt and expiresAt. apply acts on the times (expiry, the
 * journal check), so they are covered too: editing either by hand makes the plan refused, while
 * planId stays the identity of the body (the same work planned twice has the same planId).
 */
export function sealOf(plan: Pick<PlanFile, 'planId' | 'createdAt' | 'expiresAt'>): string {
  return `sha256:${createHash('sha256').update(JSON.stringify([plan.planId, plan.createdAt, plan.expiresAt])).digest('hex')}`;
}
