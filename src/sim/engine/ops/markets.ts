/** Markets: the market view, buying, selling and refuelling (MECHANICS.md §2.5, §3). */
import type { components } from '../../../api/generated/spacetraders.js';
import { FUEL_UNITS_PER_MARKET_UNIT, refuelMarketUnits } from '../../../game/index.js';
import { activityOf, applyPurchase, applySale, goodPrices, recordTrade, supplyLabel, type GoodState, type MarketState, type TransactionState } from '../economy.js';
import { ApiError, gameError, invalidBody } from '../errors.js';
import { isoTime, tradeGood } from '../render.js';
import type { OpContext, Universe } from '../universe.js';
import type { AgentState, ShipState } from '../state.js';
import { agentOf, bodyObject, ok, requirePositiveInt, requireTradeSymbol, type Operation } from './common.js';
import { inTransit, setCargo } from './contracts.js';
import { requireWaypoint } from './systems.js';

type S = components['schemas'];

function marketNotFound(waypoint: string): ApiError {
  return new ApiError(404, 4603, `Market not found at waypoint ${waypoint}.`, { waypointSymbol: waypoint });
}

export function renderMarket(u: Universe, market: MarketState, agent: AgentState | undefined): S['Market'] {
  const out: S['Market'] = {
    symbol: market.symbol,
    exports: market.goods.filter((g) => g.type === 'EXPORT').map((g) => tradeGood(g.symbol)),
    imports: market.goods.filter((g) => g.type === 'IMPORT').map((g) => tradeGood(g.symbol)),
    exchange: market.goods.filter((g) => g.type === 'EXCHANGE').map((g) => tradeGood(g.symbol)),
  };
  if (u.hasShipAt(agent, market.symbol)) {
    out.transactions = market.transactions.map((t) => renderTransaction(market.symbol, t));
    out.tradeGoods = market.goods.map((g) => {
      const prices = goodPrices(g, u.config);
      const tg: S['MarketTradeGood'] = {
        symbol: g.symbol as S['TradeSymbol'],
        type: g.type,
        tradeVolume: g.tradeVolume,
        supply: supplyOf(g),
        purchasePrice: prices.purchasePrice,
        sellPrice: prices.sellPrice,
      };
      const activity = activityOf(market, g, u.config, u.world.exportToImportMap);
      if (activity) tg.activity = activity;
      return tg;
    });
  }
  return out;
}

function supplyOf(g: GoodState): S['SupplyLevel'] {
  return supplyLabel(g.x);
}

function renderTransaction(waypoint: string, t: TransactionState): S['MarketTransaction'] {
  return {
    waypointSymbol: waypoint,
    shipSymbol: t.shipSymbol,
    tradeSymbol: t.tradeSymbol,
    type: t.type,
    units: t.units,
    pricePerUnit: t.pricePerUnit,
    totalPrice: t.totalPrice,
    timestamp: isoTime(t.timestamp),
  };
}

export function record(u: Universe, market: MarketState, t: TransactionState): S['MarketTransaction'] {
  market.transactions.push(t);
  const excess = market.transactions.length - u.config.marketTransactionsKept;
  if (excess > 0) market.transactions.splice(0, excess);
  return renderTransaction(market.symbol, t);
}

function getMarket(ctx: OpContext) {
  const w = requireWaypoint(ctx);
  const market = ctx.u.market(w.symbol);
  if (!market) throw marketNotFound(w.symbol);
  return ok(renderMarket(ctx.u, market, ctx.agent));
}

/** The docked ship's market, with the state checks every cargo transaction shares. */
function dockedAtMarket(u: Universe, ship: ShipState, action: string): MarketState {
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  if (ship.status !== 'DOCKED') {
    throw gameError(4244, `Failed to update ship cargo. Ship ${ship.symbol} must be docked to ${action}.`, { shipSymbol: ship.symbol, waypointSymbol: ship.waypoint });
  }
  const market = u.market(ship.waypoint);
  if (!market) throw marketNotFound(ship.waypoint);
  return market;
}

function tradeRequest(ctx: OpContext): { symbol: string; units: number } {
  const body = bodyObject(ctx);
  return { symbol: requireTradeSymbol(body, 'symbol'), units: requirePositiveInt(body, 'units') };
}

