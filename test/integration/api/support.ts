/**
 * A small HTTP server for the client tests (node:http on 127.0.0.1, port 0), and a clock whose
 * sleeps return at once while recording how long they asked to wait.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../src/api/clock.js';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: Seen, res: http.ServerResponse, n: number) => unknown;

export interface TestServer {
  baseUrl: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      void Promise.resolve(handler(s, res, seen.length)).catch((e: unknown) => {
        res.statusCode = 599;
        res.end(String(e));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v2`,
    port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function gameError(res: http.ServerResponse, status: number, code: number, message: string, data?: unknown): void {
  json(res, status, { error: { message, code, ...(data === undefined ? {} : { data }) } });
}

/** Drops the connection without an answer (the request has reached the server). */
export function drop(res: http.ServerResponse): void {
  res.socket?.destroy();
}

/** Sleeps return on the next turn of the event loop; `waits` records what they asked for. */
export class InstantClock implements Clock {
  waits: number[] = [];
  #now = Date.parse('2026-01-01T00:00:00Z');
  now(): number {
    return this.#now;
  }
  schedule(ms: number, fn: () => void): () => void {
    this.waits.push(ms);
    this.#now += ms;
    const t = setImmediate(fn);
    return () => clearImmediate(t);
  }
}
