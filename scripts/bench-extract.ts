/**
 * Apply's extraction crews against the formula (issue 14): for 1, 3 and 6 mining drones at one
 * asteroid, and 6 across two (policy.maxMinersPerSite 3), a plan mines IRON_ORE at a
 * COMMON_METAL_DEPOSITS asteroid of X1-AD75 (no surveys: the plain yield table) and a light hauler
 * pulls it and sells it at X1-AD75-H51. Measured per miner on the game's clock, from its first
 * extraction to its last: units of IRON_ORE per game hour against the formula's rate
 * (3600 / cooldown × Σ strength × the good's share of the site's yields), and extractions refused
 * with 4253, and the share of that window spent extracting (the rest: waiting with a full hold for
 * the hauler); per run, API requests of apply per unit delivered. Simulator over HTTP (loopback) at
 * --time-scale (default 100: a 70 s cooldown is 0.7 s of wall time, so the journal's writes and the
 * HTTP round trips, ~30–70 ms per extraction on a loaded machine, stay small beside it; at 1000
 * they double the period). Writes bench/results/extract.json. Run: npm run bench:extract
 *
 * (`npm run bench:extraction` measures the simulator's own formulas on the engine; this measures
 * what apply makes of them.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { SpaceTradersClient } from '../src/api/client.js';
import { Secret } from '../src/config/redact.js';
import { applyPlan } from '../src/executor/apply.js';
import { realClock } from '../src/executor/clock.js';
import { cooldownSeconds, mineralWeights, shareOf } from '../src/game/extraction.js';
import { createPlan } from '../src/planner/create.js';
import { Journal } from '../src/state/journal.js';
import { Store } from '../src/state/store.js';
import { loadSupplyChain } from '../src/supply-chain/index.js';
import { parseArgs } from 'node:util';
import { withSim } from '../test/helpers/sim.js';

const { values } = parseArgs({ options: { only: { type: 'string' }, 'time-scale': { type: 'string', default: '100' }, 'units-per-miner': { type: 'string', default: '20' } } });
const TIME_SCALE = Number(values['time-scale']);
const UNITS_PER_MINER = Number(values['units-per-miner']);
const GOOD = 'IRON_ORE';
const SELL_AT = 'X1-AD75-H51';
const world = JSON.parse(fs.readFileSync('worlds/X1-AD75.json', 'utf8')) as { waypoints: Array<{ symbol: string; type: string; traits: string[] }> };
const traitsOf = (w: string): string[] => world.waypoints.find((x) => x.symbol === w)!.traits;
/** Drone: one MOUNT_MINING_LASER_I, strength 3, power 1. */
const DRONE = { strength: 3, cooldown: cooldownSeconds(1) };

interface Case {
  miners: number;
  perSite?: number;
}
const CASES: Case[] = [{ miners: 1 }, { miners: 3 }, { miners: 6 }, { miners: 6, perSite: 3 }];

