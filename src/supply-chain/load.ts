import fs from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../cli/errors.js';
import { configDir } from '../config/config.js';
import { LocatedYaml, issuesError } from '../spec/located-yaml.js';
import { compileSchemaFile, schemaIssues } from '../spec/schema-issues.js';
import { canonicalHash } from './hash.js';
import { bundledSupplyChainPath, schemaPath } from './paths.js';
import type { SupplyChain, SupplyChainMap } from './types.js';

/** The environment variable that names a supply chain file (below --supply-chain, above the user's and the bundled one). */
export const SUPPLY_CHAIN_ENV = 'ST_GOODS_SUPPLY_CHAIN';

/** Where `supply-chain refresh` writes by default: the user's config dir, never the installed package. */
export function userSupplyChainPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'supply_chain.yaml');
}

/**
 * Which file to read: the --supply-chain flag, else ST_GOODS_SUPPLY_CHAIN, else the user's refreshed
 * copy in the config dir when there is one, else the supply_chain.yaml shipped with st-goods.
 */
export function resolveSupplyChainPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const user = userSupplyChainPath(env);
  const chosen = flag || env[SUPPLY_CHAIN_ENV] || (fs.existsSync(user) ? user : bundledSupplyChainPath());
  return path.resolve(chosen);
}

/** sha256 of the canonical content (keys sorted, input lists as given): key order and comments do not change it. */
export function supplyChainHash(map: SupplyChainMap): string {
  return canonicalHash(map);
}

/**
 * Parses and validates supply chain YAML text. `file` is only used in messages.
 * Throws UserError INVALID_INPUT listing every problem as file:line:column.
 */
export function parseSupplyChain(text: string, file: string): SupplyChainMap {
  const src = new LocatedYaml(text, file);
  const hint = 'Fix the file, or run `st-goods supply-chain refresh --out FILE` to fetch a fresh copy from the API.';
  if (src.syntaxIssues.length) throw issuesError('The supply chain file', file, src.syntaxIssues, hint);
  const issues = schemaIssues(src, compileSchemaFile(schemaPath('supply-chain.schema.json')));
  if (issues.length) throw issuesError('The supply chain file', file, issues, hint);
  return (src.toJS() as { exportToImportMap: SupplyChainMap }).exportToImportMap;
}

/**
 * Loads the supply chain. Resolution: `file` (the --supply-chain flag) > ST_GOODS_SUPPLY_CHAIN >
 * <config dir>/supply_chain.yaml (written by `supply-chain refresh`) > the supply_chain.yaml at the
 * package root (found from this module, not the current directory).
 */
export function loadSupplyChain(file?: string, env: NodeJS.ProcessEnv = process.env): SupplyChain {
  const source = resolveSupplyChainPath(file, env);
  let text: string;
  try {
    text = fs.readFileSync(source, 'utf8');
  } catch (e) {
    const how = file ? '--supply-chain' : env[SUPPLY_CHAIN_ENV] ? SUPPLY_CHAIN_ENV : source === userSupplyChainPath(env) ? 'the config dir' : 'the st-goods package';
    throw invalidInput(
      `Cannot read the supply chain file ${source} (named by ${how}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
      'Check the path, or leave --supply-chain and ST_GOODS_SUPPLY_CHAIN unset to use the bundled supply_chain.yaml.',
    );
  }
  const map = parseSupplyChain(text, displayPath(source));
  return { map, hash: supplyChainHash(map), source };
}

/** A path as a person should see it in a message: relative when under the current directory. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
