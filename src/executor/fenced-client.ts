import { withSendGate } from '../api/send-gate.js';
import type { GameClient } from './ports.js';

/**
 * The client of a run that holds a lock: every request that changes the game (any method but GET,
 * so calls added later are covered too) first proves that the lock is still this run's, and
 * throws LOCK_LOST once another apply took it over. The proof is made right before the request is
 * sent, after the rate limiter's wait (the send gate, src/api/send-gate.ts): a holder paused past
 * its lease while a purchase waited in the limiter wakes up and stops before it acts, instead of
 * buying what its successor already bought.
 */
export function fencedClient(client: GameClient, check: () => Promise<void>): GameClient {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const call = value as (...a: unknown[]) => unknown;
      return (...args: unknown[]) => withSendGate(check, () => call.apply(target, args));
    },
  });
}
