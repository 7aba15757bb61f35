import type { GameClient } from './ports.js';

/** The calls that change the game: each waits for a fence check first. */
const ACTIONS = ['orbit', 'dock', 'navigate', 'setFlightMode', 'refuel', 'purchaseCargo', 'sellCargo', 'deliverContract', 'supplyConstruction'] as const;

/**
 * The client of a run that holds a lock: before every call that changes the game, `check` proves
 * that the lock is still this run's (it throws LOCK_LOST once another apply took it over). A
 * holder that was paused past its lease and woke up in the middle of a lane therefore stops
 * before it acts, not only at its next journal write.
 */
export function fencedClient(client: GameClient, check: () => Promise<void>): GameClient {
  const actions = new Set<PropertyKey>(ACTIONS);
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const call = value as (...a: unknown[]) => Promise<unknown>;
      if (!actions.has(prop)) return call.bind(target);
      return async (...args: unknown[]) => {
        await check();
        return call.apply(target, args);
      };
    },
  });
}
