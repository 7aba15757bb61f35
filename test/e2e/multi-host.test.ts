/**
 * Several hosts on one shared Postgres store (issue 17): three host ids, two agents, the real
 * binary against the simulator over HTTP. Two hosts start the same plan of agent A at once: one
 * runs, the other exits LOCKED. The runner is frozen (SIGSTOP) past its lease; the other host
 * takes the lock over and finishes the run while host 3 runs agent B's plan on the same store.
 * The frozen one is resumed (SIGCONT): the store refuses its writes (LOCK_LOST, exit 7) and it
 * buys nothing; nothing is bought twice and the game's credits match each journal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { SpaceTradersClient } from '../../src/api/client.js';
import { Secret } from '../../src/config/redact.js';
import { SIM_ACCOUNT_TOKEN } from '../../src/sim/engine/index.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { Journal, actualSpend } from '../../src/state/journal.js';
import { Store } from '../../src/state/store.js';
import { sharedPostgres } from '../helpers/postgres.js';
import { cli, e2eWorld, ironSpec, startCli, waitFor, type CliResult, type E2EWorld } from './apply-helpers.js';

// Long enough that a loaded machine's late heartbeat is not taken for a dead holder.
const LEASE = '15s';

async function ironOf(client: SpaceTradersClient): Promise<number> {
  return (await client.listShips()).reduce((a, s) => a + (s.cargo.inventory.find((i) => i.symbol === 'IRON')?.units ?? 0), 0);
}

/** The run of `planId` in the store: credits the journal says it moved, and its status. */
async function journalOf(url: string, agent: string, planId: string): Promise<{ status?: string; net: number; acquired: number }> {
  const store = await Store.open(url);
  try {
    const j = new Journal(store);
    const runId = await j.runForPlan(agent, planId);
    const run = runId ? await j.getRun(runId) : undefined;
    if (!run) return { net: NaN, acquired: 0 };
    const tasks = await j.getTasks(run.runId, run.plan.tasks.map((t) => t.id));
    const ships = await j.getShips(run.runId, [...new Set(run.plan.tasks.map((t) => t.ship))]);
    const earned = [...tasks.values()].reduce((a, t) => a + t.earned, 0);
    return { status: run.status, net: actualSpend(tasks.values(), ships.values()) - earned, acquired: [...tasks.values()].reduce((a, t) => a + t.acquired, 0) };
  } finally {
    await store.close();
  }
}

describe('e2e: three hosts share one Postgres store (two agents, a lock contest, a frozen holder fenced off)', function () {
  this.timeout(300_000);
  let w: E2EWorld;
  let url: string;

  before(async () => {
    url = await (await sharedPostgres()).freshDatabase();
    w = await e2eWorld({ haulers: 2, timeScale: 500 });
  });
  after(async () => {
    await w?.close();
  });

  it('one of two hosts runs agent A, the other exits LOCKED; the frozen runner is taken over, its writes are refused, nothing is bought twice', async () => {
    // Agent B, on the same server, with a hauler of its own.
    const reg = await w.sim.api('POST', '/register', { symbol: `B${w.sim.agentSymbol.slice(0, 8)}`, faction: 'COSMIC' }, SIM_ACCOUNT_TOKEN);
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const tokenB = (reg.body as { data: { token: string } }).data.token;
    const clientB = new SpaceTradersClient({ baseUrl: w.sim.baseUrl, token: new Secret(tokenB), limiter: false });
    const probeB = (await clientB.listShips()).find((s) => s.cargo.capacity === 0)!;
    await clientB.purchaseShip('SHIP_LIGHT_HAULER', probeB.nav.waypointSymbol);

    const host = (id: string, token = w.sim.token): NodeJS.ProcessEnv => ({ ...w.env, ST_TOKEN: token, ST_GOODS_STORE: url, ST_GOODS_HOST_ID: id, ST_GOODS_LOCK_LEASE: LEASE });
    const planA = path.join(w.dir, 'a.plan.yaml');
    const planB = path.join(w.dir, 'b.plan.yaml');
    let r = await cli(['plan', ironSpec(w, 120, 'iron-a'), '--out', planA], host('host-1'));
    expect(r.code, r.stderr).to.be.oneOf([0, 2]);
    r = await cli(['plan', ironSpec(w, 40, 'iron-b'), '--out', planB], host('host-3', tokenB));
    expect(r.code, r.stderr).to.be.oneOf([0, 2]);
    const planIdOf = (f: string): string => /planId: (\S+)/.exec(fs.readFileSync(f, 'utf8'))![1]!;
    const creditsA = (await w.client.getAgent()).credits;
    const creditsB = (await clientB.getAgent()).credits;

    // The contest: hosts 1 and 2 start agent A's plan at the same moment, neither waits.
    const logs = { 'host-1': path.join(w.dir, 'h1.ndjson'), 'host-2': path.join(w.dir, 'h2.ndjson') };
    const starts = (['host-1', 'host-2'] as const).map((h) => ({ h, ...startCli(['apply', planA, '--lock-timeout', '0s', '--log-json', logs[h]], host(h)) }));
    const first = await Promise.race(starts.map((s) => s.done.then((res) => ({ s, res }))));
    expect(first.res.code, first.res.stderr).to.equal(ExitCode.LOCKED);
    expect(first.res.stderr).to.match(/Another apply holds the lock/);
    const loser = first.s;
    const runner = starts.find((s) => s !== loser)!;

    // The runner buys, then freezes (a stalled VM, a laptop lid): its heartbeat stops.
    await waitFor(logs[runner.h], '"type":"result"', 120_000);
    runner.child.kill('SIGSTOP');
    let runnerExit: CliResult | undefined;
    void runner.done.then((res) => (runnerExit = res));
    try {
      // The loser's host tries again, waiting: after the lease it takes the lock over and finishes.
      // Meanwhile host 3 runs agent B's plan on the same store.
      const [takeover, other] = await Promise.all([
        cli(['apply', planA, '--lock-timeout', '120s', '--log-json', logs[loser.h]], host(loser.h)),
        cli(['apply', planB, '--lock-timeout', '0s'], host('host-3', tokenB)),
      ]);
      expect(other.code, other.stderr).to.equal(0);
      expect(takeover.code, takeover.stderr).to.equal(0);
      expect(fs.readFileSync(logs[loser.h], 'utf8')).to.match(/"type":"run.resume"/);
    } finally {
      runner.child.kill('SIGCONT');
    }
    // Woken up, the old runner finds the lock gone: the store refuses its writes, it stops (exit 7).
    const woke = runnerExit ?? (await runner.done);
    expect(woke.code, woke.stderr).to.equal(ExitCode.LOCKED);
    expect(woke.stderr).to.match(/lost the lock|taken over/);
    expect(woke.stderr).to.not.match(/\n\s+at /);

    // Nothing bought twice: the holds hold exactly the targets, and the game's credits moved by
    // exactly what each journal recorded.
    expect(await ironOf(w.client)).to.equal(120);
    expect(await ironOf(clientB)).to.equal(40);
    const ja = await journalOf(url, w.sim.agentSymbol, planIdOf(planA));
    const jb = await journalOf(url, (await clientB.getAgent()).symbol, planIdOf(planB));
    expect(ja.status).to.equal('completed');
    expect(jb.status).to.equal('completed');
    expect(ja.acquired).to.equal(120);
    expect(creditsA - (await w.client.getAgent()).credits).to.equal(ja.net);
    expect(creditsB - (await clientB.getAgent()).credits).to.equal(jb.net);

    // Any host reads the shared journal: status of agent A's run, from host 3.
    const runA = (await cli(['status', '--json'], host('host-3'))).stdout;
    expect(runA).to.match(/"status":\s*"completed"/);
  });

  it('a Postgres store that cannot be reached is a store error (exit 4) naming the URL without its password, at once', async () => {
    const started = Date.now();
    const r = await cli(['status'], { ...w.env, ST_GOODS_STORE: 'postgres://st:sekret-pw@127.0.0.1:1/nowhere' });
    expect(r.code, r.stderr).to.equal(ExitCode.INVALID_INPUT);
    expect(r.stderr).to.contain('postgres://st@127.0.0.1:1/nowhere').and.match(/cannot be reached/);
    expect(r.stderr).to.not.contain('sekret-pw');
    expect(r.stderr).to.not.match(/\n\s+at /);
    expect(Date.now() - started).to.be.below(30_000);
  });
});

