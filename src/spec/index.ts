/** The production spec: YAML → schema + semantic checks (file:line:col) → a normalised ProductionSpec and its hash. */
export type { ProductionSpec, LoadedSpec, SpecDelivery, FleetSelector } from './types.js';
export { SPEC_DEFAULTS } from './types.js';
export { loadSpec, parseSpec, normaliseSpec, specHash, knownGoods } from './load.js';
export { checkFleetShips, selectFleet, type ShipFacts } from './fleet.js';
export { parseDuration, formatDuration } from './duration.js';
export { LocatedYaml, formatIssue, issuesError, type Issue } from './located-yaml.js';
export { compileSchemaFile, schemaIssues, didYouMean } from './schema-issues.js';
