/**
 * Exit codes are part of st-goods' interface: scripts and cron jobs branch on them.
 * The README and every command's --help list this table; keep the three in step.
 */
export const ExitCode = {
  /** Success; for `plan --detailed-exitcode`, success with nothing to do. */
  OK: 0,
  /** An unexpected internal error (a bug): please report it with the --log-json file. */
  INTERNAL: 1,
  /** Bad command-line usage: unknown flag, missing argument. Also `plan --detailed-exitcode`: a plan with work in it. */
  USAGE: 2,
  /** Configuration or authentication: no token, token rejected (401), token from another reset. */
  AUTH: 3,
  /** The production spec (or another input file) is invalid: YAML syntax, schema, unknown good or ship. */
  INVALID_INPUT: 4,
  /** The planner refused: budget too small, no cargo room, a good that can be neither bought nor made, an unbreakable cycle. */
  INFEASIBLE: 5,
  /** The plan is stale: expired, made for another agent or reset, spec changed, the journal moved on, or its markets drifted beyond policy.maxDrift (`apply --replan`). Re-run `plan`. */
  STALE_PLAN: 6,
  /** Another apply holds the lock for this agent. Wait, or `st-goods unlock` if its holder is gone. */
  LOCKED: 7,
  /** The game refused an action (a 4xx with a game error code) that st-goods could not work around. */
  GAME_ERROR: 8,
  /** The server is unreachable or in maintenance (503), or kept failing after retries. */
  UNAVAILABLE: 9,
  /** apply ended with part of the plan done and part failed or skipped; re-run to resume. */
  PARTIAL: 10,
  /** apply failed: nothing of the target was produced. */
  FAILED: 11,
  /**
   * apply stopped before buying anything because it needs your decision: an unfinished run of a
   * spec that changed since (resume it, or --replan), or game activity for the plan that the
   * journal does not know (the right --store, or --adopt).
   */
  DECISION_NEEDED: 12,
  /** Interrupted by SIGINT, SIGTERM or SIGHUP after finishing and journaling the call in flight. */
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** One line per code, for --help and the README. */
export const EXIT_CODE_HELP: ReadonlyArray<readonly [number, string]> = [
  [ExitCode.OK, 'success (plan --detailed-exitcode: no changes needed)'],
  [ExitCode.INTERNAL, 'internal error (a bug; please report it)'],
  [ExitCode.USAGE, 'usage error (plan --detailed-exitcode: the plan has work to do)'],
  [ExitCode.AUTH, 'no token, token rejected, or token from another server reset'],
  [ExitCode.INVALID_INPUT, 'invalid spec or input file (YAML, schema, unknown good or ship)'],
  [ExitCode.INFEASIBLE, 'plan refused: budget, cargo room, or a good neither buyable nor makeable'],
  [ExitCode.STALE_PLAN, 'stale plan (expired, other agent/reset, spec or journal changed, markets drifted beyond policy.maxDrift): re-run plan, or apply --replan'],
  [ExitCode.LOCKED, 'another apply holds the lock (st-goods unlock if it is dead), or took it over from this one'],
  [ExitCode.GAME_ERROR, 'the game refused an action'],
  [ExitCode.UNAVAILABLE, 'server unreachable or in maintenance'],
  [ExitCode.PARTIAL, 'apply partly done; re-run to resume'],
  [ExitCode.FAILED, 'apply failed'],
  [ExitCode.DECISION_NEEDED, 'apply needs your decision, nothing bought: changed spec with an unfinished run (--replan), or game activity the journal lacks (--adopt)'],
  [ExitCode.INTERRUPTED, 'interrupted (SIGINT/SIGTERM/SIGHUP); re-run to resume'],
];

export function exitCodeHelpText(): string {
  return EXIT_CODE_HELP.map(([code, text]) => `  ${String(code).padStart(3)}  ${text}`).join('\n');
}
