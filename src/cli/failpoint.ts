/**
 * Crash injection for the crash tests: `ST_GOODS_FAILPOINT=<name>` makes the process kill itself
 * with SIGKILL when it reaches the failpoint of that name, exactly as `kill -9` at that instant
 * would; `<name>:stop` makes it stop itself (SIGSTOP) there once, as a frozen VM or a closed
 * laptop lid would, until someone sends SIGCONT. Unset (always, outside tests), a failpoint does
 * nothing.
 *
 * Failpoints: `plan-write` (half of a plan file written to its temporary file, before fsync and
 * rename); `granted METHOD TEMPLATE` (a call that changes the game has its rate-limiter slot and
 * is about to be sent, e.g. `granted POST /my/ships/{shipSymbol}/purchase`); `construction-supplied`
 * (a construction supply answered by the game, its result not journaled yet); `jump-intent` (a
 * jump's intent journaled, the call not sent); `jump-sent` (the jump made and paid, its result not
 * journaled) (src/routing/travel.ts).
 */
const stopped = new Set<string>();

export function failpoint(name: string): void {
  const set = process.env.ST_GOODS_FAILPOINT;
  if (!set) return;
  if (set === name) process.kill(process.pid, 'SIGKILL');
  if (set === `${name}:stop` && !stopped.has(name)) {
    stopped.add(name);
    process.kill(process.pid, 'SIGSTOP');
  }
}
