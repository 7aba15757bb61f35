import { invalidInput } from '../cli/errors.js';
import { MAX_SPEC_BYTES, readInputFile } from '../cli/input-file.js';
import { containsSecret } from '../config/redact.js';
import type { PlanPolicy, SupplyLevel } from '../plan/types.js';
import { canonicalHash } from '../supply-chain/hash.js';
import { displayPath } from '../supply-chain/load.js';
import { schemaPath } from '../supply-chain/paths.js';
import type { SupplyChain, SupplyChainMap } from '../supply-chain/types.js';
import { flightModes, shipFrames, shipRoles, tradeSymbols } from './api-enums.js';
import { parseDuration } from './duration.js';
import { LocatedYaml, issuesError, type Issue } from './located-yaml.js';
import { compileSchemaFile, didYouMean, schemaIssues } from './schema-issues.js';
import { BEST_BID, SPEC_DEFAULTS, type FleetSelector, type LoadedSpec, type ProductionSpec, type SpecDelivery } from './types.js';

/** The spec as the schema describes it (before defaults). */
interface RawSpec {
  name: string;
  system?: string;
  target: { good?: string; quantity?: number; deliver?: 'hold' | { sell: string } | { contract: string } | { construction: string }; construction?: string };
  fleet?: { ships?: string[]; select?: { role?: string[]; frame?: string[]; max?: number } };
  policy: {
    mode?: PlanPolicy['mode'];
    minSupply?: SupplyLevel;
    maxCredits: number;
    maxUnitPrice?: Record<string, number>;
    make?: string[];
    extract?: string[];
    shipHourCredits?: number;
    maxMinersPerSite?: number;
    unwantedYield?: 'jettison' | 'sell';
    scope?: { maxJumps?: number; systems?: string[] };
    clearHolds?: boolean;
    minProfit?: number | string;
    surplus?: 'sell' | 'keep';
    maxDrift?: { price?: number; supplyBelowGate?: boolean };
    reserveCredits?: number;
    productionTimeout?: string;
    pollInterval?: string;
    flightMode?: string;
  };
}

const HINT = 'Fix the lines above (schemas/production-spec.schema.json documents every field; the files in plans/ are commented examples), then run `st-goods validate SPEC` again.';

/** Every good name the spec may use: the supply chain's goods and the API's TradeSymbol enum. */
export function knownGoods(map: SupplyChainMap): Set<string> {
  const goods = new Set<string>(tradeSymbols());
  for (const [good, inputs] of Object.entries(map)) {
    goods.add(good);
    for (const i of inputs) goods.add(i);
  }
  return goods;
}

