import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import YAML from 'yaml';
import { invalidInput } from '../cli/errors.js';
import { bodyOf, planIdOf, sortKeysDeep } from './canonical.js';
import type { PlanBody, PlanFile } from './types.js';

/** Default plan lifetime: after this, apply refuses it as stale. */
export const DEFAULT_PLAN_LIFETIME_SECONDS = 2 * 3600;

const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas/plan.schema.json');

/** Order of the top-level keys in the file: envelope first, then the body (its keys sorted). */
const TOP_ORDER = [
  'formatVersion', 'planId', 'toolVersion', 'createdAt', 'expiresAt', 'lineage', 'specHash', 'supplyChainHash',
  'spec', 'estimates', 'decisions', 'tasks', 'fleet', 'observations',
] as const;

/** Wraps a body into a plan file: planId from the body, times from `now`. */
export function envelope(body: PlanBody, opts: { now: Date; toolVersion: string; lifetimeSeconds?: number }): PlanFile {
  const lifetime = opts.lifetimeSeconds ?? DEFAULT_PLAN_LIFETIME_SECONDS;
  return {
    ...body,
    planId: planIdOf(body),
    toolVersion: opts.toolVersion,
    createdAt: opts.now.toISOString(),
    expiresAt: new Date(opts.now.getTime() + lifetime * 1000).toISOString(),
  };
}

/** YAML text of a plan with a stable key order (same plan, same bytes). */
export function serializePlan(plan: PlanFile): string {
  const sorted = sortKeysDeep(plan) as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const k of TOP_ORDER) if (k in sorted) ordered[k] = sorted[k];
  for (const k of Object.keys(sorted)) if (!(k in ordered)) ordered[k] = sorted[k];
  return `# st-goods plan: review it, commit it, then \`st-goods apply\` it. Do not edit by hand: planId covers the body.\n${YAML.stringify(ordered, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** The canonical YAML of the body alone: what determinism tests compare. */
export function serializeBody(body: PlanBody): string {
  return YAML.stringify(sortKeysDeep(bodyOf(body)), { lineWidth: 0, aliasDuplicateObjects: false });
}

export function writePlan(file: string, plan: PlanFile): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, serializePlan(plan));
}

let validator: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;
function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const addFormats = (addFormatsModule as unknown as { default?: (a: Ajv) => void }).default ?? (addFormatsModule as unknown as (a: Ajv) => void);
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

/** Parses and validates plan text; a broken plan is a UserError INVALID_INPUT naming what is wrong. */
export function parsePlan(text: string, source = 'the plan'): PlanFile {
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (e) {
    throw invalidInput(`${source} is not valid YAML (${(e as Error).message.split('\n')[0]}).`, 'Re-run `st-goods plan` to write a fresh plan file.');
  }
  const errors = validate(data);
  if (errors.length) {
    const list = errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw invalidInput(`${source} is not a valid st-goods plan: ${list}.`, 'Do not edit plan files by hand; re-run `st-goods plan` to write a fresh one.', { errors });
  }
  const plan = data as PlanFile;
  const expected = planIdOf(plan);
  if (plan.planId !== expected) {
    throw invalidInput(`${source} was modified after it was written: its planId ${plan.planId} does not match its body (${expected}).`, 'Re-run `st-goods plan` to write a fresh plan file.');
  }
  return plan;
}

/** Reads and validates a plan file (see parsePlan). */
export function readPlan(file: string): PlanFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw invalidInput(`Cannot read the plan file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, 'Check the path, or run `st-goods plan SPEC` to write one.');
  }
  return parsePlan(text, `The plan file ${file}`);
}
