/**
 * The token is never printed back (issue 8 item 6): the agent's token passed in every argument
 * position of every command (each positional argument, each flag's value, `--token=TOK`, an extra
 * argument, a spec value), with ST_TOKEN set to it and without; stdout and stderr must not contain
 * it, nor any 16-character piece of it. The whole matrix runs through oclif's `run` in this
 * process behind the binary's own guard (src/cli/guard-output.ts: arguments scrubbed, output
 * filtered), because a node start costs seconds on a loaded machine; the real binary runs `sim`
 * and `demo` (they start servers) and a sample of the rest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { Config, run as oclifRun } from '@oclif/core';
import { guardOutput, scrubArgs } from '../../src/cli/guard-output.js';
import { withSim, type TestSim } from '../helpers/sim.js';

const BIN = path.resolve('bin/run.js');

/** The real binary; killed after `ms` (a server it started runs until then). */
function runBinary(args: string[], env: NodeJS.ProcessEnv, cwd: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** Every invocation that puts `tok` where something else belongs, for one command. */
function positions(id: string, cmd: Config['commands'][number], tok: string, spec: string): string[][] {
  const words = id.split(':');
  const args = Object.values(cmd.args ?? {});
  // Fillers that let parsing reach the flag under test: a valid-looking value for each required arg.
  const filler = args.filter((a) => a.required).map(() => spec);
  const extra = id === 'sim' ? ['--port', '0'] : [];
  const out: string[][] = [];
  args.forEach((_, i) => out.push([...words, ...filler.slice(0, i), tok, ...filler.slice(i + 1), ...extra]));
  // Every flag that takes a value (a boolean given one fails parsing like --token= below).
  for (const [name, flag] of Object.entries(cmd.flags ?? {})) {
    if (flag.type !== 'boolean') out.push([...words, ...filler, `--${name}`, tok, ...extra]);
  }
  out.push([...words, ...filler, `--token=${tok}`, ...extra], [...words, ...filler, tok, tok, ...extra]);
  return out;
}

describe('e2e: the token is never echoed, wherever it is passed', function () {
  this.timeout(600_000);
  let sim: TestSim;
  let dir: string;

  before(async () => {
    sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: 1000, seed: 11 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-token-echo-'));
  });
  after(async () => {
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every command, every argument position, with and without ST_TOKEN: no output holds the token or a 16-character piece of it', async () => {
    const tok = sim.token;
    const spec = path.join(dir, 'iron.yaml');
    fs.writeFileSync(spec, 'name: iron\nsystem: X1-AD75\ntarget: {good: IRON, quantity: 10}\npolicy: {maxCredits: 10000}\n');
    const specWithToken = path.join(dir, 'token-spec.yaml');
    fs.writeFileSync(specWithToken, `name: ${tok}\nsystem: X1-AD75\ntarget: {good: ${tok}, quantity: 10, deliver: {sell: ${tok}}}\npolicy: {maxCredits: 10000}\n`);
    const config = await Config.load(path.resolve('.'));
    const invocations: string[][] = [];
    for (const cmd of config.commands) if (!cmd.hidden) invocations.push(...positions(cmd.id, cmd, tok, spec));
    // The token as a value inside a spec, for every command that reads one.
    for (const id of ['validate', 'plan', 'apply']) invocations.push([id, specWithToken]);
    expect(invocations.length).to.be.greaterThan(60);

    const base = { ...process.env, NO_COLOR: '1', CI: '1', ST_BASE_URL: sim.baseUrl, ST_GOODS_STORE: path.join(dir, 'store.sqlite'), ST_GOODS_CONFIG_DIR: path.join(dir, 'config') };
    const withToken = { ...base, ST_TOKEN: tok };
    const withoutToken = { ...base, ST_TOKEN: undefined };
    // Without ST_TOKEN (only its JWT shape gives it away): the positions where a user pastes it.
    const pasted = (a: string[]): boolean => a[a.indexOf(tok) - 1] === '--token-file' || a.some((x) => x.startsWith('--token=')) || a.indexOf(tok) === a.findIndex((x) => !/^[a-z-]+$/.test(x));
    // Commands that start a server and run until stopped: the real binary, killed after a while.
    const starts = (a: string[]): boolean => a[0] === 'sim' || a[0] === 'demo' || a[0] === 'dashboard';
    const jobs = [
      ...invocations.map((args) => ({ args, env: withToken, binary: starts(args) })),
      ...invocations.filter(pasted).map((args) => ({ args, env: withoutToken, binary: starts(args) })),
      // The real binary on a sample of the rest: a positional, --token=, an extra argument.
      ...[['status', tok], ['contracts', tok], ['plan', spec, `--token=${tok}`], ['validate', specWithToken]].map((args) => ({ args, env: withoutToken, binary: true })),
    ];
    const pieces = Array.from({ length: Math.floor(tok.length / 16) }, (_, i) => tok.slice(i * 16, i * 16 + 16));
    const leaks: string[] = [];
    const times: string[] = [];
    const report = (args: string[], env: NodeJS.ProcessEnv, how: string, out: string): void => {
      const leaked = pieces.find((p) => out.includes(p));
      if (leaked) leaks.push(`${how}, ${env.ST_TOKEN ? 'with' : 'without'} ST_TOKEN: st-goods ${args.map((a) => a.replaceAll(tok, 'TOK')).join(' ')}\n    ${out.split('\n').find((l) => l.includes(leaked))?.replaceAll(tok, 'TOK').slice(0, 300)}`);
    };

    // In-process: the guard wraps a sink standing in for the terminal.
    const real = { out: process.stdout.write, err: process.stderr.write, env: { ...process.env } };
    let captured = '';
    const sink = ((chunk: unknown) => {
      captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
    process.stdout.write = sink;
    process.stderr.write = sink;
    guardOutput();
    // A command that writes a file named by an argument (`--out TOK`, scrubbed to `[redacted]`)
    // writes it in the temp dir, never into the clone.
    const root = path.resolve('.');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      for (const job of jobs.filter((j) => !j.binary)) {
        captured = '';
        const t0 = Date.now();
        for (const k of Object.keys(process.env)) delete process.env[k];
        Object.assign(process.env, Object.fromEntries(Object.entries(job.env).filter(([, v]) => v !== undefined)));
        try {
          await oclifRun(scrubArgs(job.args), root);
        } catch (e) {
          captured += `\n${String((e as Error)?.message ?? e)}`; // what oclif's handler would print
        }
        process.exitCode = undefined;
        report(job.args, job.env, 'in-process', captured);
        times.push(`${Date.now() - t0} ${job.args.join(' ').replaceAll(tok, 'TOK')}`);
      }
    } finally {
      process.chdir(cwd);
      process.stdout.write = real.out;
      process.stderr.write = real.err;
      for (const k of Object.keys(process.env)) delete process.env[k];
      Object.assign(process.env, real.env);
    }
    const binaryJobs = jobs.filter((j) => j.binary);
    const worker = async (): Promise<void> => {
      for (let job = binaryJobs.shift(); job; job = binaryJobs.shift()) report(job.args, job.env, 'binary', await runBinary(job.args, job.env, dir, starts(job.args) ? 2500 : 15_000));
    };
    await Promise.all([worker(), worker()]);
    if (process.env.TOKEN_ECHO_TIMES) fs.writeFileSync(process.env.TOKEN_ECHO_TIMES, times.join('\n'));
    expect(leaks, leaks.join('\n')).to.deep.equal([]);
  });
});
