/**
 * Time for the executor. The real server runs at 1 game second per wall second; the simulator
 * may run faster (`timeScale`). The plan's waits (poll intervals, production timeouts) are game
 * seconds; the server's own timestamps (route arrival, secondsToArrival) are real time on both
 * the real server and the simulator, so flights are waited out in wall time. Every wait ends
 * early when the run is aborted (SIGINT, `st-goods stop`).
 */
export interface Clock {
  readonly timeScale: number;
  /** Waits `seconds` of game time, or less if `signal` aborts. Never rejects. */
  sleepGame(seconds: number, signal?: AbortSignal): Promise<void>;
  /** Waits `ms` of real time (server timestamps), or less if `signal` aborts. Never rejects. */
  sleepWall(ms: number, signal?: AbortSignal): Promise<void>;
  /** Wall-clock milliseconds (for journal timestamps and elapsed time). */
  nowMs(): number;
}

export function realClock(timeScale = 1): Clock {
  return {
    timeScale,
    nowMs: () => Date.now(),
    sleepGame(seconds, signal) {
      return this.sleepWall((seconds * 1000) / timeScale, signal);
    },
    sleepWall(wallMs, signal) {
      const ms = Math.max(0, wallMs);
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
