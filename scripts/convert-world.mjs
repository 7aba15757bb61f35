#!/usr/bin/env node
// Converts a live starting-system capture (shared/data/starting_system_X1-AD75.json format) into the
// simulator's world format (src/sim/world/types.ts).
// Usage: node scripts/convert-world.mjs CAPTURE.json SUPPLY_CHAIN.json OUT.json
//   e.g. node scripts/convert-world.mjs /work/shared/data/starting_system_X1-AD75.json \
//          /work/shared/data/supply_chain.json worlds/X1-AD75.json
import { readFileSync, writeFileSync } from 'node:fs';

const [capturePath, supplyChainPath, outPath] = process.argv.slice(2);
if (!capturePath || !supplyChainPath || !outPath) {
  console.error('usage: node scripts/convert-world.mjs CAPTURE.json SUPPLY_CHAIN.json OUT.json');
  process.exit(2);
}
const capture = JSON.parse(readFileSync(capturePath, 'utf8'));
const supplyChain = JSON.parse(readFileSync(supplyChainPath, 'utf8'));
const exportToImportMap = supplyChain.data?.exportToImportMap ?? supplyChain.exportToImportMap;

const first = capture.waypoints[0].symbol; // e.g. X1-AD75-A1
const [sector, sys] = first.split('-');
const systemSymbol = `${sector}-${sys}`;

const waypoints = capture.waypoints.map((w) => {
  const out = { symbol: w.symbol, type: w.type, x: w.x, y: w.y, traits: [...w.traits] };
  if (w.orbits) out.orbits = w.orbits;
  if (w.isUnderConstruction || w.traits.includes('UNDER_CONSTRUCTION')) out.isUnderConstruction = true;
  return out;
});

const markets = capture.markets.map((m) => ({
  symbol: m.symbol,
  goods: m.tradeGoods.map((g) => {
    const out = {
      symbol: g.symbol,
      type: g.type,
      tradeVolume: g.tradeVolume,
      supply: g.supply,
      sellPrice: g.sellPrice,
      purchasePrice: g.purchasePrice,
    };
    if (g.activity) out.activity = g.activity;
    return out;
  }),
}));

const shipyards = capture.shipyards.map((s) => ({
  symbol: s.symbol,
  modificationsFee: s.modificationsFee,
  ships: s.ships.map((sh) => {
    const out = { type: sh.type, purchasePrice: sh.purchasePrice, supply: sh.supply };
    if (sh.activity) out.activity = sh.activity;
    return out;
  }),
}));

const world = {
  formatVersion: 1,
  source: `${capture._source}; system type and coordinates not in the capture (defaults used)`,
  system: { symbol: systemSymbol, sectorSymbol: sector, type: 'ORANGE_STAR', x: 0, y: 0 },
  headquarters: capture.agent.headquarters,
  faction: capture.agent.startingFaction,
  waypoints,
  markets,
  shipyards,
  exportToImportMap,
};
writeFileSync(outPath, JSON.stringify(world, null, 1) + '\n');
console.log(`wrote ${outPath}: ${waypoints.length} waypoints, ${markets.length} markets, ${shipyards.length} shipyards`);
