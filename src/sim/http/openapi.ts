import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The vendored official SpaceTraders OpenAPI document (schemas/spacetraders), loaded once:
 * the list of operations (path template + method → operationId) that the simulator's router is
 * built from, and ajv validators for request bodies, query parameters and responses.
 *
 * The reference file points at the models with relative $refs ("../models/Ship.json"), and the
 * models point at each other ("./ShipNav.json"). Each schema is registered under a URI that keeps
 * those relative paths resolvable, so nothing is copied or rewritten.
 */

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** Where the vendored spec lives; the same relative path from src/sim/http and dist/sim/http. */
export const SPEC_DIR = fileURLToPath(new URL('../../../schemas/spacetraders/', import.meta.url));

const BASE_URI = 'https://st-goods.local/spacetraders/';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface QueryParam {
  name: string;
  schema: object;
  required: boolean;
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** Path template relative to the API base, e.g. "/my/ships/{shipSymbol}/purchase". */
  template: string;
  /** True when the spec lists the operation without any security requirement, or with an empty one. */
  anonymousAllowed: boolean;
  hasRequestBody: boolean;
  /** Statuses the spec documents for this operation, e.g. ["201"]. */
  statuses: string[];
  queryParams: QueryParam[];
}

export interface FieldErrors {
  [field: string]: string[];
}

type JsonObject = Record<string, unknown>;

interface RawOperation {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: object }>;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

function readJson(file: string): JsonObject {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
}

/** The error body every non-2xx response of the API has. */
export const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'code'],
      properties: {
        message: { type: 'string', minLength: 1 },
        code: { type: 'integer' },
        data: { type: 'object' },
        requestId: { type: 'string' },
      },
    },
  },
} as const;

/** Turns ajv errors into the API's 422 `data`: field → messages. */
export function fieldErrors(errors: ErrorObject[] | null | undefined, root = 'body'): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors ?? []) {
    let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty?: string }).missingProperty ?? '';
      field = field ? `${field}.${missing}` : missing;
    }
    if (!field) field = root;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      message = allowed.length <= 12 ? `must be one of ${allowed.join(', ')}` : `must be one of ${allowed.length} values such as ${allowed.slice(0, 5).join(', ')}`;
    }
    if (e.keyword === 'required') message = 'is required';
    (out[field] ??= []).push(message);
  }
  return out;
}

/** Loads the spec, lists its operations and validates bodies against it. One per process is enough. */
export class ApiSpec {
  readonly operations: Operation[] = [];
  readonly version: string;
  private readonly raw = new Map<string, RawOperation>();
  private readonly ajv: Ajv;
  private readonly requestValidators = new Map<string, ValidateFunction | null>();
  private readonly queryValidators = new Map<string, ValidateFunction | null>();
  private readonly responseValidators = new Map<string, ValidateFunction | null>();
  private readonly errorValidator: ValidateFunction;

