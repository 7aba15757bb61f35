/**
 * One HTTP attempt, with node-fetch over keep-alive agents. The only place in st-goods that
 * opens a connection to a SpaceTraders server; it knows nothing of retries or rate limits.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import fetch, { type Response } from 'node-fetch';

// `timeout` closes a kept-alive socket after 4 s idle, before a server's usual 5 s keep-alive
// timeout can close it under a new request (which for a POST would be an unknown outcome); Node
// also honours a shorter `Keep-Alive: timeout=N` hint from the server, given this option.
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64, timeout: 4000 };
const httpAgent = new http.Agent(AGENT_OPTIONS);
const httpsAgent = new https.Agent(AGENT_OPTIONS);

function readVersion(): string {
  try {
    // src/api/ and dist/api/ both sit two levels below the package root.
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const CLIENT_VERSION = readVersion();
export const USER_AGENT = `st-goods/${CLIENT_VERSION}`;

export interface Attempt {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface AttemptResult {
  status: number;
  headers: Response['headers'];
  text: string;
}

/** Why an attempt got no HTTP response. `sent` is false only when nothing can have reached the server. */
export class NetworkFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly sent: boolean,
    /** True when the caller's own AbortSignal ended the attempt (not our timeout). */
    readonly cancelled: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetworkFailure';
  }
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export async function sendAttempt(a: Attempt): Promise<AttemptResult> {
  // One controller ends the attempt on our timeout or on the caller's signal. (A listener removed
  // in `finally`, rather than AbortSignal.any, so that a long-lived caller signal does not
  // accumulate state over thousands of calls.)
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, a.timeoutMs);
  const onCallerAbort = () => ctl.abort();
  if (a.signal?.aborted) ctl.abort();
  else a.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const signal = ctl.signal;
  try {
    const res = await fetch(a.url, {
      method: a.method,
      headers: a.headers,
      body: a.body,
      signal,
      agent: (u: URL) => (u.protocol === 'https:' ? httpsAgent : httpAgent),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  } catch (e) {
    const err = e as Error & { code?: string; type?: string };
    if (a.signal?.aborted) throw new NetworkFailure('cancelled by the caller', 'ABORTED', true, true, { cause: e });
    if (timedOut) throw new NetworkFailure(`no complete answer within ${a.timeoutMs} ms`, 'ETIMEDOUT', true, false, { cause: e });
    const code = err.code ?? err.type ?? 'UNKNOWN';
    throw new NetworkFailure(err.message, code, !NOT_SENT.has(code), false, { cause: e });
  } finally {
    clearTimeout(timer);
    a.signal?.removeEventListener('abort', onCallerAbort);
  }
}