function get(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** Checks the schema cannot express: names against the supply chain and the API enums, durations, waypoints vs system. */
function semanticIssues(src: LocatedYaml, raw: unknown, goods: Set<string>): Issue[] {
  const issues: Issue[] = [];
  const goodList = [...goods];
  const checkGood = (value: unknown, path: (string | number)[], at: 'value' | 'key'): void => {
    if (typeof value !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(value) || goods.has(value)) return;
    issues.push(src.issue(path, `${formatLabel(path)} names an unknown good ${JSON.stringify(value)}${didYouMean(value, goodList)}; goods are the trade symbols of the supply chain and the API`, at));
  };
  const checkEnum = (value: unknown, path: (string | number)[], allowed: string[], what: string): void => {
    if (typeof value !== 'string' || allowed.includes(value)) return;
    issues.push(src.issue(path, `${formatLabel(path)} must be a ${what}: one of ${allowed.join(', ')} (got ${JSON.stringify(value)})${didYouMean(value, allowed)}`));
  };

  issues.push(...targetShapeIssues(src, get(raw, 'target')));
  checkGood(get(raw, 'target', 'good'), ['target', 'good'], 'value');
  const prices = get(raw, 'policy', 'maxUnitPrice');
  if (prices && typeof prices === 'object' && !Array.isArray(prices)) {
    for (const good of Object.keys(prices)) checkGood(good, ['policy', 'maxUnitPrice', good], 'key');
  }
  const make = get(raw, 'policy', 'make');
  if (Array.isArray(make)) make.forEach((good, i) => checkGood(good, ['policy', 'make', i], 'value'));
  const extract = get(raw, 'policy', 'extract');
  if (Array.isArray(extract)) {
    extract.forEach((good, i) => checkGood(good, ['policy', 'extract', i], 'value'));
    if (Array.isArray(make)) {
      extract.forEach((good, i) => {
        if (make.includes(good)) issues.push(src.issue(['policy', 'extract', i], `${String(good)} is in both policy.make and policy.extract; a good is either made or extracted: remove it from one`));
      });
    }
  }
  const roles = get(raw, 'fleet', 'select', 'role');
  if (Array.isArray(roles)) roles.forEach((r, i) => checkEnum(r, ['fleet', 'select', 'role', i], shipRoles(), 'ship role'));
  const frames = get(raw, 'fleet', 'select', 'frame');
  if (Array.isArray(frames)) frames.forEach((f, i) => checkEnum(f, ['fleet', 'select', 'frame', i], shipFrames(), 'ship frame'));
  checkEnum(get(raw, 'policy', 'flightMode'), ['policy', 'flightMode'], flightModes(), 'flight mode');

  for (const key of ['productionTimeout', 'pollInterval'] as const) {
    const text = get(raw, 'policy', key);
    if (typeof text === 'string' && parseDuration(text) === 0) issues.push(src.issue(['policy', key], `policy.${key} must be longer than zero (got ${JSON.stringify(text)})`));
  }
  const timeout = parseDuration(String(get(raw, 'policy', 'productionTimeout') ?? '')) ?? SPEC_DEFAULTS.productionTimeoutSeconds;
  const pollText = get(raw, 'policy', 'pollInterval');
  const poll = typeof pollText === 'string' ? parseDuration(pollText) : undefined;
  if (poll && timeout && poll > timeout) {
    issues.push(src.issue(['policy', 'pollInterval'], `policy.pollInterval (${String(pollText)}) must not be longer than policy.productionTimeout (${timeout}s): the wait would end before the first look`));
  }

  const deliver = get(raw, 'target', 'deliver');
  if (get(raw, 'policy', 'minProfit') !== undefined && (deliver === undefined || deliver === 'hold')) {
    issues.push(src.issue(['policy', 'minProfit'], 'policy.minProfit needs a target that earns something: target.deliver must be {sell: WAYPOINT} or {contract: ID}; a target kept in the holds has no expected profit'));
  }

  const given = get(raw, 'system');
  const system = given === 'home' ? undefined : given;
  const sell = get(raw, 'target', 'deliver', 'sell');
  // A sale in another system is fine when the scope lets the plan leave home (issue 13).
  const homeOnly = get(raw, 'policy', 'scope', 'maxJumps') === 0;
  if (homeOnly && typeof system === 'string' && typeof sell === 'string' && sell !== BEST_BID && !sell.startsWith(`${system}-`)) {
    issues.push(src.issue(['target', 'deliver', 'sell'], `target.deliver.sell is waypoint ${sell}, which is not in the spec's system ${system} and policy.scope.maxJumps is 0; sell at a waypoint of ${system}, or allow jumps`));
  }
  return issues;
}

/**
 * A target is either a good (good and quantity, deliver optional) or a construction site's whole
 * bill (construction alone): the schema takes both shapes' fields, this says which mix is wrong.
 */
function targetShapeIssues(src: LocatedYaml, target: unknown): Issue[] {
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return [];
  const t = target as Record<string, unknown>;
  if ('construction' in t) {
    return ['good', 'quantity', 'deliver']
      .filter((k) => k in t)
      .map((k) =>
        src.issue(['target', k], `target.${k} cannot go with target.construction: {construction: ${String(t.construction)}} plans the site's whole remaining bill (every material, the quantity it still needs); for one material write target.good and target.quantity with deliver: {construction: ${String(t.construction)}} instead`, 'key'),
      );
  }
  return (['good', 'quantity'] as const)
    .filter((k) => !(k in t))
    .map((k) => src.issue(['target'], `target.${k} is required but missing: add it under target (e.g. ${k === 'good' ? 'good: IRON' : 'quantity: 100'}), or write target: {construction: home-gate} alone to build a construction site's whole remaining bill`, 'key'));
}

function formatLabel(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}

/** policy.minProfit: an integer is credits, "10%" a margin of the expected cost (0.1). */
function minProfitOf(v: number | string): NonNullable<PlanPolicy['minProfit']> {
  return typeof v === 'number' ? { credits: v } : { margin: Number(v.slice(0, -1)) / 100 };
}

/** Fills in defaults and converts units: the ProductionSpec a planner works from. */
export function normaliseSpec(raw: RawSpec): ProductionSpec {
  const d = raw.target.deliver;
  const deliver: SpecDelivery =
    d === undefined || d === 'hold'
      ? { kind: 'hold' }
      : 'sell' in d
        ? { kind: 'sell', waypoint: d.sell }
        : 'construction' in d
          ? { kind: 'construction', site: d.construction }
          : { kind: 'contract', contractId: d.contract };
  let fleet: FleetSelector;
  if (raw.fleet?.ships) {
    fleet = { kind: 'ships', ships: [...raw.fleet.ships] };
  } else {
    const s = raw.fleet?.select ?? {};
    fleet = { kind: 'select', ...(s.role ? { roles: [...s.role] } : {}), ...(s.frame ? { frames: [...s.frame] } : {}), ...(s.max !== undefined ? { max: s.max } : {}) };
  }
  const p = raw.policy;
  const policy: PlanPolicy = {
    mode: p.mode ?? SPEC_DEFAULTS.mode,
    minSupplyToBuy: p.minSupply ?? SPEC_DEFAULTS.minSupply,
    maxCredits: p.maxCredits,
    maxUnitPrice: { ...(p.maxUnitPrice ?? {}) },
    reserveCredits: p.reserveCredits ?? SPEC_DEFAULTS.reserveCredits,
    productionTimeoutSeconds: p.productionTimeout ? (parseDuration(p.productionTimeout) as number) : SPEC_DEFAULTS.productionTimeoutSeconds,
    pollSeconds: p.pollInterval ? (parseDuration(p.pollInterval) as number) : SPEC_DEFAULTS.pollSeconds,
    flightMode: (p.flightMode ?? SPEC_DEFAULTS.flightMode) as PlanPolicy['flightMode'],
    // Only when given, so specs without it hash (and plan) exactly as before; sorted: the plan body is deterministic.
    ...(p.make?.length ? { make: [...new Set(p.make)].sort() } : {}),
    ...(p.clearHolds === false ? { clearHolds: false as const } : {}),
    ...(p.extract?.length ? { extract: [...new Set(p.extract)].sort() } : {}),
    ...(p.shipHourCredits !== undefined ? { shipHourCredits: p.shipHourCredits } : {}),
    ...(p.unwantedYield ? { unwantedYield: p.unwantedYield } : {}),
    ...(p.maxMinersPerSite !== undefined ? { maxMinersPerSite: p.maxMinersPerSite } : {}),
    ...(p.scope ? { scope: { ...(p.scope.maxJumps !== undefined ? { maxJumps: p.scope.maxJumps } : {}), ...(p.scope.systems ? { systems: [...new Set(p.scope.systems)].sort() } : {}) } } : {}),
    ...(p.minProfit !== undefined ? { minProfit: minProfitOf(p.minProfit) } : {}),
    ...(p.surplus === 'keep' ? { surplus: 'keep' as const } : {}),
    ...(p.maxDrift ? { maxDrift: { price: p.maxDrift.price ?? SPEC_DEFAULTS.maxDriftPrice, supplyBelowGate: p.maxDrift.supplyBelowGate ?? true } } : {}),
  };
  return {
    name: raw.name,
    // `home` is the default spelled out: it hashes (and plans) like a spec without system.
    ...(raw.system && raw.system !== 'home' ? { system: raw.system } : {}),
    target: raw.target.construction !== undefined ? { construction: raw.target.construction } : { good: raw.target.good!, quantity: raw.target.quantity!, deliver },
    fleet,
    policy,
  };
}

/** `sha256:<hex>` of the canonical JSON of a normalised spec: equal specs (comments, order, spelled-out defaults aside) hash equal. */
export function specHash(spec: ProductionSpec): string {
  return canonicalHash(spec);
}

/**
 * Validates spec text (YAML) and normalises it. Every problem is reported at once, each as
 * `file:line:column: what is wrong and how to fix it`, in a UserError (INVALID_INPUT).
 */
export function parseSpec(text: string, file: string, supplyChain: SupplyChain | SupplyChainMap): LoadedSpec {
  const map = 'map' in supplyChain && 'hash' in supplyChain ? (supplyChain as SupplyChain).map : (supplyChain as SupplyChainMap);
  const src = new LocatedYaml(text, file);
  if (src.syntaxIssues.length) throw issuesError('The production spec', file, src.syntaxIssues, HINT);
  const raw = src.toJS();
  if (raw === null || raw === undefined) {
    throw issuesError('The production spec', file, [{ file, line: 1, col: 1, path: '', message: 'the spec is empty: it needs at least name, target and policy' }], HINT);
  }
  const issues = [...schemaIssues(src, compileSchemaFile(schemaPath('production-spec.schema.json')), raw)];
  issues.push(...semanticIssues(src, raw, knownGoods(map)));
  if (issues.length) throw issuesError('The production spec', file, issues, HINT);
  const spec = normaliseSpec(raw as RawSpec);
  return { spec, hash: specHash(spec), file };
}

/** Reads and validates a spec file; see parseSpec. */
export function loadSpec(file: string, supplyChain: SupplyChain | SupplyChainMap): LoadedSpec {
  const text = readInputFile(file, 'production spec', 'Check the path; the files in plans/ are examples to start from (a spec is a small YAML file).', MAX_SPEC_BYTES);
  if (containsSecret(text)) {
    throw invalidInput(`The production spec ${displayPath(file)} contains your agent token (or a value shaped like an agent token).`, 'Remove it: the token belongs in ST_TOKEN or a token file, never in a spec (specs go into plans, the store and git).');
  }
  return parseSpec(text, displayPath(file), supplyChain);
}
