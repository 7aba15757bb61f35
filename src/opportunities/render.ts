import type { FoundOpportunities } from './find.js';

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** The ranking as text: one line per row, best first, then what could not be planned. */
export function renderOpportunities(f: FoundOpportunities): string {
  const lines: string[] = [];
  lines.push(`Opportunities in ${f.system} (agent credits ${n(f.agentCredits)}; ${f.requests} API requests${f.listingsFromCache ? ', listings from cache' : ''}), by expected profit per game hour:`);
  if (!f.rows.length) lines.push('  none could be planned');
  f.rows.forEach((r, i) => {
    const what = r.kind === 'contract' ? `deliver ${r.quantity} ${r.good} to contract ${r.contractId} at ${r.deliverTo}` : `make ${r.quantity} ${r.good} at ${r.waypoint}, sell at ${r.deliverTo}`;
    lines.push(
      `  ${String(i + 1).padStart(2)}. ${what}: ${r.profit >= 0 ? '+' : ''}${n(r.profit)} (${n(r.profitPerHour)}/h, ${n(r.profitPerRequest)}/request; ${n(r.unitCost)}/u cost, ${n(r.unitValue)}/u earned, margin ${(r.margin * 100).toFixed(1)}%)${r.action === 'BUY' ? ' [bought, not made]' : ''}${r.estimated ? ' [ESTIMATED prices]' : ''}`,
    );
  });
  if (f.skipped.length) {
    lines.push('Not planned:');
    for (const s of f.skipped) lines.push(`  ${s.kind} ${s.good}${s.contractId ? ` (contract ${s.contractId})` : ''}: ${s.why.split('\n')[0]}`);
  }
  return lines.join('\n');
}
