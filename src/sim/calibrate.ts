/**
 * Measures a running simulator's economy the way the real game was measured (MECHANICS.md §3.4,
 * §3.5: S12 watched supply-level steps, price impact per tranche and recovery over 28.9 h), over
 * HTTP only: the real client (src/api) for the game, the admin endpoints (/_sim/) for the clock,
 * fleets and supply. `calibrate()` returns the table of simulated figures next to the measured
 * ones; the calibration test asserts it, and `npm run bench:calibration` writes it to
 * bench/results/calibration.json.
 */
import { SpaceTradersClient } from '../api/client.js';
import type { Market, MarketTradeGood, TradeSymbol } from '../api/types.js';
import { Secret } from '../config/redact.js';

/** What the real game was measured to do (sources in MECHANICS.md and LESSONS.md). */
export const MEASURED = {
  /** Game minutes per supply-level step up of a fed manufactured export (M§3.5, S12). */
  stepMinutes: { CLOTHING: 18, FABRICS: 20, EQUIPMENT: 19, ELECTRONICS: 27, MACHINERY: 27, SHIP_PARTS: 34 } as Record<string, number>,
  /** Mean step over all manufactured exports (S12). */
  meanStepMinutes: 24,
  /** Extra minutes per step when the export is RESTRICTED (S12 "~+12"). */
  restrictedExtraMinutes: 12,
  /** Ask change per tranche bought, bid change per tranche sold (M§3.4, S12 fit). */
  buyImpactPerTranche: 0.05,
  sellImpactPerTranche: -0.015,
  /** Recovery half-life in game minutes by tradeVolume tier (LESSONS.md: median ≈ 3 h, fitted tiers 3–7 h). */
  recoveryHalfLifeMinutes: { 'tv<=40': 180, 'tv41-80': 300, 'tv>80': 420 } as Record<string, number>,
  /** tradeVolume values seen live (M§3.5). */
  tradeVolumeSteps: [3, 6, 10, 18, 20, 30, 60, 100, 180, 300],
};

export interface CalibrationRow {
  figure: string;
  simulated: number;
  measured: number;
  /** simulated / measured − 1 (for step times and half-lives), or simulated − measured (for impacts). */
  error: number;
}

export interface CalibrationResult {
  rows: CalibrationRow[];
  /** tradeVolume of the good drained, before and after sustained buying. */
  tradeVolumeGrowth: { good: string; before: number; after: number };
}

interface Ctx {
  api: SpaceTradersClient;
  admin(method: string, path: string, body?: unknown): Promise<any>;
  agent: string;
  system: string;
  markets: Market[];
  timeScale: number;
}

