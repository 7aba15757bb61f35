import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { components } from '../../../src/api/generated/spacetraders.js';
import { readObservations, recordObservation } from '../../../src/market/cache.js';
import { estimateQuote } from '../../../src/market/estimate.js';
import { loadMarketView, type MarketClient } from '../../../src/market/load.js';
import { Store } from '../../../src/state/store.js';

type Market = components['schemas']['Market'];
type Waypoint = components['schemas']['Waypoint'];

const good = (symbol: string) => ({ symbol, name: symbol, description: '' }) as Market['exports'][number];

function fakeMarket(symbol: string, exports: string[], imports: string[], exchange: string[], withPrices: boolean): Market {
  const m: Market = { symbol, exports: exports.map(good), imports: imports.map(good), exchange: exchange.map(good) };
  if (withPrices) {
    m.tradeGoods = [
      ...exports.map((g) => ({ symbol: g, type: 'EXPORT' as const, supply: 'HIGH' as const, activity: 'WEAK' as const, purchasePrice: 100, sellPrice: 48, tradeVolume: 60 })),
      ...imports.map((g) => ({ symbol: g, type: 'IMPORT' as const, supply: 'LIMITED' as const, activity: 'WEAK' as const, purchasePrice: 300, sellPrice: 150, tradeVolume: 60 })),
      ...exchange.map((g) => ({ symbol: g, type: 'EXCHANGE' as const, supply: 'MODERATE' as const, purchasePrice: 72, sellPrice: 68, tradeVolume: 180 })),
    ] as Market['tradeGoods'];
  }
  return m;
}

/** A fake API with two markets; our ship is at A. Counts calls. */
function fakeClient(shipAt: string) {
  const calls: string[] = [];
  const markets: Record<string, [string[], string[], string[]]> = {
    'X1-T-A': [['IRON'], ['IRON_ORE'], ['FUEL']],
    'X1-T-B': [['IRON_ORE'], [], ['FUEL']],
  };
  const client: MarketClient = {
    async listWaypoints(system: string) {
      calls.push(`waypoints ${system}`);
      return Object.keys(markets).map((s, i) => ({ symbol: s, x: i * 10, y: 0, type: 'PLANET', systemSymbol: system, orbitals: [], traits: [], isUnderConstruction: false }) as unknown as Waypoint);
    },
    async getMarket(_system: string, wp: string) {
      calls.push(`market ${wp}`);
      const [e, i, x] = markets[wp]!;
      return fakeMarket(wp, e, i, x, wp === shipAt);
    },
  };
  return { client, calls };
}

describe('market view and observation cache', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-market-'));
    store = await Store.open(path.join(dir, 's.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cold: lists the markets and reads each once; warm: reads only where a ship is', async () => {
    const now = new Date('2026-01-01T12:00:00Z');
    const cold = fakeClient('X1-T-A');
    const first = await loadMarketView({ client: cold.client, store, system: 'X1-T', shipWaypoints: ['X1-T-A'], now });
    expect(cold.calls).to.deep.equal(['waypoints X1-T', 'market X1-T-A', 'market X1-T-B']);
    expect(first.listingsFromCache).to.equal(false);
    expect(first.view.exporters('IRON').map((l) => l.waypoint)).to.deep.equal(['X1-T-A']);

    const warm = fakeClient('X1-T-A');
    const later = new Date('2026-01-01T12:10:00Z');
    const second = await loadMarketView({ client: warm.client, store, system: 'X1-T', shipWaypoints: ['X1-T-A'], now: later });
    expect(warm.calls).to.deep.equal(['market X1-T-A']);
    expect(second.requests).to.equal(1);
    expect(second.listingsFromCache).to.equal(true);
    const seen = second.view.quote('X1-T-A', 'IRON')!;
    expect(seen).to.include({ estimated: false, supply: 'HIGH', purchasePrice: 100, ageSeconds: 0 });
  });

  it('quotes unobserved markets as estimates, never silently as observed', async () => {
    const { client } = fakeClient('X1-T-A');
    const { view } = await loadMarketView({ client, store, system: 'X1-T', shipWaypoints: ['X1-T-A'], now: new Date('2026-01-01T12:00:00Z') });
    const b = view.quote('X1-T-B', 'IRON_ORE')!;
    expect(b.estimated).to.equal(true);
    expect(b.ageSeconds).to.equal(undefined);
    expect(b).to.include(estimateQuote('IRON_ORE', 'EXPORT'));
    expect(view.quote('X1-T-B', 'IRON')).to.equal(undefined);
  });

  it('cached prices older than the maximum age are quoted as estimates, saying when they were seen', async () => {
    const { client } = fakeClient('X1-T-A');
    await loadMarketView({ client, store, system: 'X1-T', shipWaypoints: ['X1-T-A'], now: new Date('2026-01-01T00:00:00Z') });
    const { client: later } = fakeClient('nowhere');
    const { view } = await loadMarketView({ client: later, store, system: 'X1-T', shipWaypoints: [], now: new Date('2026-01-01T07:00:00Z') });
    const q = view.quote('X1-T-A', 'IRON')!;
    expect(q.estimated).to.equal(true);
    expect(q.staleSince).to.equal('2026-01-01T00:00:00.000Z');
    expect(view.observations()).to.deep.equal([]);
    const { view: fresh } = await loadMarketView({ client: later, store, system: 'X1-T', shipWaypoints: [], now: new Date('2026-01-01T05:00:00Z') });
    expect(fresh.quote('X1-T-A', 'IRON')).to.include({ estimated: false, ageSeconds: 5 * 3600 });
  });

  it('recordObservation keeps one record per waypoint, with its age, and never replaces newer data', async () => {
    await recordObservation(store, fakeMarket('X1-T-A', ['IRON'], [], [], true), new Date('2026-01-01T12:00:00Z'));
    await recordObservation(store, fakeMarket('X1-T-A', ['IRON'], [], [], true), new Date('2026-01-01T11:00:00Z'));
    let obs = await readObservations(store, ['X1-T-A']);
    expect(obs.map((o) => o.observedAt)).to.deep.equal(['2026-01-01T12:00:00.000Z']);
    // A read without a ship there (no tradeGoods) records nothing.
    await recordObservation(store, fakeMarket('X1-T-A', ['IRON'], [], [], false), new Date('2026-01-01T13:00:00Z'));
    obs = await readObservations(store, ['X1-T-A']);
    expect(obs).to.have.length(1);
    expect(obs[0]).to.include({ good: 'IRON', type: 'EXPORT', supply: 'HIGH', purchasePrice: 100, tradeVolume: 60 });
  });

  it('estimates: imports are dear and assumed LIMITED; goods without data priced from their inputs', () => {
    const exp = estimateQuote('IRON', 'EXPORT');
    const imp = estimateQuote('IRON', 'IMPORT');
    expect(imp.purchasePrice).to.be.greaterThan(exp.purchasePrice);
    expect(imp.supply).to.equal('LIMITED');
    expect(exp.supply).to.equal('MODERATE');
    const derived = estimateQuote('REACTOR_FUSION_I', 'EXPORT', (g) => (g === 'REACTOR_FUSION_I' ? ['IRON', 'MACHINERY'] : []));
    expect(derived.purchasePrice).to.equal(Math.round((85 + 1826) * 1.6));
  });
});
