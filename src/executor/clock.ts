/**
 * Game time for the executor. The real server runs at 1 game second per wall second; the
 * simulator may run faster (`timeScale`). Every wait in apply is expressed in game seconds and
 * ends early when the run is aborted (SIGINT, `st-goods stop`).
 */
export interface Clock {
  readonly timeScale: number;
  /** Waits `seconds` of game time, or less if `signal` aborts. Never rejects. */
  sleepGame(seconds: number, signal?: AbortSignal): Promise<void>;
  /** Wall-clock milliseconds (for journal timestamps and elapsed time). */
  nowMs(): number;
}

export function realClock(timeScale = 1): Clock {
  return {
    timeScale,
    nowMs: () => Date.now(),
    sleepGame(seconds, signal) {
      const ms = Math.max(0, (seconds * 1000) / timeScale);
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const t = setTimeout(done, ms);
        function done(): void {
          clearTimeout(t);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
      });
    },
  };
}
