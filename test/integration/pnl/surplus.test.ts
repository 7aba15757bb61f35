/**
 * Surplus over HTTP (issue 15): a real run that ends with units of the plan's goods the journal
 * explains and the target does not need, through the game's own rules. MACHINERY is made at
 * X1-AD75-E46 from IRON bought at X1-AD75-H51; while the ship flies the IRON to the factory, the
 * factory's IRON bid collapses (another trader flooded the import: the simulator's admin moves the
 * market, not our cargo). The ship arrives, reads a bid below the feed's floor
 * (guards.minSellPrice), and feeding stops: the IRON it bought stays aboard, the collect goes on,
 * the run completes, and its end sells the IRON at the best bid in reach (or keeps it).
 */
import fs from 'node:fs';
import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { loadStatus, renderStatus } from '../../../src/executor/status-view.js';
import { Journal, type StepRecord } from '../../../src/state/journal.js';
import { adaptSpec, apply, applyWorld, planFor } from '../apply/helpers.js';
import { admin, observe } from './helpers.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;

const SOURCE = 'X1-AD75-H51';
const FACTORY = 'X1-AD75-E46';
/** Imports IRON at the factory's coordinates: by construction the best IRON bid in the system. */
const BEST = 'X1-AD75-E45';
const BEST_BID = 400;

/** The journal's money, summed here independently of src/pnl: every transaction the game made. */
function journalSum(steps: readonly StepRecord[]): number {
  let net = 0;
  for (const s of steps) {
    if (!s.result?.happened) continue;
    if (/^(buy|refuel)\.(result|reconciled)$/.test(s.kind)) net -= s.result.totalPrice;
    else if (/^sell\.(result|reconciled)$/.test(s.kind)) net += s.result.totalPrice;
  }
  return net;
}

function statusValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync('schemas/status.schema.json', 'utf8')));
}

/**
 * The world, the plan (make 20 MACHINERY, feed 25 IRON) and its apply, with the factory's IRON bid
 * collapsed to 40 (under the feed's floor) the moment the ship leaves for the factory with it.
 */
async function runWithCollapsedFeed(surplus?: 'keep') {
  const w = await applyWorld({ haulers: 1 });
  // Another importer of IRON pays more than any market of the system, and the run knows it (a ship saw it).
  const best = await admin(w, `markets/${BEST}/IRON`, { sellPrice: BEST_BID });
  expect(best.sellPrice).to.equal(BEST_BID);
  await observe(w, BEST);
  const spec = adaptSpec('machinery.yaml', w.dir, (s) => {
    s.policy.make = ['MACHINERY'];
    s.policy.mode = 'prefer-buy';
    s.target.quantity = 20;
    s.policy.productionTimeout = '3h';
    if (surplus) s.policy.surplus = surplus;
  });
  const plan = await planFor(w.client, w.store, spec);
  const feed = plan.tasks.find((t) => t.destination.kind === 'feed')!;
  expect(feed, JSON.stringify(plan.tasks.map((t) => t.id))).to.include({ good: 'IRON', quantity: 25 });
  expect(feed.source).to.deep.equal({ kind: 'market', waypoint: SOURCE });
  expect(feed.destination).to.include({ waypoint: FACTORY });
  expect(feed.guards.minSellPrice).to.be.greaterThan(40);
  const ship = feed.ship;
  const before = (await w.client.getAgent()).credits;

  // The real client, every call over HTTP; the factory's bid falls as the ship departs for it with the IRON.
  const navigate = w.client.navigate.bind(w.client);
  let collapsed = false;
  w.client.navigate = async (s, waypoint) => {
    if (waypoint === FACTORY && !collapsed) {
      collapsed = true;
      expect((await admin(w, `markets/${FACTORY}/IRON`, { sellPrice: 40 })).sellPrice).to.equal(40);
    }
    return navigate(s, waypoint);
  };
  const out = await apply(w.client, w.store, plan);
  w.client.navigate = navigate;
  expect(collapsed).to.equal(true);
  const after = (await w.client.getAgent()).credits;
  const steps = await new Journal(w.store).steps(out.runId);
  return { w, plan, feed, ship, out, before, after, steps };
}

