import { spawn } from 'node:child_process';

/** Opens `url` in the desktop's default browser (xdg-open, open, or start); reports why not. */
export function openInBrowser(url: string, onFail: (why: string) => void): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', (e) => onFail(`${cmd}: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    child.unref();
  } catch (e) {
    onFail((e as Error).message);
  }
}