function checkTradeVolume(market: MarketState, good: GoodState, units: number): void {
  if (units > good.tradeVolume) {
    throw gameError(4604, `Market transaction failed. Trade good ${good.symbol} has a limit of ${good.tradeVolume} units per transaction.`, {
      waypointSymbol: market.symbol,
      tradeSymbol: good.symbol,
      units,
      tradeVolume: good.tradeVolume,
    });
  }
}

function purchase(ctx: OpContext) {
  const { u } = ctx;
  const agent = agentOf(ctx);
  const ship = u.ownShip(agent, ctx.req.params['shipSymbol']);
  const { symbol, units } = tradeRequest(ctx);
  const market = dockedAtMarket(u, ship, 'perform cargo transactions');
  const good = market.goods.find((g) => g.symbol === symbol);
  if (!good) throw gameError(4601, `Market purchase failed. Trade good ${symbol} is not available at ${market.symbol}.`, { waypointSymbol: market.symbol, tradeSymbol: symbol });
  checkTradeVolume(market, good, units);
  const capacity = u.config.ships[ship.type].cargoCapacity;
  const held = u.cargoUnits(ship);
  if (held >= capacity) throw gameError(4228, `Failed to update ship cargo. Ship ${ship.symbol} cargo is full.`, { shipSymbol: ship.symbol, cargoCapacity: capacity, cargoUnits: held });
  if (held + units > capacity) {
    throw gameError(4217, `Failed to update ship cargo. Cannot add ${units} unit(s) to ship cargo. Exceeds max limit of ${capacity}.`, {
      shipSymbol: ship.symbol, tradeSymbol: symbol, cargoUnits: held, unitsToAdd: units, cargoCapacity: capacity,
    });
  }
  const price = goodPrices(good, u.config).purchasePrice;
  const total = price * units;
  if (agent.credits < total) {
    throw gameError(4600, `Market transaction failed. Agent does not have sufficient credits to purchase ${units} unit(s) of ${symbol}.`, {
      agentCredits: agent.credits, totalPrice: total, tradeSymbol: symbol, units, purchasePrice: price,
    });
  }
  agent.credits -= total;
  setCargo(ship.cargo, symbol, (ship.cargo[symbol] ?? 0) + units);
  applyPurchase(good, units, u.config);
  recordTrade(market, good, units, u.config, u.world.exportToImportMap);
  const transaction = record(u, market, { shipSymbol: ship.symbol, tradeSymbol: symbol, type: 'PURCHASE', units, pricePerUnit: price, totalPrice: total, timestamp: u.realNow() });
  return ok({ agent: u.renderAgent(agent), cargo: u.renderCargo(ship), transaction }, 201);
}

function sell(ctx: OpContext) {
  const { u } = ctx;
  const agent = agentOf(ctx);
  const ship = u.ownShip(agent, ctx.req.params['shipSymbol']);
  const { symbol, units } = tradeRequest(ctx);
  const market = dockedAtMarket(u, ship, 'perform cargo transactions');
  const good = market.goods.find((g) => g.symbol === symbol);
  if (!good) throw gameError(4602, `Market sell failed. Trade good ${symbol} is not listed at market ${market.symbol}.`, { waypointSymbol: market.symbol, tradeSymbol: symbol });
  checkTradeVolume(market, good, units);
  const have = ship.cargo[symbol] ?? 0;
  if (have === 0) throw gameError(4218, `Failed to update ship cargo. Ship ${ship.symbol} does not have any ${symbol}.`, { shipSymbol: ship.symbol, tradeSymbol: symbol });
  if (have < units) {
    throw gameError(4219, `Failed to update ship cargo. Cannot remove ${units} unit(s) of ${symbol} from ship cargo. Ship has ${have} unit(s).`, {
      shipSymbol: ship.symbol, tradeSymbol: symbol, cargoUnits: have, unitsToRemove: units,
    });
  }
  const price = goodPrices(good, u.config).sellPrice;
  const total = price * units;
  agent.credits += total;
  setCargo(ship.cargo, symbol, have - units);
  applySale(good, units, u.config);
  recordTrade(market, good, units, u.config, u.world.exportToImportMap);
  const transaction = record(u, market, { shipSymbol: ship.symbol, tradeSymbol: symbol, type: 'SELL', units, pricePerUnit: price, totalPrice: total, timestamp: u.realNow() });
  return ok({ agent: u.renderAgent(agent), cargo: u.renderCargo(ship), transaction }, 201);
}

