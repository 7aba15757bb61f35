import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import YAML from 'yaml';
import { invalidInput } from '../cli/errors.js';
import { failpoint } from '../cli/failpoint.js';
import { readInputFile } from '../cli/input-file.js';
import { CLIENT_VERSION } from '../api/transport.js';
import { bodyOf, planIdOf, sealOf, sortKeysDeep } from './canonical.js';
import type { PlanBody, PlanFile } from './types.js';

/** Default plan lifetime: after this, apply refuses it as stale. */
export const DEFAULT_PLAN_LIFETIME_SECONDS = 2 * 3600;

const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas/plan.schema.json');

/** Order of the top-level keys in the file: envelope first, then the body (its keys sorted). */
const TOP_ORDER = [
  'formatVersion', 'planId', 'seal', 'toolVersion', 'createdAt', 'expiresAt', 'lineage', 'specHash', 'supplyChainHash',
  'spec', 'estimates', 'decisions', 'tasks', 'fleet', 'observations',
] as const;

/** Wraps a body into a plan file: planId from the body, times from `now`. */
export function envelope(body: PlanBody, opts: { now: Date; toolVersion: string; lifetimeSeconds?: number }): PlanFile {
  const lifetime = opts.lifetimeSeconds ?? DEFAULT_PLAN_LIFETIME_SECONDS;
  const times = { planId: planIdOf(body), createdAt: opts.now.toISOString(), expiresAt: new Date(opts.now.getTime() + lifetime * 1000).toISOString() };
  return { ...body, ...times, toolVersion: opts.toolVersion, seal: sealOf(times) };
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

/**
 * Writes a plan file atomically: a temporary file in the same folder, fsync, rename over `file`
 * (then fsync of the folder). A crash at any instant leaves either the old file or the new one,
 * never a truncated plan. Errors (a directory, a symlink loop, a full disk) are UserErrors.
 */
export function writePlan(file: string, plan: PlanFile): void {
  const text = Buffer.from(serializePlan(plan));
  let target = path.resolve(file);
  let tmp = '';
  try {
    // Through a symbolic link, the file it points to is replaced (a loop is ELOOP).
    if (fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) target = fs.realpathSync(target);
    const dir = path.dirname(target);
    tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
    fs.mkdirSync(dir, { recursive: true });
    if (fs.existsSync(target) && !fs.statSync(target).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      const half = Math.floor(text.length / 2);
      fs.writeSync(fd, text, 0, half);
      failpoint('plan-write');
      fs.writeSync(fd, text, half, text.length - half);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
    syncDir(path.dirname(target));
  } catch (e) {
    if (tmp) fs.rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw invalidInput(`Cannot write the plan file ${file} (${code}${WRITE_PROBLEMS[code] ? `: ${WRITE_PROBLEMS[code]}` : ''}); nothing was written there.`, 'Pass a writable file path with --out (its folder is created if missing).');
  }
}

const WRITE_PROBLEMS: Record<string, string> = {
  EISDIR: 'it is a directory or not a regular file',
  ELOOP: 'a symbolic link loop',
  ENOSPC: 'the disk is full',
  ENOTDIR: 'a parent is a file, not a folder',
  EACCES: 'permission denied',
  EROFS: 'a read-only file system',
  EXDEV: 'it is a link to another file system',
};

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  }
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
    const writer = (data as { toolVersion?: unknown } | null)?.toolVersion;
    if (typeof writer === 'string' && writer !== CLIENT_VERSION) {
      throw invalidInput(
        `${source} was written by st-goods ${writer}, and this st-goods (${CLIENT_VERSION}) reads plans in another form (${list}).`,
        'Plan again from the same spec with this version (`st-goods plan SPEC`, or `st-goods apply SPEC`): the journal of runs already made is kept, and a run the old plan left unfinished is found by `apply SPEC`.',
        { errors, toolVersion: writer },
      );
    }
    throw invalidInput(`${source} is not a valid st-goods plan: ${list}.`, 'Do not edit plan files by hand; re-run `st-goods plan` to write a fresh one.', { errors });
  }
  const plan = data as PlanFile;
  const expected = planIdOf(plan);
  if (plan.planId !== expected) {
    throw invalidInput(`${source} was modified after it was written: its planId ${plan.planId} does not match its body (${expected}).`, 'Re-run `st-goods plan` to write a fresh plan file.');
  }
  if (plan.seal !== sealOf(plan)) {
    throw invalidInput(`${source} was modified after it was written: its createdAt (${plan.createdAt}) or expiresAt (${plan.expiresAt}) does not match its seal.`, 'Do not edit plan files by hand; re-run `st-goods plan` to write a fresh one (use --expires-in for a longer lifetime).');
  }
  return plan;
}

/** Reads and validates a plan file (see parsePlan). */
export function readPlan(file: string): PlanFile {
  const text = readInputFile(file, 'plan file', 'Check the path, or run `st-goods plan SPEC` to write one.');
  if (text.trim() === '') throw invalidInput(`The plan file ${file} is empty (0 bytes of plan): it was truncated, e.g. by a crash while it was written by an older st-goods.`, 'Restore it from git (`git checkout -- FILE`), or re-run `st-goods plan SPEC --out FILE`.');
  return parsePlan(text, `The plan file ${file}`);
}
