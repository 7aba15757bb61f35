import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);
const bin = path.resolve('bin/run.js');

/** The real binary, as a user runs it (needs `npm run build`; `npm test` builds first). */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('e2e: the st-goods binary', () => {
  it('--help lists the commands and the exit-code table', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).to.equal(0);
    expect(stdout).to.contain('EXIT CODES');
    expect(stdout).to.match(/130\s+interrupted/);
  });

  it('an unknown flag is a usage error (exit 2), not a stack trace', async () => {
    const { code, stderr } = await cli(['--help-me-please']);
    expect(code).to.equal(2);
    expect(stderr).not.to.match(/\n\s+at /);
  });
});
