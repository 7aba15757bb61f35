import { UserError } from '../cli/errors.js';
import { ExitCode } from '../cli/exit-codes.js';

/**
 * A fencing token: the agent whose lock a writer holds and the lock's generation when it took it.
 * Every acquisition of an agent's lock (fresh or taken over from a dead holder) increments the
 * generation, so a holder that stalled past its lease and woke up names an old token, and the
 * store refuses its writes in the same statement that would make them.
 */
export interface Fence {
  agent: string;
  token: number;
}

/** A write named a fence that is no longer the agent's lock: its holder lost the lock. */
export function lockLostError(fence: Fence): UserError {
  return new UserError({
    code: 'LOCK_LOST',
    exitCode: ExitCode.LOCKED,
    message: `This apply lost the lock of agent ${fence.agent} (fencing token ${fence.token}): its lease ran out while the process was paused or cut off from the store, and another apply took it over. The store refused this apply's write, so it stopped without touching the other apply's journal.`,
    hint: 'Nothing to undo: the apply that holds the lock now carries on (`st-goods status`). Re-run this apply later if that one does not finish the work.',
    details: { agent: fence.agent, token: fence.token },
  });
}

export function isLockLost(e: unknown): boolean {
  return e instanceof UserError && e.code === 'LOCK_LOST';
}
