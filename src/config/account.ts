import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { configDir, readTokenFile, type TokenKind } from './config.js';
import { Secret, registerSecret } from './redact.js';

const ACCOUNT_TOKEN: TokenKind = { code: 'NO_ACCOUNT_TOKEN', noun: 'account token', owner: 'account', env: 'ST_ACCOUNT_TOKEN' };

/**
 * The account token (spacetraders.io → your account → API token), needed only to register agents
 * (POST /register, since 2025-01). Precedence, first match wins:
 *   1. --account-token-file FILE
 *   2. ST_ACCOUNT_TOKEN (the token itself)
 *   3. ST_ACCOUNT_TOKEN_FILE
 *   4. <configDir>/account-token
 */
export function requireAccountToken(fileFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): Secret {
  const fromFile = (file: string, source: string): Secret => readTokenFile(file, source, ACCOUNT_TOKEN);
  if (fileFlag) return fromFile(fileFlag, '--account-token-file');
  const inline = env.ST_ACCOUNT_TOKEN?.trim();
  if (inline) {
    registerSecret(inline);
    return new Secret(inline);
  }
  if (env.ST_ACCOUNT_TOKEN_FILE) return fromFile(env.ST_ACCOUNT_TOKEN_FILE, 'ST_ACCOUNT_TOKEN_FILE');
  const dflt = path.join(configDir(env), 'account-token');
  if (fs.existsSync(dflt)) return fromFile(dflt, 'the default account token file');
  throw new UserError({
    code: 'NO_ACCOUNT_TOKEN',
    exitCode: ExitCode.AUTH,
    message: 'Registering an agent needs your account token, and none was found.',
    hint: `Copy it from your account on spacetraders.io and set ST_ACCOUNT_TOKEN, pass --account-token-file FILE, or write it to ${dflt}. Against \`st-goods sim\`, any non-empty value works (e.g. ST_ACCOUNT_TOKEN=sim-account).`,
  });
}

/** The agent token file `register` writes: --token-out, else <configDir>/token (where every command looks last). */
export function defaultAgentTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'token');
}

/** Refuses, before any request, to overwrite an agent token file (that agent's token would be lost). */
export function checkTokenFileFree(file: string, force: boolean): void {
  if (force || !fs.existsSync(file)) return;
  throw new UserError({
    code: 'TOKEN_FILE_EXISTS',
    exitCode: ExitCode.INVALID_INPUT,
    message: `${file} already holds an agent token; registering would overwrite it and that agent's token would be lost.`,
    hint: 'Pass --token-out OTHER_FILE (then --token-file OTHER_FILE or ST_TOKEN_FILE to use it), or --force to replace it.',
  });
}

/** Writes the agent token readable by its owner only (0600; the directory 0700 when created). */
export function saveAgentToken(file: string, token: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}
