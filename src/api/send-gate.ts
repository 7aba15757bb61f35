/**
 * A gate that a call changing the game must pass right before it is sent: after the rate
 * limiter's wait, not before it. A run that holds a lock uses it to prove, at the last moment,
 * that the lock is still its own; a holder paused (SIGSTOP, a frozen VM) while its call waited in
 * the limiter therefore wakes up and stops instead of sending a purchase its successor already
 * made. The gate travels with the async context of the call (AsyncLocalStorage), so ports and
 * wrappers need not know about it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type SendGate = () => Promise<void>;

const gates = new AsyncLocalStorage<SendGate>();

/** Runs `fn` with `gate` checked before every mutating request sent from inside it. */
export function withSendGate<T>(gate: SendGate, fn: () => T): T {
  return gates.run(gate, fn);
}

/** The gate of the current call, if any. */
export function currentSendGate(): SendGate | undefined {
  return gates.getStore();
}
