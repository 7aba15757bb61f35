import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { SpaceTradersClient } from '../../src/api/client.js';
import { Secret } from '../../src/config/redact.js';
import type { SimClock } from '../../src/sim/engine/clock.js';
import { withSim, type TestSim } from '../helpers/sim.js';
import { cli } from './apply-helpers.js';

/**
 * The first hour of a new user (issue 9): a new agent (175,000 credits, its 40-unit frigate)
 * applies the README's examples one after another, in any order, with the real binary; and runs
 * its starting contract end to end (accepted, delivered, fulfilled, paid).
 */
/** Slow enough that prices drift little between one example's plan and its apply (they are sized to a fresh economy). */
const SEQUENCE_TIME_SCALE = 100;
const TIME_SCALE = 1000;
const EXAMPLES = fs.readdirSync('plans').filter((f) => /\.ya?ml$/.test(f) && !f.includes('.plan.')).sort();

/**
 * Game time that stands still while paused: between examples and while `plan` runs, so that a
 * loaded machine (slow CLI starts) does not let prices drift away from what each example is sized for.
 */
class PausableClock implements SimClock {
  #offset = 0;
  #pausedAt: number | undefined;
  now(): number {
    return (this.#pausedAt ?? Date.now()) - this.#offset;
  }
  pause(): void {
    this.#pausedAt ??= Date.now();
  }
  resume(): void {
    if (this.#pausedAt === undefined) return;
    this.#offset += Date.now() - this.#pausedAt;
    this.#pausedAt = undefined;
  }
}

interface World {
  sim: TestSim;
  client: SpaceTradersClient;
  dir: string;
  env: NodeJS.ProcessEnv;
  clock?: PausableClock;
  close(): Promise<void>;
}

async function newAgent(seed: number, opts: { startingCredits?: number; timeScale?: number; clock?: PausableClock } = {}): Promise<World> {
  const sim = await withSim({
    world: path.resolve('worlds/X1-AD75.json'),
    timeScale: opts.timeScale ?? TIME_SCALE,
    seed,
    ...(opts.startingCredits ? { config: { startingCredits: opts.startingCredits } } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const client = new SpaceTradersClient({ baseUrl: sim.baseUrl, token: new Secret(sim.token), limiter: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-first-hour-'));
  const env = { ...process.env, NO_COLOR: '1', CI: '1', ST_BASE_URL: sim.baseUrl, ST_TOKEN: sim.token, ST_GOODS_STORE: path.join(dir, 'store.sqlite'), ST_GOODS_CONFIG_DIR: dir };
  return {
    sim,
    client,
    dir,
    env,
    ...(opts.clock ? { clock: opts.clock } : {}),
    async close() {
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * ship-parts.yaml delivers to `contract: auto`, the agent's open contract for SHIP_PARTS. A new
 * agent's starter contract asks for some cheap good: make it ask for 10 SHIP_PARTS at a market
 * that imports them, as a real SHIP_PARTS contract would (the one thing no example can bring).
 */
async function giveShipPartsContract(w: World): Promise<void> {
  const [contract] = await w.client.listContracts();
  const state = w.sim.universe.state;
  const importer = Object.keys(state.markets)
    .sort()
    .find((wp) => state.markets[wp]!.goods.some((g) => g.symbol === 'SHIP_PARTS' && g.type === 'IMPORT'))!;
  Object.assign(state.contracts[contract!.id]!, { tradeSymbol: 'SHIP_PARTS', destination: importer, unitsRequired: 10 });
}

async function planAndApply(w: World, example: string): Promise<{ plan: string; apply: string; code: number | null }> {
  const out = path.join(w.dir, example.replace(/\.yaml$/, '.plan.yaml'));
  w.clock?.pause();
  const plan = await cli(['plan', path.join('plans', example), '--out', out], w.env);
  if (plan.code !== 0) return { plan: plan.stdout + plan.stderr, apply: '', code: plan.code };
  w.clock?.resume();
  const apply = await cli(['apply', out, '--json'], w.env);
  w.clock?.pause();
  return { plan: plan.stdout, apply: apply.stdout + apply.stderr, code: apply.code };
}

describe('e2e: the first hour of a new user (X1-AD75, simulator)', function () {
  this.timeout(300_000);

  for (const [name, order] of [
    ['in name order', [...EXAMPLES]],
    ['in reverse order', [...EXAMPLES].reverse()],
  ] as const) {
    it(`applies every example of plans/ one after another on one agent, ${name}: each exits 0`, async () => {
      // Each example fits a new agent's 175,000 credits on its own; one after another they spend
      // more than that (advanced-circuitry alone may spend 160,000), so this agent starts richer.
      const w = await newAgent(3, { startingCredits: 600_000, timeScale: SEQUENCE_TIME_SCALE, clock: new PausableClock() });
      try {
        await giveShipPartsContract(w);
        for (const example of order) {
          const r = await planAndApply(w, example);
          expect(r.code, `${example}\n--- plan:\n${r.plan}\n--- apply:\n${r.apply}`).to.equal(0);
          const result = JSON.parse(r.apply.slice(0, r.apply.lastIndexOf('}') + 1)) as { status: string };
          expect(result.status, example).to.equal('completed');
        }
        const contract = (await w.client.listContracts())[0]!;
        expect(contract.fulfilled, 'ship-parts.yaml fulfilled the SHIP_PARTS contract').to.equal(true);
      } finally {
        await w.close();
      }
    });
  }

  it('a hold full of cargo from an earlier run: the plan sells it first (clear task), or with clearHolds: false refuses naming ship and cargo', async () => {
    const w = await newAgent(5);
    try {
      expect((await planAndApply(w, 'iron.yaml')).code).to.equal(0);
      const spec = YAML.parse(fs.readFileSync('plans/machinery.yaml', 'utf8')) as Record<string, any>;
      spec.policy.clearHolds = false;
      const strict = path.join(w.dir, 'machinery-strict.yaml');
      fs.writeFileSync(strict, YAML.stringify(spec));
      const refused = await cli(['plan', strict], w.env);
      expect(refused.code, refused.stdout + refused.stderr).to.equal(5);
      expect(refused.stderr).to.match(new RegExp(`${w.sim.agentSymbol}-1 holds 40 IRON`)).and.to.match(/clearHolds/);
      const planned = await cli(['plan', 'plans/machinery.yaml', '--out', path.join(w.dir, 'm.plan.yaml')], w.env);
      expect(planned.code, planned.stderr).to.equal(0);
      expect(planned.stdout).to.match(/clear-IRON@/).and.to.match(/Cargo aboard when planned/);
    } finally {
      await w.close();
    }
  });

  it('the starting contract end to end with deliver: {contract: auto}: accepted, delivered, fulfilled, payments in the result', async () => {
    const w = await newAgent(6);
    try {
      const [c] = await w.client.listContracts();
      expect(c!.accepted).to.equal(false);
      const d = c!.terms.deliver![0]!;
      const spec = { name: 'starter', target: { good: d.tradeSymbol, quantity: d.unitsRequired, deliver: { contract: 'auto' } }, policy: { maxCredits: 100_000 } };
      const file = path.join(w.dir, 'starter.yaml');
      fs.writeFileSync(file, YAML.stringify(spec));
      const out = path.join(w.dir, 'starter.plan.yaml');
      const plan = await cli(['plan', file, '--out', out], w.env);
      expect(plan.code, plan.stderr).to.equal(0);
      expect(plan.stdout).to.match(new RegExp(`contract ${c!.id}: not accepted yet: apply accepts it before buying anything \\(pays ${c!.terms.payment.onAccepted.toLocaleString('en-US')}\\)`));
      expect(plan.stdout).to.match(/apply fulfils it once delivered/);
      const before = (await w.client.getAgent()).credits;
      const apply = await cli(['apply', out, '--json'], w.env);
      expect(apply.code, apply.stdout + apply.stderr).to.equal(0);
      const result = JSON.parse(apply.stdout) as { status: string; spent: number; payments: Array<{ contractId: string; kind: string; credits: number }> };
      expect(result.status).to.equal('completed');
      expect(result.payments.map((p) => [p.contractId, p.kind, p.credits])).to.deep.equal([
        [c!.id, 'accepted', c!.terms.payment.onAccepted],
        [c!.id, 'fulfilled', c!.terms.payment.onFulfilled],
      ]);
      const after = await w.client.getContract(c!.id);
      expect(after).to.include({ accepted: true, fulfilled: true });
      expect(after.terms.deliver![0]!.unitsFulfilled).to.equal(d.unitsRequired);
      const credits = (await w.client.getAgent()).credits;
      expect(credits - before).to.equal(c!.terms.payment.onAccepted + c!.terms.payment.onFulfilled - result.spent);
      // Planning it again: the contract is fulfilled, so `auto` finds none and says so (exit 4).
      const again = await cli(['plan', file], w.env);
      expect(again.code).to.equal(4);
      expect(again.stderr).to.match(new RegExp(`no open contract of this agent asks for ${d.tradeSymbol}`));
      const named = path.join(w.dir, 'named.yaml');
      fs.writeFileSync(named, YAML.stringify({ ...spec, target: { ...spec.target, deliver: { contract: c!.id } } }));
      const fulfilled = await cli(['plan', named], w.env);
      expect(fulfilled.code).to.equal(4);
      expect(fulfilled.stderr).to.match(/it is already fulfilled/);
    } finally {
      await w.close();
    }
  });
});
