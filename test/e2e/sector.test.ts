/**
 * Issue 13 end to end: the real binary plans and applies across systems against the sector
 * simulator over HTTP, and is killed with SIGKILL during a jump and during a reactor cooldown;
 * the re-run resumes with nothing charged twice and never calls against the cooldown.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { SpaceTradersClient } from '../../src/api/client.js';
import { Secret } from '../../src/config/redact.js';
import { Journal } from '../../src/state/journal.js';
import { Store } from '../../src/state/store.js';
import { apiCall, withSim, type TestSim, type WithSimOptions } from '../helpers/sim.js';
import { SECTOR } from '../integration/routing/helpers.js';
import { cli, killAfter } from './apply-helpers.js';

interface World {
  sim: TestSim;
  client: SpaceTradersClient;
  dir: string;
  env: NodeJS.ProcessEnv;
  store: string;
  spec: string;
  close(): Promise<void>;
}

/** The sector with the home gate built and X1-QJ48's gate charted; a spec for 2 LASER_RIFLES (sold only in X1-VW73, two jumps away). */
async function world(opts: WithSimOptions = {}): Promise<World> {
  const sim = await withSim({ world: 'sector', systems: SECTOR.systems, seed: SECTOR.seed, timeScale: 1000, config: { startingCredits: 2_000_000 }, ...opts });
  const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
  const admin = (method: string, p: string, body?: unknown) => apiCall(sim.sim.adminUrl, method, p, body, null);
  await admin('PUT', `/jump-gates/${SECTOR.homeGate}`, { built: true });
  const probe = (await admin('POST', `/agents/${sim.agentSymbol}/ships`, { shipType: 'SHIP_PROBE', waypointSymbol: SECTOR.nearGate })).body.data.ships[0];
  await client.createChart(probe);
  // A hauler at the home gate does the work (the frigate's first flight is long).
  await admin('POST', `/agents/${sim.agentSymbol}/ships`, { shipType: 'SHIP_LIGHT_HAULER', waypointSymbol: SECTOR.homeGate });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-sector-e2e-'));
  const store = path.join(dir, 'store.sqlite');
  const spec = path.join(dir, 'rifles.yaml');
  fs.writeFileSync(spec, YAML.stringify({ name: 'rifles', system: 'home', target: { good: 'LASER_RIFLES', quantity: 2 }, fleet: { select: { role: ['HAULER'] } }, policy: { maxCredits: 300_000 } }));
  const env = { ...process.env, NO_COLOR: '1', CI: '1', ST_BASE_URL: sim.baseUrl, ST_TOKEN: sim.token, ST_GOODS_STORE: store, ST_GOODS_CONFIG_DIR: dir };
  return {
    sim,
    client,
    dir,
    env,
    store,
    spec,
    async close() {
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function jumpSteps(w: World) {
  const store = await Store.open(w.store);
  try {
    const j = new Journal(store);
    const runs = await j.runs();
    return (await j.steps(runs[0]!.runId)).filter((s) => s.kind.startsWith('jump.'));
  } finally {
    await store.close();
  }
}

/** ANTIMATTER purchases the game recorded (one per jump), from the simulator's market logs. */
function antimatterPurchases(w: World): number {
  const markets = (w.sim.universe as unknown as { state: { markets: Record<string, { transactions: Array<{ tradeSymbol: string; type: string; shipSymbol: string }> }> } }).state.markets;
  return Object.values(markets).reduce((a, m) => a + m.transactions.filter((t) => t.tradeSymbol === 'ANTIMATTER' && t.type === 'PURCHASE' && t.shipSymbol.startsWith(w.sim.agentSymbol)).length, 0);
}

async function spentMatchesGame(w: World, before: number): Promise<void> {
  const s = JSON.parse((await cli(['status', '--json'], w.env)).stdout);
  expect(before - (await w.client.getAgent()).credits, 'credits moved = credits journaled').to.equal(s.credits.spent);
}

async function riflesHeld(w: World): Promise<number> {
  return (await w.client.listShips()).reduce((a, s) => a + (s.cargo.inventory.find((i) => i.symbol === 'LASER_RIFLES')?.units ?? 0), 0);
}

describe('e2e: any good, anywhere: plan and apply through jump gates (sector simulator)', function () {
  this.timeout(240_000);

  it('a good sold only two jumps away: `plan` shows the route, `apply` jumps twice and buys it', async () => {
    const w = await world();
    try {
      const planFile = path.join(w.dir, 'rifles.plan.yaml');
      const p = await cli(['plan', w.spec, '--out', planFile], w.env);
      expect(p.code, p.stderr).to.equal(0);
      expect(p.stdout).to.include('Routes across systems').and.include(`${SECTOR.homeGate} ⇒ ${SECTOR.nearGate}`);
      const md = await cli(['show', planFile, '--format', 'markdown'], w.env);
      expect(md.stdout).to.include('## Systems and routes');
      const before = (await w.client.getAgent()).credits;
      const a = await cli(['apply', planFile], w.env);
      expect(a.code, a.stderr).to.equal(0);
      expect(await riflesHeld(w)).to.equal(2);
      expect((await jumpSteps(w)).filter((s) => s.kind === 'jump.result')).to.have.length(2);
      expect(antimatterPurchases(w)).to.equal(2);
      await spentMatchesGame(w, before);
    } finally {
      await w.close();
    }
  });

  for (const point of ['jump-intent', 'jump-sent'] as const) {
    it(`kill -9 during a jump (${point === 'jump-intent' ? 'intent journaled, call not sent' : 'jump made and paid, result not journaled'}): the re-run reconciles it and charges nothing twice`, async () => {
      const w = await world();
      try {
        const planFile = path.join(w.dir, 'rifles.plan.yaml');
        expect((await cli(['plan', w.spec, '--out', planFile], w.env)).code).to.equal(0);
        const before = (await w.client.getAgent()).credits;
        const killed = await cli(['apply', planFile], { ...w.env, ST_GOODS_FAILPOINT: point });
        expect(killed.signal).to.equal('SIGKILL');
        const again = await cli(['apply', planFile], w.env);
        expect(again.code, again.stderr).to.equal(0);
        const steps = await jumpSteps(w);
        const reconciled = steps.filter((s) => s.kind === 'jump.reconciled');
        expect(reconciled).to.have.length(1);
        expect(reconciled[0]!.result!.happened).to.equal(point === 'jump-sent');
        expect(antimatterPurchases(w), 'the game charged two jumps').to.equal(2);
        const journaled = steps.filter((s) => (s.kind === 'jump.result' || s.kind === 'jump.reconciled') && s.result!.happened);
        expect(journaled, 'the journal counts two jumps').to.have.length(2);
        expect(await riflesHeld(w)).to.equal(2);
        await spentMatchesGame(w, before);
      } finally {
        await w.close();
      }
    });
  }

  it('kill -9 during the reactor cooldown between two jumps: the re-run waits it out (no call against it) and finishes', async () => {
    // Cooldowns 10× the game's (~4 s of wall time here), so the re-run starts inside one.
    const w = await world({ config: { startingCredits: 2_000_000, jumpCooldown: { baseSeconds: 15, perDistance: 3 } } as WithSimOptions['config'] });
    try {
      const planFile = path.join(w.dir, 'rifles.plan.yaml');
      expect((await cli(['plan', w.spec, '--out', planFile], w.env)).code).to.equal(0);
      const before = (await w.client.getAgent()).credits;
      const log = path.join(w.dir, 'events.ndjson');
      const killed = await killAfter(['apply', planFile, '--log-json', log], w.env, log, 'reactor cooldown');
      expect(killed.signal).to.equal('SIGKILL');
      const ship = (await w.client.listShips()).find((s) => s.registration.role === 'HAULER')!;
      expect(ship.nav.systemSymbol, 'stranded between the jumps').to.equal(SECTOR.near);
      expect(ship.cooldown.remainingSeconds).to.be.greaterThan(0);
      const again = await cli(['apply', planFile, '--log-json', log], w.env);
      expect(again.code, again.stderr).to.equal(0);
      const health = (await apiCall(w.sim.sim.adminUrl, 'GET', '/health', undefined, null)).body.data;
      expect(health.byStatus['409'] ?? 0, 'no call against the cooldown (409, code 4000)').to.equal(0);
      expect(fs.readFileSync(log, 'utf8')).to.include('reactor cooldown');
      expect(antimatterPurchases(w)).to.equal(2);
      expect(await riflesHeld(w)).to.equal(2);
      await spentMatchesGame(w, before);
    } finally {
      await w.close();
    }
  });
});
