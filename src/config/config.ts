import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { Secret, registerSecret } from './redact.js';

/** The real server. Override with --base-url, ST_BASE_URL or the config file. */
export const DEFAULT_BASE_URL = 'https://api.spacetraders.io/v2';

/** Where st-goods keeps its files, following the XDG base directory conventions. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ST_GOODS_CONFIG_DIR ?? path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'st-goods');
}

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ST_GOODS_STATE_DIR ?? path.join(env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'st-goods');
}

/** The SQLite journal and cache. Override with --store or ST_GOODS_STORE. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.ST_GOODS_STORE ?? path.join(stateDir(env), 'st-goods.sqlite');
}

export interface FileConfig {
  baseUrl?: string;
  tokenFile?: string;
  store?: string;
}

/** Reads `<configDir>/config.json` if present. */
export function readFileConfig(env: NodeJS.ProcessEnv = process.env): FileConfig {
  const file = path.join(configDir(env), 'config.json');
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as FileConfig;
  } catch (e) {
    throw new UserError({
      code: 'BAD_CONFIG',
      exitCode: ExitCode.AUTH,
      message: `The config file ${file} is not valid JSON (${(e as Error).message}).`,
      hint: 'Fix or delete it; see the README section "Configuration".',
    });
  }
}

export function resolveBaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const url = flag ?? env.ST_BASE_URL ?? readFileConfig(env).baseUrl ?? DEFAULT_BASE_URL;
  return url.replace(/\/+$/, '');
}

/** What a token file holds, for its messages: the agent token or the account token. */
export interface TokenKind {
  code: string;
  /** "token" or "account token", as in "the token file". */
  noun: string;
  /** Whose token: "agent" or "account". */
  owner: string;
  /** The environment variable that can hold it instead. */
  env: string;
}

export const AGENT_TOKEN: TokenKind = { code: 'NO_TOKEN', noun: 'token', owner: 'agent', env: 'ST_TOKEN' };

/** Reads a token from `file` (named by `source`), registered as a secret; a user error when unreadable or empty. */
export function readTokenFile(file: string, source: string, kind: TokenKind): Secret {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new UserError({
      code: kind.code,
      exitCode: ExitCode.AUTH,
      message: `Cannot read the ${kind.noun} file ${file} named by ${source} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
      hint: `Check the path, or set ${kind.env} instead.`,
    });
  }
  if (!text) {
    throw new UserError({ code: kind.code, exitCode: ExitCode.AUTH, message: `The ${kind.noun} file ${file} named by ${source} is empty.`, hint: `Write your ${kind.owner} token into it, or set ${kind.env}.` });
  }
  registerSecret(text);
  return new Secret(text);
}

/**
 * Finds the agent token. Precedence, first match wins:
 *   1. --token-file FILE
 *   2. ST_TOKEN (the token itself)
 *   3. ST_TOKEN_FILE
 *   4. tokenFile in <configDir>/config.json
 *   5. <configDir>/token
 * The token is wrapped in a Secret so that it can never be printed by accident.
 */
export function resolveToken(tokenFileFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): Secret | undefined {
  const fromFile = (file: string, source: string): Secret => readTokenFile(file, source, AGENT_TOKEN);
  if (tokenFileFlag) return fromFile(tokenFileFlag, '--token-file');
  if (env.ST_TOKEN?.trim()) {
    registerSecret(env.ST_TOKEN.trim());
    return new Secret(env.ST_TOKEN.trim());
  }
  if (env.ST_TOKEN_FILE) return fromFile(env.ST_TOKEN_FILE, 'ST_TOKEN_FILE');
  const cfg = readFileConfig(env);
  if (cfg.tokenFile) return fromFile(cfg.tokenFile, 'config.json tokenFile');
  const dflt = path.join(configDir(env), 'token');
  if (fs.existsSync(dflt)) return fromFile(dflt, 'the default token file');
  return undefined;
}

export function requireToken(tokenFileFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): Secret {
  const token = resolveToken(tokenFileFlag, env);
  if (!token) {
    throw new UserError({
      code: 'NO_TOKEN',
      exitCode: ExitCode.AUTH,
      message: 'No SpaceTraders agent token was found.',
      hint: `Set ST_TOKEN, pass --token-file FILE, or write the token to ${path.join(configDir(env), 'token')}. For a local rehearsal, start \`st-goods sim\` and use the token it prints.`,
    });
  }
  return token;
}

/**
 * Registers every token this process could know (ST_TOKEN, the files ST_TOKEN_FILE, config.json
 * and the config dir name) for redaction, without failing: called before argument parsing, so
 * that a token passed where something else belongs is never printed back.
 */
export function registerKnownTokens(env: NodeJS.ProcessEnv = process.env): void {
  if (env.ST_TOKEN?.trim()) registerSecret(env.ST_TOKEN.trim());
  const files = [env.ST_TOKEN_FILE, path.join(configDir(env), 'token')];
  try {
    files.push(readFileConfig(env).tokenFile);
  } catch {
    // a broken config.json is reported by the command that needs it
  }
  for (const f of files) {
    if (!f) continue;
    try {
      const st = fs.statSync(f);
      if (st.isFile() && st.size < 64 * 1024) registerSecret(fs.readFileSync(f, 'utf8').trim());
    } catch {
      // missing or unreadable: the command that needs the token says so
    }
  }
}