  constructor(specDir: string = SPEC_DIR) {
    const reference = readJson(path.join(specDir, 'reference', 'SpaceTraders.json'));
    this.version = String((reference.info as JsonObject | undefined)?.version ?? 'unknown');
    // strict: false because the spec carries OpenAPI annotations (example, x-preview-feature...).
    this.ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false });
    addFormats(this.ajv);
    this.ajv.addFormat('integer', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    for (const file of fs.readdirSync(path.join(specDir, 'models'))) {
      if (!file.endsWith('.json')) continue;
      const schema = readJson(path.join(specDir, 'models', file));
      this.ajv.addSchema({ ...schema, $id: `${BASE_URI}models/${file}` });
    }
    this.errorValidator = this.ajv.compile(ERROR_BODY_SCHEMA);

    const globalSecurity = (reference.security as RawOperation['security']) ?? [];
    for (const [template, item] of Object.entries(reference.paths as Record<string, Record<string, RawOperation>>)) {
      for (const [m, op] of Object.entries(item)) {
        const method = m.toUpperCase() as HttpMethod;
        if (!METHODS.includes(method) || !op.operationId) continue;
        const security = op.security ?? globalSecurity;
        this.raw.set(op.operationId, op);
        this.operations.push({
          operationId: op.operationId,
          method,
          template,
          anonymousAllowed: security.length === 0 || security.some((s) => Object.keys(s).length === 0),
          hasRequestBody: Boolean(op.requestBody?.content?.['application/json']?.schema),
          statuses: Object.keys(op.responses ?? {}),
          queryParams: (op.parameters ?? [])
            .filter((p) => p.in === 'query')
            .map((p) => ({ name: p.name, schema: p.schema ?? {}, required: Boolean(p.required) })),
        });
      }
    }
  }

  operation(operationId: string): Operation | undefined {
    return this.operations.find((o) => o.operationId === operationId);
  }

  private compile(cache: Map<string, ValidateFunction | null>, key: string, make: () => object | undefined): ValidateFunction | null {
    let v = cache.get(key);
    if (v === undefined) {
      const schema = make();
      // The $id sits in reference/ so that "../models/X.json" resolves to the registered models.
      v = schema ? this.ajv.compile({ ...schema, $id: `${BASE_URI}reference/${encodeURIComponent(key)}.json` }) : null;
      cache.set(key, v);
    }
    return v;
  }

  /** Validates a parsed request body; undefined when it is valid (or the operation takes none). */
  validateRequestBody(operationId: string, body: unknown): FieldErrors | undefined {
    const v = this.compile(this.requestValidators, `${operationId}-request`, () => this.raw.get(operationId)?.requestBody?.content?.['application/json']?.schema);
    if (!v || v(body)) return undefined;
    return fieldErrors(v.errors);
  }

  /**
   * Validates query parameters (strings from the URL) against their schemas, converting numbers
   * and repeated values first; undefined when valid.
   */
  validateQuery(operationId: string, query: Record<string, string | string[] | undefined>): FieldErrors | undefined {
    const op = this.operation(operationId);
    if (!op || op.queryParams.length === 0) return undefined;
    const v = this.compile(this.queryValidators, `${operationId}-query`, () => ({
      type: 'object',
      properties: Object.fromEntries(op.queryParams.map((p) => [p.name, p.schema])),
      required: op.queryParams.filter((p) => p.required).map((p) => p.name),
    }));
    if (!v) return undefined;
    const typed: Record<string, unknown> = {};
    for (const p of op.queryParams) {
      const value = query[p.name];
      if (value === undefined) continue;
      const isInteger = (p.schema as { type?: string }).type === 'integer';
      typed[p.name] = isInteger && typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    }
    if (v(typed)) return undefined;
    return fieldErrors(v.errors, 'query');
  }

  /**
   * Validates a response body against the schema the spec gives for that operation and status
   * (or the error shape for a status the spec does not document). Returns ajv's error text, or
   * undefined when valid. For tests and diagnostics; the server does not validate its responses.
   */
  validateResponse(operationId: string, status: number, body: unknown): string | undefined {
    const op = this.raw.get(operationId);
    if (!op) return `unknown operationId ${operationId}`;
    const documented = op.responses?.[String(status)];
    if (!documented) {
      if (status < 400) return `status ${status} is not documented for ${operationId} (documented: ${Object.keys(op.responses ?? {}).join(', ')})`;
      return this.validateError(body);
    }
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) return body === undefined || body === '' ? undefined : `status ${status} of ${operationId} has no body in the spec`;
    const v = this.compile(this.responseValidators, `${operationId}-${status}`, () => schema)!;
    return v(body) ? undefined : this.ajv.errorsText(v.errors, { dataVar: 'body' });
  }

  /** Validates an error body: {error:{message, code, data?}}. */
  validateError(body: unknown): string | undefined {
    return this.errorValidator(body) ? undefined : this.ajv.errorsText(this.errorValidator.errors, { dataVar: 'body' });
  }
}

let shared: ApiSpec | undefined;

/** The process-wide spec (parsing it and compiling validators takes a moment; do it once). */
export function apiSpec(): ApiSpec {
  shared ??= new ApiSpec();
  return shared;
}
