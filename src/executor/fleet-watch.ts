import type { FleetSelectRule } from '../plan/types.js';
import { matchesSelect } from '../spec/fleet.js';
import type { RunContext } from './context.js';
import type { Ship } from './ports.js';

/** Least wall time between two re-evaluations of the fleet rule (each is one list call, a page per 20 ships). */
export const FLEET_RECHECK_MS = 30_000;

/**
 * The plan's `fleet.select` rule, re-evaluated while the run goes on: between tasks (at most every
 * FLEET_RECHECK_MS), the agent's ships are listed once and those the rule matches in the plan's
 * system (the planner's order: by symbol, at most `max` counting the ships already in the run)
 * that the run does not have yet join it: a ship bought or freed since the plan was made. Each
 * evaluation is journaled (a `fleet.select` step with what it matched and who joined).
 */
export class FleetWatch {
  readonly joined: string[] = [];
  #lastMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ctx: RunContext,
    private readonly rule: FleetSelectRule,
    /** Ships the run has lanes for. */
    private readonly inRun: Set<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A re-evaluation is allowed now (the interval since the last one has passed). */
  due(): boolean {
    return this.now() - this.#lastMs >= FLEET_RECHECK_MS;
  }

  /**
   * Lists the fleet (or takes `listed`, a list just read), and returns the ships that join the
   * run now (their state as listed).
   */
  async recheck(listed?: Ship[]): Promise<Ship[]> {
    this.#lastMs = this.now();
    const list = this.ctx.client.listShips;
    if (!listed && !list) return [];
    const ships = (listed ?? (await list!.call(this.ctx.client)))
      .filter((s) => s.nav.systemSymbol === this.ctx.plan.spec.system)
      .filter((s) => matchesSelect(this.rule, { symbol: s.symbol, role: s.registration.role, frame: s.frame.symbol, cargoCapacity: s.cargo.capacity }))
      .sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
    const room = this.rule.max === undefined ? Number.MAX_SAFE_INTEGER : Math.max(0, this.rule.max - this.inRun.size);
    const fresh = ships.filter((s) => !this.inRun.has(s.symbol)).slice(0, room);
    for (const s of fresh) {
      this.inRun.add(s.symbol);
      this.joined.push(s.symbol);
      this.ctx.knowShip(s);
    }
    await this.ctx.step('', 'fleet.select', { fleet: { matched: ships.map((s) => s.symbol), joined: fresh.map((s) => s.symbol) } });
    for (const s of fresh) {
      this.ctx.events.emit('handoff', `${s.symbol} joined the run: it matches the plan's fleet.select and was not in it`, { ship: s.symbol, data: { cargoCapacity: s.cargo.capacity, waypoint: s.nav.waypointSymbol } });
    }
    return fresh;
  }
}
