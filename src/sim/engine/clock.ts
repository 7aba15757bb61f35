/** Time for the simulator. All engine code reads time through a SimClock, never Date.now(). */

export interface SimClock {
  /** Real epoch milliseconds. */
  now(): number;
}

export const systemClock: SimClock = { now: () => Date.now() };

/** A clock that only moves when told to: tests advance it exactly. */
export class ManualClock implements SimClock {
  constructor(private ms: number = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.ms;
  }
  /** Advance by real milliseconds. */
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

/**
 * Maps real time to game time with a time scale K (K game seconds per real second), anchored at a
 * point where both are known. Re-anchoring on restore keeps game time continuous if K changes.
 */
export class GameTime {
  constructor(
    readonly clock: SimClock,
    readonly timeScale: number,
    private anchorReal: number,
    private anchorGame: number,
  ) {}

  /** Game milliseconds now. */
  gameNow(): number {
    return this.anchorGame + (this.clock.now() - this.anchorReal) * this.timeScale;
  }

  /** Real milliseconds now. */
  realNow(): number {
    return this.clock.now();
  }

  /** Real milliseconds that `gameSeconds` of game time take. */
  realMsFor(gameSeconds: number): number {
    return (gameSeconds * 1000) / this.timeScale;
  }

  /** Move game time forward by `gameSeconds` without real time passing (the admin clock advance). */
  advance(gameSeconds: number): void {
    this.anchorGame += gameSeconds * 1000;
  }

  toJSON(): { anchorReal: number; anchorGame: number } {
    return { anchorReal: this.clock.now(), anchorGame: this.gameNow() };
  }
}
