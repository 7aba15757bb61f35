import { SUPPLY_LEVELS, supplyRank, type SupplyLevel } from '../game/market.js';
import { PRICE_STEP_PER_TRANCHE, SELL_STEP_PER_TRANCHE, TRANCHES_PER_SUPPLY_LEVEL } from '../planner/constants.js';
import type { Market, MarketTransaction } from './ports.js';

/**
 * What the run knows of each market's prices between reads: the last read (with a ship present),
 * moved by every trade any lane of this process made there since, from the trade's own response
 * (its transaction's price per unit, walked one step on by the planner's price model). A lane
 * that read a market on arriving prices its next tranche here instead of reading again; a quote
 * that is an estimate says so, and the task runner reads afresh when it comes near a guard.
 * No trade response gives supply: purchases since the read lower it by the planner's model
 * (TRANCHES_PER_SUPPLY_LEVEL tranches a level), so that a factory collect reads again only when
 * the prediction nears its gate.
 */
export class MarketQuotes {
  readonly #markets = new Map<string, { market: Market; estimated: boolean }>();
  /** Tranches bought since the last read, by `waypoint|good`. */
  readonly #bought = new Map<string, number>();

  /** A read of `waypoint` with a ship present: the prices as the game shows them. */
  observe(waypoint: string, market: Market): void {
    this.#markets.set(waypoint, { market: { ...market, tradeGoods: market.tradeGoods?.map((g) => ({ ...g })) }, estimated: false });
    for (const g of market.tradeGoods ?? []) this.#bought.delete(`${waypoint}|${g.symbol}`);
  }

  /**
   * The lowest supply `good` at `waypoint` may have now: the last read's, one level lower for each
   * TRANCHES_PER_SUPPLY_LEVEL tranches bought there since (a part tranche counts whole), never
   * raised (production between reads is not counted). undefined when never read.
   */
  supply(waypoint: string, good: string): SupplyLevel | undefined {
    const g = this.#markets.get(waypoint)?.market.tradeGoods?.find((x) => x.symbol === good);
    if (!g) return undefined;
    const bought = this.#bought.get(`${waypoint}|${good}`) ?? 0;
    const rank = supplyRank(g.supply as SupplyLevel) - Math.ceil(bought / TRANCHES_PER_SUPPLY_LEVEL);
    return SUPPLY_LEVELS[Math.max(0, rank)];
  }

  /** The market as last read, moved by the trades since; undefined if it was never read in this run. */
  get(waypoint: string): { market: Market; estimated: boolean } | undefined {
    return this.#markets.get(waypoint);
  }

  /**
   * A trade's response: the next ask (after a purchase) or bid (after a sale) of that good there
   * is estimated from the price just paid, walked by the units traded (a tradeVolume tranche moves
   * an ask by PRICE_STEP_PER_TRANCHE, a bid by SELL_STEP_PER_TRANCHE).
   */
  traded(waypoint: string, kind: 'buy' | 'sell', tx: Pick<MarketTransaction, 'tradeSymbol' | 'units' | 'pricePerUnit'>): void {
    const known = this.#markets.get(waypoint);
    const good = known?.market.tradeGoods?.find((g) => g.symbol === tx.tradeSymbol);
    if (!known || !good) return;
    const tranches = tx.units / Math.max(1, good.tradeVolume);
    if (kind === 'buy') this.#bought.set(`${waypoint}|${tx.tradeSymbol}`, (this.#bought.get(`${waypoint}|${tx.tradeSymbol}`) ?? 0) + Math.ceil(tranches));
    if (kind === 'buy') good.purchasePrice = Math.ceil(Math.max(good.purchasePrice, tx.pricePerUnit) * (1 + PRICE_STEP_PER_TRANCHE * tranches));
    else good.sellPrice = Math.floor(Math.min(good.sellPrice, tx.pricePerUnit) * (1 - SELL_STEP_PER_TRANCHE * tranches));
    known.estimated = true;
  }
}
