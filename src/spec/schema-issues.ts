import fs from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { closest, distance } from 'fastest-levenshtein';
import { formatPath, type Issue, type LocatedYaml, type PathSegment } from './located-yaml.js';

/**
 * Schemas may carry `x-messages: { <ajv keyword>: "must be ..." }`: the words to use when that
 * keyword fails at that place (a pattern, a oneOf between shapes). They are ignored by editors.
 */
type SchemaNode = { 'x-messages'?: Record<string, string>; examples?: unknown[]; properties?: Record<string, SchemaNode>; description?: string };

const cache = new Map<string, ValidateFunction>();

/** Compiles (once per file) a JSON Schema (draft 2020-12) read from `file`. */
export function compileSchemaFile(file: string): ValidateFunction {
  let fn = cache.get(file);
  if (!fn) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
    ajv.addKeyword({ keyword: 'x-messages', schemaType: 'object' });
    fn = ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
    cache.set(file, fn);
  }
  return fn;
}

function segmentsOf(instancePath: string): PathSegment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A short, readable rendering of the offending value. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
  null: 'empty',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

/** ` (did you mean "X"?)` when a candidate is close enough to be a likely typo, else ''. */
export function didYouMean(value: string, candidates: readonly string[]): string {
  if (!candidates.length || !value) return '';
  const upper = value.toUpperCase();
  const best = closest(upper, candidates.map((c) => c.toUpperCase()));
  const original = candidates.find((c) => c.toUpperCase() === best) ?? best;
  const limit = Math.max(2, Math.floor(value.length / 3));
  if (distance(upper, best) <= limit && original !== value) return ` (did you mean ${JSON.stringify(original)}?)`;
  // A prefix of exactly one candidate ("cheap" for "cheapest") is a likely abbreviation.
  const prefixed = value.length >= 3 ? candidates.filter((c) => c.toUpperCase().startsWith(upper) && c !== value) : [];
  return prefixed.length === 1 ? ` (did you mean ${JSON.stringify(prefixed[0])}?)` : '';
}

function messageFor(e: ErrorObject, at: string): { message: string; where: 'value' | 'key'; extraSegment?: string } {
  const schema = (e.parentSchema ?? {}) as SchemaNode;
  const custom = schema['x-messages']?.[e.keyword];
  const subject = at || 'the file';
  const got = ` (got ${describeValue(e.data)})`;
  if (custom) return { message: `${subject} ${custom}${/Properties$/.test(e.keyword) ? '' : got}`, where: 'value' };
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const name = String(p.missingProperty);
      const example = schema.properties?.[name]?.examples?.[0];
      const eg = example === undefined ? '' : ` e.g. \`${name}: ${typeof example === 'object' ? JSON.stringify(example) : String(example)}\``;
      const full = at ? `${at}.${name}` : name;
      return { message: `${full} is required but missing: add it${at ? ` under ${at}` : ''}${eg ? `,${eg}` : ''}`, where: 'key' };
    }
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
      const full = at ? `${at}.${name}` : name;
      return {
        message: `${full} is not a known field${didYouMean(name, allowed)}; ${at ? `${at} takes` : 'the top level takes'} ${allowed.join(', ')}`,
        where: 'key',
        extraSegment: name,
      };
    }
    case 'type':
      return { message: `${subject} must be ${typeWords(p.type)}${got}`, where: 'value' };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return { message: `${subject} must be one of ${allowed.join(', ')}${got}${typeof e.data === 'string' ? didYouMean(e.data, allowed) : ''}`, where: 'value' };
    }
    case 'const':
      return { message: `${subject} must be ${JSON.stringify(p.allowedValue)}${got}`, where: 'value' };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'more than', exclusiveMaximum: 'less than' }[e.keyword];
      return { message: `${subject} must be ${op} ${String(p.limit)}${got}`, where: 'value' };
    }
    case 'minItems':
    case 'minLength':
    case 'minProperties':
      return { message: Number(p.limit) === 1 ? `${subject} must not be empty` : `${subject} must have at least ${String(p.limit)} ${e.keyword === 'minLength' ? 'characters' : 'entries'}`, where: 'value' };
    case 'maxItems':
    case 'maxLength':
    case 'maxProperties':
      return { message: `${subject} must have at most ${String(p.limit)} ${e.keyword === 'maxLength' ? 'characters' : 'entries'}`, where: 'value' };
    case 'uniqueItems': {
      const later = Math.max(Number(p.i), Number(p.j));
      const value = Array.isArray(e.data) ? describeValue(e.data[later]) : 'a value';
      return { message: `${subject} lists ${value} twice: remove one`, where: 'value', extraSegment: String(later) };
    }
    case 'pattern':
      return { message: `${subject} must match the pattern ${String(p.pattern)}${got}`, where: 'value' };
    default:
      return { message: `${subject} ${e.message ?? 'is invalid'}${got}`, where: 'value' };
  }
}

/**
 * Runs `validate` on the document's value and turns every ajv error into an Issue with the
 * place in the file and words a person can act on. When a `oneOf`/`anyOf` has its own message,
 * the errors of its branches are folded into that one message.
 */
export function schemaIssues(src: LocatedYaml, validate: ValidateFunction, value: unknown = src.toJS()): Issue[] {
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const folding = errors.filter((e) => (e.keyword === 'oneOf' || e.keyword === 'anyOf') && (e.parentSchema as SchemaNode | undefined)?.['x-messages']?.[e.keyword]);
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const folded = folding.some((f) => f !== e && e.schemaPath.startsWith(`${f.schemaPath.slice(0, -f.keyword.length)}`) && e.instancePath.startsWith(f.instancePath));
    if (folded) continue;
    if ((e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') && !folding.includes(e)) continue; // their branch errors say more
    if (e.keyword === 'propertyNames') continue; // reported by the failing keyword, with the key's name
    const segments = segmentsOf(e.instancePath);
    const named = e.propertyName === undefined ? undefined : `the key ${JSON.stringify(e.propertyName)}${segments.length ? ` in ${formatPath(segments)}` : ''}`;
    const found = messageFor(e, named ?? formatPath(segments));
    const { message } = found;
    const where = named ? 'key' : found.where;
    const extraSegment = named ? e.propertyName : found.extraSegment;
    const issue = src.issue(extraSegment === undefined ? segments : [...segments, extraSegment], message, where);
    const key = `${issue.line}:${issue.col}:${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}
