import fs from 'node:fs';
import path from 'node:path';

/**
 * The SQLite backend's change feed (Store.watch): calls `onChange` (at most once per
 * `debounceMs`) when the store file changes: inotify on the
 * store's folder for the store file and its -wal, and a slow stat of both files as a fallback for
 * file systems without change events. Another process's commit shows up as a -wal write.
 */
export function watchStore(file: string, onChange: () => void, opts: { debounceMs?: number; fallbackMs?: number } = {}): { close(): void } {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const base = path.basename(abs);
  const debounceMs = opts.debounceMs ?? 50;
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
  };
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(dir, { persistent: false }, (_event, name) => {
      if (!name || String(name).startsWith(base)) fire();
    });
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined;
  }
  const signature = (): string =>
    [abs, `${abs}-wal`]
      .map((f) => {
        try {
          const s = fs.statSync(f);
          return `${s.size}:${s.mtimeMs}`;
        } catch {
          return '-';
        }
      })
      .join('|');
  let last = signature();
  const poll = setInterval(() => {
    const now = signature();
    if (now !== last) {
      last = now;
      fire();
    }
  }, opts.fallbackMs ?? 2000);
  poll.unref();
  return {
    close() {
      watcher?.close();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
    },
  };
}
