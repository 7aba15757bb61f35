/**
 * The planner's numbers. They come from measurements (LESSONS.md "Their measurements",
 * MECHANICS.md §3) that change from one game reset to the next: tune them here, in one place.
 */

/** Each tradeVolume-sized tranche bought raises the ask by this fraction (S12 fit: +5%·units/tv). */
export const PRICE_STEP_PER_TRANCHE = 0.05;

/** Each tradeVolume-sized tranche sold lowers the bid by this fraction (S12 fit: −1.5%·units/tv). */
export const SELL_STEP_PER_TRANCHE = 0.015;

/**
 * Price ceiling (guards.maxUnitPrice) = median ask of the eligible markets for the good × this
 * margin, capped by the spec's policy.maxUnitPrice[good]. It comes from the market, never from
 * our own purchases (LESSONS.md #7). 1.5 leaves room for about eight tranches of price walk.
 */
export const CEILING_MARGIN = 1.5;

/**
 * The budget guard prices a purchase at its quote raised by this fraction: other lanes' purchases at
 * the same market can walk the ask between our quote and our call (about two tranches), and
 * maxCredits is a hard cap on actual spend. A run therefore stops a little short of the cap rather
 * than above it.
 */
export const BUDGET_WALK_MARGIN = 2 * PRICE_STEP_PER_TRANCHE;

/**
 * Feeding floor (guards.minSellPrice when selling inputs into a factory): stop feeding when the
 * factory's bid falls below this fraction of the bid seen at planning time. Flooding an import
 * crushed its bid by 40–60% in the first attempt (LESSONS.md #7). apply ends such a feed as
 * completed (its import is supplied) and the collect goes on; the inputs left aboard are surplus.
 */
export const FEED_FLOOR_RATIO = 0.6;

/**
 * When comparing MAKE with BUY (mode cheapest), feeding is assumed to lose at least this fraction
 * of what the inputs cost, whatever the bids seen: the first attempt measured 50–58% lost per
 * feed (LESSONS.md #7), and a flood of sales crushes the bid. Keeps arbitrage-looking bids from
 * making MAKE look free.
 */
export const MIN_FEED_SPREAD_LOSS = 0.5;

/**
 * Feed heuristic. The game has no recipes: a factory's export supply responds to the supply of
 * its imports over minutes. We deliver FEED_RATIO units of each imported input per unit of output
 * wanted, never fewer than MIN_FEED_UNITS (under ~25 units does little, LESSONS.md). There is no
 * upper cap: a large make needs its inputs throughout the collect (a fixed 200 starved the factory
 * of a 400-unit make); the feed's sell floor (FEED_FLOOR_RATIO) stops a feed that crushes the bid.
 */
export const FEED_RATIO = 1;

/**
 * An input whose import supply at the factory is observed at this level or above is not fed:
 * production is not short of it, and selling into a full import only crushes the bid.
 */
export const WELL_SUPPLIED = 'HIGH' as const;
export const MIN_FEED_UNITS = 25;

/**
 * Game seconds a factory's export needs to climb one supply level (SCARCE → LIMITED → …). The
 * real game's measured mean is 24 min per step on manufactured exports (MECHANICS.md §3.5, S12:
 * mean 24, median 21.6, by good 18–34 min). The simulator is calibrated to the same figures
 * (DEFAULT_SIM_CONFIG.productionStepMinutes, src/sim/engine/config.ts: 24 by default, 18–34 by
 * good, +12 when RESTRICTED). 24 min is the mean; the plan's critical path, built on it, is a
 * lower bound except where a factory steps faster than the mean (CLOTHING 18, FABRICS 20,
 * EQUIPMENT 19; see production.ts).
 */
export const SUPPLY_STEP_SECONDS = 24 * 60;

/**
 * tradeVolume-sized tranches bought that lower an export's supply by one level. DEFAULT_SIM_CONFIG:
 * tradeImpactPerTranche 0.5 and labels 2 wide → 4 tranches. The real game publishes no figure;
 * LESSONS.md "buying the output moves supply about 20× harder [than feeding]" is consistent.
 * A larger value means more units bought before a collect drains the factory below its gate, so
 * a shorter estimated wait: keep it at or above the truth for the critical path to stay a bound.
 */
export const TRANCHES_PER_SUPPLY_LEVEL = 4;

/**
 * Hysteresis of a factory collect task (apply's FactoryGate): buying starts, and resumes after a
 * pause, once the export's supply reaches policy.minSupplyToBuy (resumeSupply); it pauses when
 * supply falls below the level under that (minSupply). A factory we feed starts short, so the
 * first purchase waits for resumeSupply: it must be reachable. In the simulator, 30 units of
 * COPPER_ORE fed to a drained COPPER factory lifted it SCARCE → MODERATE but not to HIGH within
 * 3 h of game time, so resuming at HIGH (one level above the policy) made the collect time out.
 */
export const FACTORY_HYSTERESIS_LEVELS = 1;

/**
 * Long work (a construction material, thousands of units): apply's supply gate buys from
 * resumeSupply down to below minSupply, then waits for the market to recover, so the price walk
 * starts again about every (FACTORY_HYSTERESIS_LEVELS + 1) levels of purchases. The planner prices
 * such a target with that restarting walk (pricing.ts gatedWalk), not one walk over the whole bill.
 */