function refuel(ctx: OpContext) {
  const { u } = ctx;
  const agent = agentOf(ctx);
  const ship = u.ownShip(agent, ctx.req.params['shipSymbol']);
  const body = bodyObject(ctx);
  const fromCargo = body['fromCargo'];
  if (fromCargo !== undefined && typeof fromCargo !== 'boolean') throw invalidBody('fromCargo', 'must be a boolean');
  const rawUnits = body['units'];
  if (rawUnits !== undefined && (typeof rawUnits !== 'number' || !Number.isInteger(rawUnits) || rawUnits < 1)) throw invalidBody('units', 'must be an integer of at least 1');
  if (ship.status === 'IN_TRANSIT') throw inTransit(u, ship.symbol);
  if (ship.status !== 'DOCKED') throw gameError(4244, `Failed to refuel ship. Ship ${ship.symbol} must be docked to refuel.`, { shipSymbol: ship.symbol, waypointSymbol: ship.waypoint });
  const capacity = u.config.ships[ship.type].fuelCapacity;
  const toAdd = Math.max(0, Math.min(rawUnits ?? capacity, capacity - ship.fuel));
  const marketUnits = refuelMarketUnits(toAdd);
  const now = u.realNow();
  if (fromCargo === true) {
    const have = ship.cargo['FUEL'] ?? 0;
    if (have < marketUnits) {
      throw gameError(4219, `Failed to refuel from cargo. Ship ${ship.symbol} needs ${marketUnits} unit(s) of FUEL in cargo and has ${have}.`, {
        shipSymbol: ship.symbol, tradeSymbol: 'FUEL', cargoUnits: have, unitsToRemove: marketUnits,
      });
    }
    setCargo(ship.cargo, 'FUEL', have - marketUnits);
    ship.fuel += toAdd;
    const transaction: S['MarketTransaction'] = {
      waypointSymbol: ship.waypoint, shipSymbol: ship.symbol, tradeSymbol: 'FUEL', type: 'PURCHASE', units: marketUnits, pricePerUnit: 0, totalPrice: 0, timestamp: isoTime(now),
    };
    return ok({ agent: u.renderAgent(agent), fuel: u.renderFuel(ship), transaction, cargo: u.renderCargo(ship) });
  }
  const market = u.market(ship.waypoint);
  const fuel = market?.goods.find((g) => g.symbol === 'FUEL');
  if (!market || !fuel) throw gameError(4601, `Market purchase failed. Trade good FUEL is not available at ${ship.waypoint}.`, { waypointSymbol: ship.waypoint, tradeSymbol: 'FUEL' });
  const price = goodPrices(fuel, u.config).purchasePrice;
  const total = price * marketUnits;
  if (agent.credits < total) {
    throw gameError(4600, `Market transaction failed. Agent does not have sufficient credits to purchase ${marketUnits} unit(s) of FUEL.`, {
      agentCredits: agent.credits, totalPrice: total, tradeSymbol: 'FUEL', units: marketUnits, purchasePrice: price,
    });
  }
  agent.credits -= total;
  ship.fuel = Math.min(capacity, ship.fuel + Math.min(toAdd, marketUnits * FUEL_UNITS_PER_MARKET_UNIT));
  if (marketUnits > 0) applyPurchase(fuel, marketUnits, u.config);
  const t: TransactionState = { shipSymbol: ship.symbol, tradeSymbol: 'FUEL', type: 'PURCHASE', units: marketUnits, pricePerUnit: price, totalPrice: total, timestamp: now };
  // A full tank buys nothing: answer with a 0-unit transaction but keep it out of the market's log.
  const transaction = marketUnits > 0 ? record(u, market, t) : renderTransaction(market.symbol, t);
  return ok({ agent: u.renderAgent(agent), fuel: u.renderFuel(ship), transaction });
}

export const MARKET_OPERATIONS: Record<string, Operation> = {
  'get-market': { auth: 'optional', run: getMarket },
  'get-supply-chain': { auth: 'required', run: (ctx) => ok({ exportToImportMap: ctx.u.world.exportToImportMap }) },
  'purchase-cargo': { auth: 'required', run: purchase },
  'sell-cargo': { auth: 'required', run: sell },
  'refuel-ship': { auth: 'required', run: refuel },
};
