/**
 * Two processes, one rate limit: runs the real CLI (bin/run.js, built) as a user would, against an
 * in-process simulator that enforces the real limits (2/s + 30 burst per 60 s, per agent and per
 * IP), and counts the 429s the server sent.
 *
 *   npm run bench:back-to-back            # → bench/results/back-to-back.json
 *   node --import tsx scripts/bench-back-to-back.ts --rounds 2 --out /tmp/b.json
 *
 * Scenarios, on one agent: `plan` then `apply` back to back (the second process starts while the
 * first one's burst is spent), and `plan` and `markets --refresh` at the same time. Each starts
 * after the pools are drained by a burst of 30 reads, as after a previous command. Want: 0 429s.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SIM_ACCOUNT_TOKEN, startSim } from '../src/sim/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'run.js');
const run = promisify(execFile);
const argv = process.argv;
const opt = (name: string, dflt: string): string => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : dflt);
const rounds = Number(opt('rounds', '1'));
const out = opt('out', path.join(root, 'bench', 'results', 'back-to-back.json'));

const sim = await startSim({ port: 0, world: path.join(root, 'worlds', 'X1-AD75.json'), timeScale: 1000, rateLimit: true, log: () => undefined });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-b2b-'));
const limited = (): number => sim.controls.stats.byStatus['429'] ?? 0;
const requests = (): number => sim.controls.stats.requests;

async function register(symbol: string): Promise<string> {
  let res: Response;
  for (let attempt = 1; ; attempt++) {
    res = await fetch(`${sim.baseUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SIM_ACCOUNT_TOKEN}` },
      body: JSON.stringify({ symbol, faction: 'COSMIC' }),
    });
    if (res.status !== 429 || attempt >= 10) break;
    await new Promise((r) => setTimeout(r, 1100));
  }
  if (res.status !== 201) throw new Error(`register: ${res.status}`);
  return ((await res.json()) as { data: { token: string } }).data.token;
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; ms: number }> {
  const t0 = Date.now();
  try {
    await run(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, ms: Date.now() - t0 };
  } catch (e) {
    return { code: (e as { code: number }).code, ms: Date.now() - t0 };
  }
}

/** Spends the agent's burst pool, as a previous command would have (30 GETs at once, with their own 429s not counted). */
async function drain(token: string): Promise<void> {
  await Promise.all(Array.from({ length: 32 }, () => fetch(`${sim.baseUrl}/my/agent`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text())));
}

interface Row { scenario: string; round: number; codes: number[]; ms: number[]; requests: number; rateLimited: number; rateLimitedByCommand?: number[] }
const rows: Row[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of ['plan then apply', 'plan and markets at once'] as const) {
      const symbol = `B2B${round}${scenario.startsWith('plan then') ? 'S' : 'C'}${Date.now().toString(36).slice(-5)}`.toUpperCase().slice(0, 14);
      const token = await register(symbol);
      const env = { ST_BASE_URL: sim.baseUrl, ST_TOKEN: token, ST_GOODS_STORE: path.join(dir, `${symbol}.sqlite`), ST_GOODS_CONFIG_DIR: path.join(dir, symbol), NO_COLOR: '1' };
      const spec = path.join(dir, `${symbol}.yaml`);
      fs.copyFileSync(path.join(root, 'plans', 'iron.yaml'), spec);
      const planFile = path.join(dir, `${symbol}.plan.yaml`);
      await drain(token);
      // Our own drain's 429s do not count: wait until the static pool is back, then start counting.
      await new Promise((r) => setTimeout(r, 1100));
      const [l0, r0] = [limited(), requests()];
      const byCommand: number[] = [];
      const counted = async (p: Promise<{ code: number; ms: number }>) => {
        const r = await p;
        byCommand.push(limited() - l0 - byCommand.reduce((a, b) => a + b, 0));
        return r;
      };
      const results =
        scenario === 'plan then apply'
          ? [await counted(cli(['plan', spec, '--out', planFile], env)), await counted(cli(['apply', planFile, '--json'], env))]
          : await Promise.all([cli(['plan', spec, '--out', planFile], env), cli(['markets', '--refresh'], env)]);
      rows.push({ scenario, round, codes: results.map((r) => r.code), ms: results.map((r) => r.ms), requests: requests() - r0, rateLimited: limited() - l0, ...(byCommand.length ? { rateLimitedByCommand: byCommand } : {}) });
      console.error(JSON.stringify(rows.at(-1)));
    }
  }
} finally {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
const result = {
  what: 'real CLI processes against st-goods sim with the real rate limits on (X1-AD75, time scale 1000), the agent burst pool drained before each scenario',
  command: 'npm run bench:back-to-back',
  node: process.version,
  when: new Date().toISOString(),
  rows,
  total429: rows.reduce((s, r) => s + r.rateLimited, 0),
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`${out}: ${result.total429} 429s over ${rows.length} scenarios`);
