import type { ServerResponse } from 'node:http';

/** Writing JSON responses in the API's shape. */

export interface ApiErrorBody {
  error: { message: string; code: number; data?: Record<string, unknown> };
}

export function errorBody(message: string, code: number, data?: Record<string, unknown>): ApiErrorBody {
  return data === undefined ? { error: { message, code } } : { error: { message, code, data } };
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Writes a JSON body (or none for 204 / undefined) with a content-length, keeping the connection alive. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

export function sendError(res: ServerResponse, status: number, message: string, code: number = status, data?: Record<string, unknown>, headers?: Record<string, string>): void {
  sendJson(res, status, errorBody(message, code, data), headers);
}
