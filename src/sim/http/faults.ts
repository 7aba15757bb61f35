import { invalidInput } from '../../cli/errors.js';
import { prng } from '../random.js';

/**
 * Fault injection for the simulator's /v2 API, off by default. Spec string (comma-separated):
 *
 *   5xx=P        answer 500, 502 or 503 without calling the engine (state untouched)
 *   429=P        answer 429 (rate-limit body and headers, retry-after 1) without calling the engine
 *   storm=N      a 429 fault starts a storm: it and the next N-1 requests all get 429 (default 1)
 *   latency=A-B  add A..B ms (uniform) before handling; latency=N adds exactly N ms
 *   reset=P      destroy the connection before any response, without calling the engine
 *   drop=P       for a committing call (purchase, sell, refuel, transfer, navigate) that the engine
 *                accepted (2xx): destroy the connection AFTER the state changed, so the client
 *                sees no response for a call that did happen
 *   seed=N       seed of the fault generator (default 1): the same requests in the same order
 *                get the same faults
 *
 * P is a probability in [0, 1]. "off" or "" disables everything.
 * Example: "5xx=0.05,429=0.02,latency=20-200,reset=0.01,drop=0.05,seed=7".
 */
export interface FaultSpec {
  error5xx?: number;
  error429?: number;
  /** Requests in a row that a 429 fault covers (default 1). */
  storm?: number;
  latencyMs?: readonly [number, number];
  reset?: number;
  drop?: number;
  seed?: number;
}

/** Operations whose effect is committed before the response is written: the ones `drop` applies to. */
export const COMMITTING_OPERATIONS: ReadonlySet<string> = new Set([
  'purchase-cargo',
  'sell-cargo',
  'refuel-ship',
  'transfer-cargo',
  'navigate-ship',
]);

const KEYS: Record<string, keyof FaultSpec> = {
  '5xx': 'error5xx',
  '429': 'error429',
  storm: 'storm',
  latency: 'latencyMs',
  reset: 'reset',
  drop: 'drop',
  seed: 'seed',
};

function probability(key: string, text: string): number {
  const p = Number(text);
  if (text.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw invalidInput(`The fault "${key}=${text}" needs a probability between 0 and 1.`, 'Example: --faults "5xx=0.05,drop=0.01,seed=7".');
  }
  return p;
}

/** Parses a --faults string; throws a UserError naming the bad part. */
export function parseFaults(text: string | undefined): FaultSpec {
  const spec: FaultSpec = {};
  const trimmed = (text ?? '').trim();
  if (trimmed === '' || trimmed === 'off' || trimmed === 'none') return spec;
  for (const part of trimmed.split(',')) {
    const [rawKey, ...rest] = part.split('=');
    const key = (rawKey ?? '').trim();
    const value = rest.join('=').trim();
    const field = KEYS[key];
    if (!field || rest.length === 0) {
      throw invalidInput(
        `The fault "${part.trim()}" is not understood.`,
        'Use KEY=VALUE pairs separated by commas, with keys 5xx, 429, latency, reset, drop and seed, e.g. --faults "5xx=0.05,latency=20-200,seed=7".',
      );
    }
    if (field === 'latencyMs') {
      const m = /^(\d+)(?:-(\d+))?$/.exec(value);
      const lo = m ? Number(m[1]) : NaN;
      const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
      if (!m || hi < lo || hi > 60_000) {
        throw invalidInput(`The fault "latency=${value}" needs milliseconds as N or MIN-MAX (at most 60000).`, 'Example: latency=20-200.');
      }
      spec.latencyMs = [lo, hi];
    } else if (field === 'seed') {
      if (!/^\d+$/.test(value)) throw invalidInput(`The fault "seed=${value}" needs a whole number.`, 'Example: seed=7.');
      spec.seed = Number(value);
    } else if (field === 'storm') {
      if (!/^[1-9]\d*$/.test(value)) throw invalidInput(`The fault "storm=${value}" needs a whole number of requests, at least 1.`, 'Example: 429=0.01,storm=20.');
      spec.storm = Number(value);
    } else {
      spec[field] = probability(key, value);
    }
  }
  return spec;
}

/** The canonical string form of a spec (what /_sim/config shows). */
export function formatFaults(spec: FaultSpec): string {
  const parts: string[] = [];
  if (spec.error5xx) parts.push(`5xx=${spec.error5xx}`);
  if (spec.error429) parts.push(`429=${spec.error429}`);
  if (spec.error429 && spec.storm && spec.storm > 1) parts.push(`storm=${spec.storm}`);
  if (spec.latencyMs) parts.push(`latency=${spec.latencyMs[0] === spec.latencyMs[1] ? spec.latencyMs[0] : spec.latencyMs.join('-')}`);
  if (spec.reset) parts.push(`reset=${spec.reset}`);
  if (spec.drop) parts.push(`drop=${spec.drop}`);
  if (parts.length === 0) return 'off';
  if (spec.seed !== undefined) parts.push(`seed=${spec.seed}`);
  return parts.join(',');
}

/** What to do to one request. */
export interface FaultDecision {
  /** Destroy the connection before doing anything. */
  reset: boolean;
  /** Answer this 5xx status without calling the engine. */
  status5xx?: 500 | 502 | 503;
  /** Answer 429 without calling the engine. */
  tooMany: boolean;
  latencyMs: number;
  /** Destroy the connection after the call succeeded, if it is a committing one. */
  drop: boolean;
}

const NO_FAULT: FaultDecision = Object.freeze({ reset: false, tooMany: false, latencyMs: 0, drop: false });


export class FaultInjector {
  private spec: FaultSpec = {};
  private random: () => number = prng(1);
  private active = false;
  /** Requests left in the current 429 storm. */
  private stormLeft = 0;

  constructor(spec: FaultSpec | string = {}) {
    this.set(spec);
  }

  /** Replaces the spec and reseeds the generator. */
  set(spec: FaultSpec | string): void {
    this.spec = typeof spec === 'string' ? parseFaults(spec) : { ...spec };
    this.random = prng(this.spec.seed ?? 1);
    this.stormLeft = 0;
    const s = this.spec;
    this.active = Boolean(s.error5xx || s.error429 || s.reset || s.drop || (s.latencyMs && s.latencyMs[1] > 0));
  }

  get current(): FaultSpec {
    return { ...this.spec };
  }

  /**
   * Rolls the dice for one /v2 request. Always draws the same number of values, so runs replay.
   * `drop` is rolled for every request; the server applies it to COMMITTING_OPERATIONS only.
   */
  decide(): FaultDecision {
    if (!this.active) return NO_FAULT;
    const s = this.spec;
    const [r1, r2, r3, r4, r5, r6] = [this.random(), this.random(), this.random(), this.random(), this.random(), this.random()];
    const [lo, hi] = s.latencyMs ?? [0, 0];
    const statuses = [500, 502, 503] as const;
    let tooMany = r4 < (s.error429 ?? 0);
    if (tooMany && this.stormLeft === 0) this.stormLeft = s.storm ?? 1;
    if (this.stormLeft > 0) {
      tooMany = true;
      this.stormLeft--;
    }
    return {
      reset: r1 < (s.reset ?? 0),
      status5xx: r2 < (s.error5xx ?? 0) ? statuses[Math.floor(r3 * 3)] : undefined,
      tooMany,
      latencyMs: lo + Math.floor(r5 * (hi - lo + 1)),
      drop: r6 < (s.drop ?? 0),
    };
  }
}
