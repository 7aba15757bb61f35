/**
 * Crash injection for the crash tests: `ST_GOODS_FAILPOINT=<name>` makes the process kill itself
 * with SIGKILL when it reaches the failpoint of that name, exactly as `kill -9` at that instant
 * would. Unset (always, outside tests), a failpoint does nothing.
 *
 * Failpoints: `plan-write` (half of a plan file written to its temporary file, before fsync and rename);
 * `jump-intent` (a jump's intent journaled, the call not sent); `jump-sent` (the jump made and
 * paid, its result not journaled) (src/routing/travel.ts).
 */
export function failpoint(name: string): void {
  if (process.env.ST_GOODS_FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}
