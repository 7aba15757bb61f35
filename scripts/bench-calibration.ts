/**
 * The economy calibration table (issue 10): starts a simulator in-process, measures it over HTTP
 * as the real game was measured (src/sim/calibrate.ts) and writes the simulated figures next to
 * the measured ones to bench/results/calibration.json. Run: npm run bench:calibration
 * [-- --world generated|FILE] [--seed N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { calibrate } from '../src/sim/calibrate.js';
import { ManualClock, SIM_ACCOUNT_TOKEN } from '../src/sim/engine/index.js';
import { startSim } from '../src/sim/index.js';

const { values } = parseArgs({ options: { world: { type: 'string', default: 'generated' }, seed: { type: 'string', default: '1' } } });
const sim = await startSim({ port: 0, rateLimit: false, timeScale: 100, world: values.world, seed: Number(values.seed), clock: new ManualClock(Date.now()), log: () => {} });
try {
  const reg = await fetch(`${sim.baseUrl}/register`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${SIM_ACCOUNT_TOKEN}` }, body: JSON.stringify({ symbol: 'CALIBRATE', faction: 'COSMIC' }) });
  const { data } = (await reg.json()) as { data: { token: string } };
  const t0 = Date.now();
  const result = await calibrate({ baseUrl: sim.baseUrl, adminUrl: sim.adminUrl, token: data.token, agent: 'CALIBRATE' });
  const out = {
    command: `npm run bench:calibration -- --world ${values.world} --seed ${values.seed}`,
    at: new Date().toISOString(),
    world: values.world,
    seconds: Math.round((Date.now() - t0) / 100) / 10,
    note: 'simulated = measured through the API on the simulator; measured = the real game (MECHANICS.md §3.4–3.5 S12; recovery: LESSONS.md). error: ratio − 1 for minutes, difference for impacts.',
    ...result,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/calibration.json', `${JSON.stringify(out, null, 2)}\n`);
  for (const r of result.rows) process.stdout.write(`${r.figure.padEnd(52)} ${String(Number(r.simulated.toFixed(4))).padStart(8)} ${String(r.measured).padStart(8)}\n`);
  process.stdout.write(`tradeVolume growth ${result.tradeVolumeGrowth.good}: ${result.tradeVolumeGrowth.before} → ${result.tradeVolumeGrowth.after}\n`);
} finally {
  await sim.close();
}
