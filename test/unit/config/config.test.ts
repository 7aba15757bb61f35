import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { scrubArgs } from '../../../src/cli/guard-output.js';
import { expect } from 'chai';
import { DEFAULT_BASE_URL, defaultStorePath, requireToken, resolveBaseUrl, resolveToken } from '../../../src/config/config.js';
import { Secret, containsSecret, redactText } from '../../../src/config/redact.js';
import { UserError } from '../../../src/cli/errors.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';

describe('config: base URL and token resolution', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-config-'));
    env = { ST_GOODS_CONFIG_DIR: path.join(dir, 'cfg'), ST_GOODS_STATE_DIR: path.join(dir, 'state') };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('defaults to the real server and lets flag > env > config file override it', () => {
    expect(resolveBaseUrl(undefined, env)).to.equal(DEFAULT_BASE_URL);
    fs.mkdirSync(env.ST_GOODS_CONFIG_DIR!, { recursive: true });
    fs.writeFileSync(path.join(env.ST_GOODS_CONFIG_DIR!, 'config.json'), JSON.stringify({ baseUrl: 'http://cfg/v2' }));
    expect(resolveBaseUrl(undefined, env)).to.equal('http://cfg/v2');
    expect(resolveBaseUrl(undefined, { ...env, ST_BASE_URL: 'http://env/v2/' })).to.equal('http://env/v2');
    expect(resolveBaseUrl('http://flag/v2', { ...env, ST_BASE_URL: 'http://env/v2' })).to.equal('http://flag/v2');
  });

  it('takes the token from --token-file, then ST_TOKEN, then ST_TOKEN_FILE, then the config dir', () => {
    const f1 = path.join(dir, 'a.token');
    const f2 = path.join(dir, 'b.token');
    fs.writeFileSync(f1, 'token-from-flag-file\n');
    fs.writeFileSync(f2, 'token-from-env-file');
    fs.mkdirSync(env.ST_GOODS_CONFIG_DIR!, { recursive: true });
    fs.writeFileSync(path.join(env.ST_GOODS_CONFIG_DIR!, 'token'), 'token-from-config-dir');
    const all = { ...env, ST_TOKEN: 'token-from-env', ST_TOKEN_FILE: f2 };
    expect(resolveToken(f1, all)?.reveal()).to.equal('token-from-flag-file');
    expect(resolveToken(undefined, all)?.reveal()).to.equal('token-from-env');
    expect(resolveToken(undefined, { ...env, ST_TOKEN_FILE: f2 })?.reveal()).to.equal('token-from-env-file');
    expect(resolveToken(undefined, env)?.reveal()).to.equal('token-from-config-dir');
  });

  it('explains how to get a token when there is none, with the AUTH exit code', () => {
    try {
      requireToken(undefined, env);
      expect.fail('expected an error');
    } catch (e) {
      expect(e).to.be.instanceOf(UserError);
      expect((e as UserError).exitCode).to.equal(ExitCode.AUTH);
      expect((e as UserError).paragraph).to.match(/ST_TOKEN/).and.match(/--token-file/);
    }
  });

  it('names an unreadable token file without leaking anything', () => {
    expect(() => resolveToken(path.join(dir, 'missing'), env)).to.throw(UserError, /Cannot read the token file/);
  });

  it('keeps the store under the XDG state dir unless told otherwise', () => {
    expect(defaultStorePath(env)).to.equal(path.join(dir, 'state', 'st-goods.sqlite'));
    expect(defaultStorePath({ ...env, ST_GOODS_STORE: '/x/y.sqlite' })).to.equal('/x/y.sqlite');
  });
});

describe('config: secrets never print', () => {
  it('redacts a Secret through String, JSON, inspect and templates', () => {
    const s = new Secret('eyJhbGciOiJSUzI1NiJ9.very-secret-token');
    const renderings = [String(s), `${s}`, JSON.stringify({ token: s }), util.inspect({ token: s }), util.format('%o', s)];
    for (const r of renderings) expect(r).not.to.contain('very-secret');
    expect(s.reveal()).to.contain('very-secret');
  });

  it('scrubs registered tokens and bearer headers from free text', () => {
    const env = { ST_TOKEN: 'abcdefghijklmnop-registered', ST_GOODS_CONFIG_DIR: '/nonexistent' };
    resolveToken(undefined, env);
    expect(redactText('failed with abcdefghijklmnop-registered inside')).to.equal('failed with [redacted] inside');
    expect(redactText('Authorization: Bearer zzzzzzzzzzzzzzzzzz')).to.equal('Authorization: Bearer [redacted]');
  });

  it('scrubs anything shaped like an agent JWT, known or not, and says when text holds one', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJpZGVudGlmaWVyIjoiWCJ9.c2lnbmF0dXJlLXBhcnQ';
    expect(redactText(`There is no run ${jwt} in this store.`)).to.equal('There is no run [redacted] in this store.');
    expect(containsSecret(`name: ${jwt}`)).to.equal(true);
    expect(containsSecret('name: iron-40')).to.equal(false);
    expect(scrubArgs(['status', jwt, `--token=${jwt}`])).to.deep.equal(['status', '[redacted]', '--token=[redacted]']);
  });
});
