import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Store } from '../../src/state/store.js';
import { cli, startCli } from './apply-helpers.js';

/** `st-goods dashboard` as a user runs it: the binary serves the page, its library and the API; user errors exit with their code. */
describe('e2e: st-goods dashboard', function () {
  this.timeout(60_000);
  let dir: string;
  let storeFile: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, NO_COLOR: '1', ST_GOODS_STATE_DIR: dir, ST_GOODS_CONFIG_DIR: dir, ST_GOODS_STORE: '' });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-dash-e2e-'));
    storeFile = path.join(dir, 'store.sqlite');
    await (await Store.open(storeFile)).close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves the page, Chart.js from node_modules (gzipped) and the runs API on loopback; refuses a foreign Host; SIGTERM exits 0', async () => {
    const { child, done } = startCli(['dashboard', '--store', storeFile, '--json'], env());
    try {
      const info = JSON.parse(await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once('line', resolve)));
      expect(info.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(info.url);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-security-policy')).to.contain("default-src 'self'");
      const html = await page.text();
      expect(html).to.contain('<script src="/vendor/chart.umd.min.js"');
      expect(html).to.match(/<meta name="st-goods-control" content="" data-allowed="false">/);
      const lib = await fetch(`${info.url}vendor/chart.umd.min.js`, { headers: { 'accept-encoding': 'gzip' } });
      expect(lib.status).to.equal(200);
      expect(lib.headers.get('content-encoding')).to.equal('gzip');
      expect((await lib.text()).length).to.be.greaterThan(100_000);
      const again = await fetch(`${info.url}app.js`, { headers: { 'if-none-match': (await fetch(`${info.url}app.js`)).headers.get('etag')! } });
      expect(again.status).to.equal(304);
      expect(await (await fetch(`${info.url}api/runs`)).json()).to.deep.equal([]);
      const missing = await fetch(`${info.url}api/runs/run-nope`);
      expect(missing.status).to.equal(404);
      // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own Host.
      const foreign = await new Promise<string>((resolve) => {
        const s = net.connect(info.port, '127.0.0.1', () => s.write('GET /api/runs HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n'));
        let text = '';
        s.on('data', (d) => (text += d));
        s.on('end', () => resolve(text));
      });
      expect(foreign).to.match(/^HTTP\/1\.1 421/);
      const stop = await fetch(`${info.url}api/runs/x/stop`, { method: 'POST' });
      expect(stop.status).to.equal(403);
      expect(((await stop.json()) as { message: string }).message).to.contain('--allow-control');
    } finally {
      child.kill('SIGTERM');
    }
    expect((await done).code).to.equal(0);
  });

  it('user errors: a missing store (4), a bad --alert-after (4), a port in use (2), each one paragraph', async () => {
    const noStore = await cli(['dashboard', '--store', path.join(dir, 'nope.sqlite')], env());
    expect(noStore.code).to.equal(4);
    expect(noStore.stderr).to.match(/^Error: There is no st-goods store at .*nope\.sqlite\. Pass the store/);
    expect(fs.existsSync(path.join(dir, 'nope.sqlite'))).to.equal(false);
    const bad = await cli(['dashboard', '--store', storeFile, '--alert-after', 'soon'], env());
    expect(bad.code).to.equal(4);
    expect(bad.stderr).to.contain('--alert-after soon is not a duration');
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const busy = await cli(['dashboard', '--store', storeFile, '--port', String(port)], env());
      expect(busy.code).to.equal(2);
      expect(busy.stderr).to.contain(`Cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
      expect(busy.stderr).not.to.match(/\n\s+at /);
    } finally {
      taken.close();
    }
  });

  it('demo --dashboard serves the quick start live, and stays up after it until Ctrl-C', async () => {
    const demoDir = path.join(dir, 'demo');
    const { child, done } = startCli(['demo', '--dashboard', '--no-open', '--spec', 'iron.yaml', '--time-scale', '5000', '--no-rate-limit', '--haulers', '0', '--dir', demoDir], { ...env(), CI: '1', ST_TOKEN: '' });
    const lines = readline.createInterface({ input: child.stdout! });
    const seen: string[] = [];
    const waitLine = (re: RegExp): Promise<string> =>
      new Promise((resolve) => {
        const hit = seen.find((l) => re.test(l));
        if (hit) return resolve(hit);
        const on = (l: string): void => {
          if (!re.test(l)) return;
          lines.off('line', on);
          resolve(l);
        };
        lines.on('line', on);
      });
    lines.on('line', (l) => seen.push(l));
    try {
      const url = /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(await waitLine(/^Dashboard: /))![1]!;
      await waitLine(/The dashboard stays up/);
      const runs = (await (await fetch(`${url}api/runs`)).json()) as Array<{ runId: string; status: string; target: { good: string } }>;
      expect(runs).to.have.length(1);
      expect(runs[0]).to.include({ status: 'completed' });
      expect(runs[0]!.target.good).to.equal('IRON');
      const view = (await (await fetch(`${url}api/runs/${runs[0]!.runId}`)).json()) as { map: { ships: Array<{ at?: unknown }> }; lanes: Array<{ segments: unknown[] }> };
      expect(view.map.ships.every((s) => s.at)).to.equal(true);
      expect(view.lanes.some((l) => l.segments.length > 0)).to.equal(true);
    } finally {
      child.kill('SIGINT');
    }
    const r = await done;
    expect(r.code, r.stderr).to.equal(0);
  });
});
