/**
 * Packs st-goods as `npm pack` does (prepack: clean build + oclif.manifest.json) and installs the
 * tarball globally into a temporary prefix, as a user's `npm install -g st-goods-X.tgz` would.
 *
 *   const inst = await packAndInstall();   // { prefix, bin, tarball, files, close() }
 *   spawnSync(inst.bin, ['--help'], { cwd: someOtherFolder })
 *
 * Dependencies come from the npm cache when they are there (--prefer-offline). Install scripts are
 * skipped and sqlite3's native binding is copied from this clone's node_modules: compiling it takes
 * minutes on a small machine, and it is the same N-API binary the clone's build produced.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface Installed {
  prefix: string;
  /** The installed `st-goods` executable (the npm bin link). */
  bin: string;
  /** The installed package folder. */
  root: string;
  tarball: string;
  /** Paths inside the tarball. */
  files: string[];
  close(): void;
}

export async function packAndInstall(repo = process.cwd()): Promise<Installed> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'st-goods-install-'));
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', work], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  const packed = (JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
  const tarball = path.join(work, path.basename(packed.filename));
  const prefix = path.join(work, 'prefix');
  await run(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], {
    cwd: work,
    maxBuffer: 64 * 1024 * 1024,
  });
  const root = path.join(prefix, 'lib', 'node_modules', 'st-goods');
  const binding = path.join('node_modules', 'sqlite3', 'build');
  const target = [path.join(root, binding), path.join(prefix, 'lib', binding)].find((p) => fs.existsSync(path.dirname(p)));
  if (target && !fs.existsSync(target)) fs.cpSync(path.join(repo, binding), target, { recursive: true });
  return {
    prefix,
    bin: path.join(prefix, 'bin', 'st-goods'),
    root,
    tarball,
    files: packed.files.map((f) => f.path),
    close: () => fs.rmSync(work, { recursive: true, force: true }),
  };
}
