import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { envelope } from '../../../src/plan/file.js';
import { renderMarkdown, renderText } from '../../../src/plan/render.js';
import type { PlanFile } from '../../../src/plan/types.js';
import { NOW, captureView, plan, ship } from '../planner/helpers.js';

const FIXTURES = path.resolve('test/fixtures/planner');

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (on purpose, never by hand). */
function golden(name: string, actual: string): void {
  const file = path.join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`golden file ${file} is missing: run with UPDATE_GOLDEN=1 to create it`);
    fs.mkdirSync(FIXTURES, { recursive: true });
    fs.writeFileSync(file, actual);
  }
  expect(actual).to.equal(fs.readFileSync(file, 'utf8'));
}

/** FOOD in the real X1-AD75 capture, where only ABUNDANT sellers may be bought from: FOOD is made. */
function foodPlan(): PlanFile {
  const fleet = [ship('FLWI-1', 'X1-AD75-A1', 40, 36), ship('FLWI-3', 'X1-AD75-H51', 80, 15)];
  const body = plan(captureView(), 'FOOD', 30, { fleet, policy: { minSupplyToBuy: 'ABUNDANT' } });
  return envelope(body, { now: NOW, toolVersion: '0.0.0-test' });
}

describe('plan renderings (golden files)', () => {
  it('text summary: the tree with BUY/MAKE, where, cost and ships, then totals', () => {
    const text = renderText(foodPlan());
    expect(text).to.match(/MAKE 30 FOOD @ X1-AD75-K81/);
    expect(text).to.match(/BUY 30 FERTILIZERS @ X1-AD75-G50/);
    expect(text).to.match(/credits\s+~[\d,]+ of budget 1,000,000/);
    expect(text).to.match(/critical path/);
    golden('food.plan.txt', text);
  });

  it('Markdown: a Mermaid graph of the decisions and a task table', () => {
    const md = renderMarkdown(foodPlan());
    expect(md).to.contain('```mermaid\ngraph TD');
    expect(md).to.match(/\| task \| ship \|/);
    golden('food.plan.md', md);
  });
});
