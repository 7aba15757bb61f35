/**
 * Cold start of the installed CLI: packs st-goods (prepack: build + oclif.manifest.json), installs
 * the tarball into a temporary prefix, then times `st-goods --help` (and `st-goods plan --help`),
 * each a new process, next to `node -e 0` on the same machine, interleaved so that the machine's
 * load weighs on both alike. Medians of --runs runs (default 11).
 *
 *   npm run bench:help                     # → bench/results/help.json
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packAndInstall } from '../test/helpers/pack-install.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv;
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 11;
const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1]! : path.join(root, 'bench', 'results', 'help.json');

const inst = await packAndInstall(root);
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-help-'));
const env = { PATH: process.env.PATH, HOME: cwd, NO_COLOR: '1' };
const time = (cmd: string, args: string[]): number => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const samples = { nodeNoop: [] as number[], help: [] as number[], planHelp: [] as number[] };
try {
  time(inst.bin, ['--help']); // the first run after install reads the files from disk once
  for (let i = 0; i < runs; i++) {
    samples.nodeNoop.push(time(process.execPath, ['-e', '0']));
    samples.help.push(time(inst.bin, ['--help']));
    samples.planHelp.push(time(inst.bin, ['plan', '--help']));
  }
} finally {
  inst.close();
  fs.rmSync(cwd, { recursive: true, force: true });
}
const result = {
  what: 'wall time of a new process, ms: the installed st-goods (npm install -g of the packed tarball) vs node -e 0, interleaved',
  command: 'npm run bench:help',
  node: process.version,
  cpus: os.cpus().length,
  loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  when: new Date().toISOString(),
  runs,
  medianMs: { nodeNoop: Math.round(median(samples.nodeNoop)), help: Math.round(median(samples.help)), planHelp: Math.round(median(samples.planHelp)) },
  samplesMs: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map(Math.round)])),
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`${out}: median --help ${result.medianMs.help} ms, plan --help ${result.medianMs.planHelp} ms, node -e 0 ${result.medianMs.nodeNoop} ms`);
