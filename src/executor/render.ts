import { renderPnl } from '../pnl/render.js';
import type { ApplyEntryOutcome } from './entry.js';

/** The summary apply prints when it ends (stdout). */
export function renderApplyOutcome(o: ApplyEntryOutcome): string {
  if (o.status === 'declined') return o.message;
  const lines = [o.message];
  if (o.status !== 'already-complete') {
    lines.push(`Spent ${o.spent.toLocaleString('en-US')} of ${o.budget.toLocaleString('en-US')} credits; ${o.api.requests} API requests (${o.api.purchases} purchases, ${o.api.sales} sales, ${o.api.rateLimited} rate-limited).`);
    for (const p of o.payments ?? []) lines.push(`Contract ${p.contractId} ${p.kind}: paid ${p.credits.toLocaleString('en-US')} credits.`);
    for (const t of o.tasks) {
      lines.push(`  ${t.status.padEnd(9)} ${t.id} on ${t.ship || '-'}: ${t.acquired} acquired, ${t.delivered} delivered, ${t.spent} credits${t.reason ? ` — ${t.reason}` : ''}`);
    }
  }
  if ('surplus' in o && o.surplus) {
    for (const x of o.surplus.sold) lines.push(`Surplus: sold ${x.sold} ${x.good} from ${x.ship} at ${x.waypoint} for ${x.credits.toLocaleString('en-US')} credits.`);
    for (const x of o.surplus.left) lines.push(`Surplus: ${x.units} ${x.good} left on ${x.ship}: ${x.why}.`);
    for (const x of o.surplus.kept ?? []) lines.push(`Surplus: ${x.units} ${x.good} kept on ${x.ship} (policy.surplus: keep).`);
  }
  if (o.pnl) lines.push(...renderPnl(o.pnl));
  lines.push(`Details: st-goods status ${o.runId}`);
  return lines.join('\n');
}