describe('e2e: a holder frozen while its purchase waits in the rate limiter (shared store)', function () {
  this.timeout(300_000);
  let w: E2EWorld;
  let url: string;

  before(async () => {
    url = await (await sharedPostgres()).freshDatabase();
    w = await e2eWorld({ haulers: 1, timeScale: 500 });
  });
  after(async () => {
    await w?.close();
  });

  it('wakes up after a takeover and stops at the last check before sending: the successor bought, it does not buy again', async () => {
    const env = (id: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...w.env, ST_GOODS_STORE: url, ST_GOODS_HOST_ID: id, ST_GOODS_LOCK_LEASE: LEASE, ...extra });
    const plan = path.join(w.dir, 'iron.plan.yaml');
    const r = await cli(['plan', ironSpec(w, 40, 'iron-frozen'), '--out', plan], env('host-1'));
    expect(r.code, r.stderr).to.be.oneOf([0, 2]);
    const credits = (await w.client.getAgent()).credits;

    // Host 1 freezes itself with its first purchase granted by the limiter and not yet sent.
    const frozen = startCli(['apply', plan], env('host-1', { ST_GOODS_FAILPOINT: 'granted POST /my/ships/{shipSymbol}/purchase:stop' }));
    const stateOf = (pid: number): string => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0]!;
    const end = Date.now() + 120_000;
    while (stateOf(frozen.child.pid!) !== 'T') {
      if (Date.now() > end) throw new Error('host 1 never reached its purchase');
      await new Promise((res) => setTimeout(res, 20));
    }
    try {
      // Host 2 waits out the lease, takes the run over and buys the 40 units.
      const takeover = await cli(['apply', plan, '--lock-timeout', '120s'], env('host-2'));
      expect(takeover.code, takeover.stderr).to.equal(0);
      expect(await ironOf(w.client)).to.equal(40);
    } finally {
      frozen.child.kill('SIGCONT');
    }
    const woke = await frozen.done;
    expect(woke.code, woke.stderr).to.equal(ExitCode.LOCKED);
    expect(woke.stderr).to.match(/lost the lock/);
    expect(await ironOf(w.client)).to.equal(40);
    const j = await journalOf(url, w.sim.agentSymbol, /planId: (\S+)/.exec(fs.readFileSync(plan, 'utf8'))![1]!);
    expect(j.status).to.equal('completed');
    expect(credits - (await w.client.getAgent()).credits).to.equal(j.net);
  });
});
