import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The page's files: src/dashboard/public, beside this file in src/ or two levels up from dist/dashboard. */
export function publicDir(): string {
  for (const dir of [path.join(HERE, 'public'), path.resolve(HERE, '../../src/dashboard/public')]) {
    if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  }
  throw new Error(`the dashboard's page (src/dashboard/public) is missing next to ${HERE}`);
}

/** Libraries the page loads, served from node_modules (no CDN: the page works offline). */
function vendorFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  return { '/vendor/chart.umd.min.js': path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js') };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

interface Asset {
  body: Buffer;
  gzip: Buffer;
  etag: string;
  type: string;
}

/**
 * Serves the page, its script and style, and the vendored libraries, read once and gzipped once.
 * index.html gets the control settings in a meta tag (the token that POSTs must echo).
 */
export class Assets {
  readonly #files = new Map<string, string>();
  readonly #cache = new Map<string, Asset>();

  constructor() {
    const dir = publicDir();
    for (const name of fs.readdirSync(dir)) this.#files.set(`/${name}`, path.join(dir, name));
    for (const [url, file] of Object.entries(vendorFiles())) this.#files.set(url, file);
  }

  #asset(url: string, page?: { allowControl: boolean; controlToken: string }): Asset | undefined {
    const key = page ? `${url}#${page.allowControl}` : url;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const file = this.#files.get(url === '/' ? '/index.html' : url);
    if (!file) return undefined;
    let body = fs.readFileSync(file);
    if (page) {
      const meta = `<meta name="st-goods-control" content="${page.controlToken}" data-allowed="${page.allowControl}">`;
      body = Buffer.from(body.toString('utf8').replace('<!--control-->', meta));
    }
    const asset: Asset = { body, gzip: zlib.gzipSync(body, { level: 9 }), etag: `"${crypto.createHash('sha1').update(body).digest('hex').slice(0, 16)}"`, type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
    this.#cache.set(key, asset);
    return asset;
  }

  serve(req: http.IncomingMessage, res: http.ServerResponse, url: string, page?: { allowControl: boolean; controlToken: string }): void {
    const a = this.#asset(url, page);
    if (!a) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Not found: ${url}`);
      return;
    }
    const headers: http.OutgoingHttpHeaders = {
      'content-type': a.type,
      etag: a.etag,
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
    };
    if (req.headers['if-none-match'] === a.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gz ? a.gzip : a.body;
    res.writeHead(200, { ...headers, ...(gz ? { 'content-encoding': 'gzip' } : {}), 'content-length': body.length });
    res.end(body);
  }
}
