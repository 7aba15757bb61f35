/**
 * A real, throwaway Postgres for tests and scripts: a cluster from Debian's `postgresql` package
 * in a temp dir, on a free loopback port, trust auth for the superuser `st`. Never a mock.
 *
 *   const pg = await sharedPostgres();          // one cluster per test process, stopped at exit
 *   const url = await pg.freshDatabase();       // postgres://st@127.0.0.1:PORT/t_<n>: empty
 *   await pg.restart();                         // stop and start the server (same data, same port)
 *
 * initdb and pg_ctl refuse root: as root they run as the `postgres` user (runuser), in a temp dir
 * that user owns. Binaries come from PG_BIN, else the newest /usr/lib/postgresql/<v>/bin.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PgCluster {
  port: number;
  dir: string;
  /** A URL on database `db` (default `postgres`). */
  url(db?: string): string;
  /** Creates an empty database and returns its URL. */
  freshDatabase(): Promise<string>;
  stop(): void;
  start(): void;
  restart(): void;
  close(): void;
}

export function postgresBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PgCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('Postgres is not installed: apt-get install -y postgresql (or set PG_BIN to its bin folder)');
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]): void => {
    const full = path.join(bin, cmd);
    const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' }) : spawnSync(full, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'st', '--auth=trust', '--locale=C', '--encoding=UTF8', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=100`;
  const start = (): void => run('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  const stop = (): void => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  let n = 0;
  let closed = false;
  const url = (db = 'postgres'): string => `postgres://st@127.0.0.1:${port}/${db}`;
  const cluster: PgCluster = {
    port,
    dir,
    url,
    async freshDatabase() {
      const name = `t_${process.pid}_${++n}`;
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    stop,
    start,
    restart() {
      stop();
      start();
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

let shared: Promise<PgCluster> | undefined;

/** One cluster for the whole test process (each suite takes its own database), stopped at exit. */
export function sharedPostgres(): Promise<PgCluster> {
  shared ??= startPostgres().then((c) => {
    process.on('exit', () => c.close());
    return c;
  });
  return shared;
}