describe('integration: surplus at the end of a run (simulator over HTTP)', function () {
  this.timeout(120_000);

  it('a feed stopped at its sell floor leaves its IRON aboard; the completed run sells it at the best bid in reach, journaled, in the P&L to the credit', async () => {
    const { w, feed, ship, out, before, after, steps } = await runWithCollapsedFeed();
    try {
      expect(out.status, out.message).to.equal('completed');
      expect(out.exitCode).to.equal(ExitCode.OK);
      // Feeding stopped at the floor (nothing sold under it), the collect went on.
      const fed = out.tasks.find((t) => t.id === feed.id)!;
      expect(fed).to.include({ status: 'completed', acquired: 25, delivered: 0 });
      expect(fed.reason).to.match(/feeding stopped at the sell floor .* X1-AD75-E46 pays 40, below the plan's floor/);
      expect(steps.some((s) => s.kind === 'sell.intent' && s.taskId === feed.id)).to.equal(false);
      expect(out.tasks.find((t) => t.id.startsWith('make-MACHINERY'))).to.include({ status: 'completed', delivered: 20 });

      // Sold at the best bid in reach: E45, the best IRON bid of the system (no market the run knew pays more).
      const sales = steps.filter((s) => s.kind === 'sell.result' && s.taskId === `surplus-IRON@${ship}`);
      const credits = sales.reduce((a, s) => a + s.result!.totalPrice, 0);
      expect(sales.reduce((a, s) => a + s.result!.units, 0)).to.equal(25);
      expect(steps.filter((s) => s.kind === 'sell.intent' && s.taskId === `surplus-IRON@${ship}`)).to.have.length(sales.length);
      expect(sales.every((s) => s.intent!.waypoint === BEST)).to.equal(true);
      expect(steps.some((s) => s.kind === 'navigate' && s.waypoint === BEST && s.taskId === `surplus-IRON@${ship}`)).to.equal(true);
      expect(out.surplus).to.deep.equal({ sold: [{ ship, good: 'IRON', units: 25, waypoint: BEST, bid: BEST_BID, tradeVolume: 60, sold: 25, credits }], left: [] });

      // The simulator's own transactions at E45 are those sales, to the credit.
      const market = await w.client.getMarket('X1-AD75', BEST);
      const txs = (market.transactions ?? []).filter((t) => t.shipSymbol === ship && t.tradeSymbol === 'IRON' && t.type === 'SELL');
      expect(txs.reduce((a, t) => a + t.units, 0)).to.equal(25);
      expect(txs.reduce((a, t) => a + t.totalPrice, 0)).to.equal(credits);
      expect(txs[0]!.pricePerUnit).to.equal(BEST_BID);

      // The P&L: surplus earned is those sales; realized is the journal's transactions and the agent's credit change.
      expect(out.pnl.earned.surplus).to.equal(credits);
      expect(out.pnl.earned.feed).to.equal(0);
      expect(out.pnl.realized).to.equal(journalSum(steps));
      expect(out.pnl.realized).to.equal(after - before);
      expect(out.pnl.agentCredits).to.deep.equal({ start: before, end: after, change: after - before });

      // The hold is empty of it.
      const now = await w.client.getShip(ship);
      expect(now.cargo.inventory.find((i) => i.symbol === 'IRON')?.units ?? 0).to.equal(0);

      // status (what `status --json` prints) reports the sale, per its schema, with the same P&L.
      const report = await loadStatus(w.store, out.runId);
      const valid = statusValidator();
      expect(valid(JSON.parse(JSON.stringify(report))), JSON.stringify(valid.errors)).to.equal(true);
      expect(report.surplus).to.deep.equal({ policy: 'sell', sold: [{ ship, good: 'IRON', waypoint: BEST, units: 25, credits }], left: [], kept: [] });
      expect(report.pnl).to.deep.equal(out.pnl);
      expect(renderStatus(report)).to.include(`sold 25 IRON from ${ship} at ${BEST} for ${credits.toLocaleString('en-US')} credits`);
    } finally {
      await w.close();
    }
  });

  it('policy.surplus: keep: the same run leaves the IRON in the hold and reports it kept; nothing is sold', async () => {
    const { w, feed, ship, out, before, after, steps } = await runWithCollapsedFeed('keep');
    try {
      expect(out.status, out.message).to.equal('completed');
      expect(out.tasks.find((t) => t.id === feed.id)).to.include({ status: 'completed', acquired: 25, delivered: 0 });
      expect(out.surplus).to.deep.equal({ sold: [], left: [], kept: [{ ship, good: 'IRON', units: 25 }] });
      expect(steps.some((s) => s.taskId?.startsWith('surplus-'))).to.equal(false);
      expect(steps.some((s) => s.kind === 'navigate' && s.waypoint === BEST)).to.equal(false);
      const now = await w.client.getShip(ship);
      expect(now.cargo.inventory.find((i) => i.symbol === 'IRON')?.units).to.equal(25);
      expect(out.pnl.earned.surplus).to.equal(0);
      expect(out.pnl.realized).to.equal(journalSum(steps));
      expect(out.pnl.realized).to.equal(after - before);

      const report = await loadStatus(w.store, out.runId);
      const valid = statusValidator();
      expect(valid(JSON.parse(JSON.stringify(report))), JSON.stringify(valid.errors)).to.equal(true);
      expect(report.surplus).to.deep.equal({ policy: 'keep', sold: [], left: [], kept: [{ ship, good: 'IRON', units: 25 }] });
      expect(renderStatus(report)).to.include(`kept 25 IRON on ${ship}`);
    } finally {
      await w.close();
    }
  });
});