async function adminCall(adminUrl: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${adminUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as any;
  if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

const advance = (c: Ctx, seconds: number) => c.admin('POST', '/clock/advance', { seconds });

async function goodAt(c: Ctx, waypoint: string, good: string): Promise<MarketTradeGood> {
  const m = await c.api.getMarket(c.system, waypoint);
  const g = m.tradeGoods?.find((x) => x.symbol === good);
  if (!g) throw new Error(`${good} is not visible at ${waypoint} (no ship there?)`);
  return g;
}

/** A ship of the agent docked at `waypoint` (added by the admin endpoint). */
async function shipAt(c: Ctx, waypoint: string, type = 'SHIP_HEAVY_FREIGHTER'): Promise<string> {
  return ((await c.admin('POST', `/agents/${c.agent}/ships`, { shipType: type, waypointSymbol: waypoint })).ships as string[])[0]!;
}

const LEVELS = ['SCARCE', 'LIMITED', 'MODERATE', 'HIGH', 'ABUNDANT'];

/**
 * Minutes between supply-level steps up of `good` at its factory, from the bottom of SCARCE,
 * polling at each market tick (2 game minutes: production moves in ticks); the factory's imports
 * are held HIGH (fed) or SCARCE (starved) by the admin endpoint before every poll, as a bot
 * feeding (or not) would.
 */
async function stepTimes(c: Ctx, good: string, fed: boolean, steps: number): Promise<number[]> {
  const m = c.markets.find((x) => x.exports.some((g) => g.symbol === good));
  if (!m) throw new Error(`no market of ${c.system} exports ${good}`);
  await shipAt(c, m.symbol, 'SHIP_PROBE');
  const inputs = m.imports.map((g) => g.symbol);
  await c.admin('PUT', `/markets/${m.symbol}/${good}`, { x: -5 });
  const changes: number[] = [0];
  let level = LEVELS.indexOf((await goodAt(c, m.symbol, good)).supply);
  for (let minute = 2; minute <= 300 && changes.length <= steps; minute += 2) {
    for (const i of inputs) await c.admin('PUT', `/markets/${m.symbol}/${i}`, { supply: fed ? 'HIGH' : 'SCARCE' });
    await advance(c, 120);
    const now = LEVELS.indexOf((await goodAt(c, m.symbol, good)).supply);
    if (now > level) changes.push(minute);
    level = now;
  }
  return changes.slice(1).map((t, i) => t - changes[i]!);
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Ask change for one tranche bought at an export held MODERATE; bid change for one tranche sold into an import. */
async function impacts(c: Ctx): Promise<{ buy: number; sell: number }> {
  const good: TradeSymbol = 'MACHINERY';
  const factory = c.markets.find((x) => x.exports.some((g) => g.symbol === good))!;
  const buyer = c.markets.find((x) => x.imports.some((g) => g.symbol === good))!;
  const ship = await shipAt(c, factory.symbol);
  await shipAt(c, buyer.symbol, 'SHIP_PROBE');
  await c.admin('PUT', `/markets/${factory.symbol}/${good}`, { supply: 'MODERATE' });
  await c.admin('PUT', `/markets/${buyer.symbol}/${good}`, { supply: 'MODERATE' });
  const sellTv = (await goodAt(c, buyer.symbol, good)).tradeVolume;
  const ask0 = await goodAt(c, factory.symbol, good);
  await c.api.purchaseCargo(ship, good, ask0.tradeVolume);
  const ask1 = await goodAt(c, factory.symbol, good);
  for (let held = ask0.tradeVolume; held < sellTv; held += ask0.tradeVolume) await c.api.purchaseCargo(ship, good, Math.min(ask0.tradeVolume, sellTv - held));
  await c.api.orbit(ship);
  const { nav } = await c.api.navigate(ship, buyer.symbol);
  // The flight's game seconds: its real duration times the time scale.
  await advance(c, Math.ceil(((Date.parse(nav.route.arrival) - Date.parse(nav.route.departureTime)) / 1000) * c.timeScale) + 1);
  await c.api.dock(ship);
  await c.admin('PUT', `/markets/${buyer.symbol}/${good}`, { supply: 'MODERATE' });
  const bid0 = (await goodAt(c, buyer.symbol, good)).sellPrice;
  await c.api.sellCargo(ship, good, sellTv);
  const bid1 = (await goodAt(c, buyer.symbol, good)).sellPrice;
  return { buy: ask1.purchasePrice / ask0.purchasePrice - 1, sell: bid1 / bid0 - 1 };
}

/** Half-life (game minutes) of a price pushed off its level: the dearest IMPORT or EXCHANGE good of the tier (least rounding). */
async function recovery(c: Ctx, lo: number, hi: number): Promise<number> {
  let best: { market: string; good: MarketTradeGood } | undefined;
  for (const m of c.markets) {
    if (m.imports.length + m.exchange.length === 0) continue;
    await shipAt(c, m.symbol, 'SHIP_PROBE');
    for (const g of (await c.api.getMarket(c.system, m.symbol)).tradeGoods ?? []) {
      if (g.type !== 'EXPORT' && g.tradeVolume >= lo && g.tradeVolume <= hi && (!best || g.sellPrice > best.good.sellPrice)) best = { market: m.symbol, good: g };
    }
  }
  if (!best) throw new Error(`no IMPORT or EXCHANGE good with tradeVolume ${lo}-${hi} in ${c.system}`);
  const { market, good } = best;
  const { x } = await c.admin('PUT', `/markets/${market}/${good.symbol}`, { tradeVolume: good.tradeVolume });
  const p0 = Math.log(good.sellPrice);
  await c.admin('PUT', `/markets/${market}/${good.symbol}`, { x: x > 0 ? x - 4 : x + 4 });
  const dev0 = Math.log((await goodAt(c, market, good.symbol)).sellPrice) - p0;
  // Poll at the market tick (2 game minutes).
  for (let minute = 2; minute <= 3000; minute += 2) {
    await advance(c, 120);
    const dev = Math.log((await goodAt(c, market, good.symbol)).sellPrice) - p0;
    if (Math.abs(dev) <= Math.abs(dev0) / 2) return minute;
  }
  throw new Error(`${good.symbol} at ${market} did not recover in 50 game hours`);
}

/** tradeVolume of an export before and after buying many tranches within an hour. */
async function growth(c: Ctx): Promise<{ good: string; before: number; after: number }> {
  const good: TradeSymbol = 'IRON';
  const m = c.markets.find((x) => x.exports.some((g) => g.symbol === good))!;
  const ship = await shipAt(c, m.symbol);
  const before = (await goodAt(c, m.symbol, good)).tradeVolume;
  let held = 0;
  for (let i = 0; i < 14; i++) {
    await c.admin('PUT', `/markets/${m.symbol}/${good}`, { supply: 'ABUNDANT' });
    const units = Math.min(before, 225 - held);
    if (units <= 0) break;
    await c.api.purchaseCargo(ship, good, units);
    held += units;
    if (held + before > 225) {
      await c.api.jettison(ship, good, held);
      held = 0;
    }
    await advance(c, 60);
  }
  return { good, before, after: (await goodAt(c, m.symbol, good)).tradeVolume };
}

/**
 * Runs every measurement against the simulator at `baseUrl` (rate limit off, any world whose home
 * system has the S12 goods' factories: the generated one, X1-AD75), as agent `token`.
 */
export async function calibrate(opts: { baseUrl: string; adminUrl: string; token: string; agent: string }): Promise<CalibrationResult> {
  const api = new SpaceTradersClient({ baseUrl: opts.baseUrl, token: new Secret(opts.token), limiter: false });
  const admin = (method: string, path: string, body?: unknown) => adminCall(opts.adminUrl, method, path, body);
  const system = (await api.getAgent()).headquarters.split('-').slice(0, 2).join('-');
  await admin('PUT', `/agents/${opts.agent}/credits`, { credits: 100_000_000 });
  const markets: Market[] = [];
  for (const w of await api.listWaypoints(system, { traits: 'MARKETPLACE' })) markets.push(await api.getMarket(system, w.symbol));
  const { timeScale } = await admin('GET', '/config');
  const c: Ctx = { api, admin, agent: opts.agent, system, markets, timeScale };

  const rows: CalibrationRow[] = [];
  const ratio = (figure: string, simulated: number, measured: number) => rows.push({ figure, simulated, measured, error: simulated / measured - 1 });
  // Recovery first, while the imports are still at their starting level.
  const tiers: [string, number, number][] = [['tv<=40', 1, 40], ['tv41-80', 41, 80], ['tv>80', 81, 1e9]];
  for (const [tier, lo, hi] of tiers) ratio(`recovery half-life minutes, ${tier}`, await recovery(c, lo, hi), MEASURED.recoveryHalfLifeMinutes[tier]!);
  const all: number[] = [];
  for (const [good, measured] of Object.entries(MEASURED.stepMinutes)) {
    const steps = await stepTimes(c, good, true, 3);
    all.push(...steps);
    ratio(`step minutes, fed: ${good}`, mean(steps), measured);
  }
  ratio('step minutes, fed: mean of the goods above', mean(all), MEASURED.meanStepMinutes);
  const restricted = mean(await stepTimes(c, 'MACHINERY', false, 2));
  const machinery = rows.find((r) => r.figure.endsWith('MACHINERY'))!.simulated;
  rows.push({ figure: 'extra minutes per step when RESTRICTED (MACHINERY)', simulated: restricted - machinery, measured: MEASURED.restrictedExtraMinutes, error: (restricted - machinery) / MEASURED.restrictedExtraMinutes - 1 });
  const impact = await impacts(c);
  rows.push({ figure: 'ask change per tranche bought', simulated: impact.buy, measured: MEASURED.buyImpactPerTranche, error: impact.buy - MEASURED.buyImpactPerTranche });
  rows.push({ figure: 'bid change per tranche sold', simulated: impact.sell, measured: MEASURED.sellImpactPerTranche, error: impact.sell - MEASURED.sellImpactPerTranche });
  return { rows, tradeVolumeGrowth: await growth(c) };
}