export const GATED_CYCLE_TRANCHES = (FACTORY_HYSTERESIS_LEVELS + 1) * TRANCHES_PER_SUPPLY_LEVEL;

/**
 * The ceiling margin of long work (a construction material bought behind the supply gate) in
 * place of CEILING_MARGIN. The gate already bounds the price: it buys only while supply is at
 * least its minSupply, and an export's ask there is about twice its ask at ABUNDANT, where a
 * factory usually is when observed (simulator: exp(0.1 · 7) between the bands' far edges; S12 has
 * no figure). With 1.5 the ceiling sat mid-MODERATE: a factory whose inputs run short (RESTRICTED)
 * refills only to the bottom of MODERATE, so buying stopped there for good (the bench measured
 * ADVANCED_CIRCUITRY at D44 stalled at 6,607 against a ceiling of 6,010). Still from the market
 * (the median ask × this margin), never from our own purchases; policy.maxUnitPrice caps it.
 */
export const GATED_CEILING_MARGIN = 2;

/** Polling of a factory's export supply (policy.pollSeconds overrides the first value). */
export const DEFAULT_POLL_SECONDS = 60;
export const MAX_POLL_SECONDS = 600;
/** apply's poll interval grows by this factor after each look (its FactoryGate), up to maxPollSeconds. */
export const POLL_BACKOFF = 1.5;

/** API requests per stop (orbit, navigate, dock, read the market) and per refuel (apply refuels below half a tank). */
export const REQUESTS_PER_STOP = 4;
export const REQUESTS_PER_REFUEL = 1;

/** Game seconds spent docked per market call (rate limit: 2 requests/s) when nothing else is known of the server. */
export const SECONDS_PER_REQUEST = 0.5;

/**
 * Requests per wall second an agent sustains under the game's limits: 2/s from the static pool
 * plus the burst pool's 30 per minute (MECHANICS.md §4.1). The burst itself is BURST_REQUESTS.
 */
export const SUSTAINED_REQUESTS_PER_SECOND = 2.5;
export const BURST_REQUESTS = 30;

/**
 * Wall seconds one request of a ship takes besides any pacing: the round trip and apply's journal
 * writes around it (intent and result are synced to disk). Measured on the simulator over
 * loopback (the wall time between one ship's consecutive requests, `npm run bench` on 2 cores):
 * median 14–42 ms with a load average of 1–4, so 30 ms; the real API's round trip is longer, but
 * there the rate limit's spacing (0.4–0.5 s) dominates.
 */
export const REQUEST_LATENCY_SECONDS = 0.03;

/**
 * Of that, apply's own work per request (the journal's intent and result synced to disk, the
 * progress view): the 30 ms less the 4 ms round trip the planning measures on the simulator.
 * Added to the round trip a plan measures against any server (makespan.ts requestLatency).
 */
export const APPLY_SECONDS_PER_REQUEST = 0.025;

/**
 * apply before its first ship moves: the server status, the agent and the fleet list, then about
 * half a wall second of its own work (the lock, the plan file's checks, the journal and the
 * game's state compared). Counted in the makespan estimate, as `npm run bench` measures it from
 * apply's first request (60 game s at 100x in the bench's trace of ADVANCED_CIRCUITRY x80).
 */
export const APPLY_PREFLIGHT_REQUESTS = 3;
export const APPLY_START_WALL_SECONDS = 0.5;

/** FUEL ask used when no market's FUEL is known (MECHANICS.md §3.3: 72 at exchanges). */
export const DEFAULT_FUEL_PRICE = 72;

/**
 * Cargo already in a hold that the plan does not use (policy.clearHolds, default on): a ship whose
 * free hold is below this share of its capacity sells it first, at the best bid in reach.
 */
export const CLEAR_BELOW_FREE_SHARE = 0.5;

/**
 * (issue 14) What an hour of one ship is worth, in credits, when extraction is weighed against
 * buying and making (`cheapest`): extraction costs almost no credits, it costs ship time. The
 * default is about what a light hauler clears per hour trading in a starting system; a spec sets
 * its own (policy.shipHourCredits). Configuration, not truth.
 */
export const DEFAULT_SHIP_HOUR_CREDITS = 15_000;

/** (issue 14) Miners per asteroid are kept under this share of the stability limit (ASTEROID_EXTRACTIONS_PER_MINUTE). */
export const STABILITY_MARGIN = 0.9;

/** (issue 14) Deposits a survey lists, on average (BEYOND.md b.2: 3–7). */
export const SURVEY_DEPOSITS = 5;

/** (issue 14) API requests per transfer round at the site: a transfer per miner holding the good. */
export const REQUESTS_PER_TRANSFER = 1;

/**
 * (issue 13) Credits a game hour of a crossing between systems is worth when a remote source or
 * factory competes with a local one: its flights to and from the gates and its reactor cooldown
 * waits, valued at about one jump's antimatter (~5,000, BEYOND.md a.1) per hour. Local routes
 * count fuel only, as before, so a remote market wins on a clearly lower landed cost.
 */
export const TIME_VALUE_PER_HOUR = 5_000;