async function run(c: Case, seed: number) {
  const sim = await withSim({ world: path.resolve('worlds/X1-AD75.json'), timeScale: TIME_SCALE, seed, config: { startingCredits: 5_000_000 } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-extract-'));
  try {
    const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
    const add = async (type: string, at: string, count: number): Promise<string[]> => {
      const res = await fetch(`${sim.sim.adminUrl}/agents/${sim.agentSymbol}/ships`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shipType: type, waypointSymbol: at, count }) });
      return ((await res.json()) as { data: { ships: string[] } }).data.ships;
    };
    // At the COMMON_METAL asteroids the planner picks (share, then distance to H51): XD5A, then B17
    // (a drone's tank does not reach B17 from XD5A but by drifting, so the second crew starts there).
    const first = c.perSite ? Math.min(c.perSite, c.miners) : c.miners;
    const drones = [...(await add('SHIP_MINING_DRONE', 'X1-AD75-XD5A', first)), ...(c.miners > first ? await add('SHIP_MINING_DRONE', 'X1-AD75-B17', c.miners - first) : [])];
    const [hauler] = await add('SHIP_LIGHT_HAULER', SELL_AT, 1);
    const quantity = UNITS_PER_MINER * c.miners;
    const specFile = path.join(dir, 'bench.yaml');
    fs.writeFileSync(specFile, YAML.stringify({
      name: 'bench-extract', system: 'X1-AD75',
      target: { good: GOOD, quantity, deliver: { sell: SELL_AT } },
      fleet: { ships: [...drones, hauler] },
      policy: { maxCredits: 200_000, extract: [GOOD], ...(c.perSite ? { maxMinersPerSite: c.perSite } : {}) },
    }));
    const store = await Store.open(path.join(dir, 'store.sqlite'));
    try {
      const { plan } = await createPlan({ specFile, client, store, supplyChain: loadSupplyChain(), now: new Date(), toolVersion: 'bench' });
      const before = (await (await fetch(`${sim.sim.adminUrl}/health`)).json()) as { data: { requests: number } };
      const status = await client.getStatus();
      const outcome = await applyPlan({ plan, client, store, resetDate: status.resetDate, adopt: true, renderer: 'silent', clock: realClock(TIME_SCALE) });
      const after = (await (await fetch(`${sim.sim.adminUrl}/health`)).json()) as { data: { requests: number } };
      const j = new Journal(store);
      const runId = (await j.latestRunId(plan.lineage.agentSymbol))!;
      const steps = await j.steps(runId);
      const sites = plan.decisions.extraction!.crews.map((k) => k.site);
      const perMiner = drones.map((d) => {
        const ex = steps.filter((s) => s.ship === d && s.kind === 'extract.result');
        const wanted = ex.filter((s) => s.yield?.good === GOOD).reduce((a, s) => a + s.yield!.units, 0);
        const units = ex.reduce((a, s) => a + (s.yield?.units ?? 0), 0);
        const site = plan.tasks.find((t) => t.ship === d && t.source.kind === 'extract')!.source.waypoint;
        // The window: from its first extraction to one cooldown after its last (each extraction stands for a cooldown).
        const hours = ex.length ? (((Date.parse(ex.at(-1)!.at) - Date.parse(ex[0]!.at)) / 1000) * TIME_SCALE + DRONE.cooldown) / 3600 : 0;
        const share = shareOf(mineralWeights(traitsOf(site)), GOOD);
        const formula = (3600 / DRONE.cooldown) * DRONE.strength * share;
        return {
          ship: d,
          site,
          extractions: ex.length,
          unitsPerExtraction: ex.length ? Math.round((units / ex.length) * 100) / 100 : 0,
          wanted,
          unitsPerGameHour: hours ? Math.round((wanted / hours) * 10) / 10 : 0,
          extractionsPerGameHour: hours ? Math.round((ex.length / hours) * 10) / 10 : 0,
          /** Of the window, the share spent in cooldowns (extracting); the rest waited for the hauler or for the journal. */
          extractingShare: hours ? Math.round(((ex.length * DRONE.cooldown) / 3600 / hours) * 100) / 100 : 0,
          formulaUnitsPerGameHour: Math.round(formula * 10) / 10,
          refused4253: steps.filter((s) => s.ship === d && s.kind === 'extract.error' && /4253|unstable/i.test(s.error ?? '')).length,
        };
      });
      const requests = after.data.requests - before.data.requests;
      const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 10) / 10;
      return {
        miners: c.miners,
        sites,
        status: outcome.status,
        ...(outcome.status !== 'completed' ? { message: outcome.message } : {}),
        quantity,
        plannedUnitsPerHour: plan.decisions.extraction!.unitsPerHour,
        unitsPerGameHourPerMiner: mean(perMiner.map((m) => m.unitsPerGameHour)),
        formulaUnitsPerGameHourPerMiner: mean(perMiner.map((m) => m.formulaUnitsPerGameHour)),
        measuredOverFormula: Math.round((mean(perMiner.map((m) => m.unitsPerGameHour)) / mean(perMiner.map((m) => m.formulaUnitsPerGameHour))) * 100) / 100,
        // The rate's two factors apart: the crew's cadence (extractions per game hour, the formula's 3600 / cooldown)
        // and the dice (the wanted good's share of the units extracted, the formula's share of the yield table).
        extractionsPerGameHourPerMiner: mean(perMiner.map((m) => m.extractionsPerGameHour)),
        formulaExtractionsPerGameHour: Math.round((3600 / DRONE.cooldown) * 10) / 10,
        wantedShareOfUnits: Math.round((perMiner.reduce((a, m) => a + m.wanted, 0) / Math.max(1, perMiner.reduce((a, m) => a + m.unitsPerExtraction * m.extractions, 0))) * 1000) / 1000,
        formulaShare: Math.round(shareOf(mineralWeights(traitsOf(sites[0]!)), GOOD) * 1000) / 1000,
        refused4253: perMiner.reduce((a, m) => a + m.refused4253, 0),
        extractingShare: mean(perMiner.map((m) => m.extractingShare * 100)) / 100,
        applyRequests: requests,
        requestsPerUnit: Math.round((requests / quantity) * 100) / 100,
        calls: Object.fromEntries(['extract.result', 'jettison.result', 'transfer.result', 'sell.result', 'navigate'].map((k) => [k, steps.filter((s) => s.kind === k).length])),
        perMiner,
      };
    } finally {
      await store.close();
    }
  } finally {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const [i, c] of CASES.entries()) {
  if (values.only !== undefined && Number(values.only) !== i) continue;
  const r = await run(c, 21 + i);
  results.push(r);
  console.log(JSON.stringify({ miners: r.miners, sites: r.sites, status: r.status, message: r.message, perMiner: r.unitsPerGameHourPerMiner, formula: r.formulaUnitsPerGameHourPerMiner, ratio: r.measuredOverFormula, cadence: `${r.extractionsPerGameHourPerMiner}/${r.formulaExtractionsPerGameHour}`, share: `${r.wantedShareOfUnits}/${r.formulaShare}`, extractingShare: r.extractingShare, refused4253: r.refused4253, requestsPerUnit: r.requestsPerUnit }));
}
const out = {
  when: new Date().toISOString(),
  node: process.version,
  timeScale: TIME_SCALE,
  good: GOOD,
  formula: '3600 / (60 + 10 × Σ power) × Σ strength × share of the good in the site\'s yield table (drone: laser I, 3 units per 70 s)',
  results,
};
fs.mkdirSync('bench/results', { recursive: true });
fs.writeFileSync('bench/results/extract.json', `${JSON.stringify(out, null, 2)}\n`);
console.log('→ bench/results/extract.json');
