import type { NodePnl, RunPnl } from './realized.js';

const c = (n: number): string => Math.round(n).toLocaleString('en-US');
const signed = (n: number): string => (n > 0 ? `+${c(n)}` : c(n));

/** The P&L lines `status` and apply's result print. */
export function renderPnl(p: RunPnl): string[] {
  const lines: string[] = [];
  const s = p.spent;
  const e = p.earned;
  lines.push(
    `Profit and loss: ${signed(p.realized)} credits realized (earned ${c(e.total)}: feed ${c(e.feed)}, target ${c(e.target)}, contract ${c(e.contract)}, surplus ${c(e.surplus)}; ` +
      `spent ${c(s.total)}: purchases ${c(s.purchases)}, fuel ${c(s.fuel)}, antimatter ${c(s.antimatter)})`,
  );
  if (p.held.units > 0) lines.push(`  held: ${p.held.units} units at cost basis ${c(p.held.value)}; net with holdings ${signed(p.net)}`);
  if (p.counterfactual) {
    const cf = p.counterfactual;
    lines.push(`  counterfactual: buying ${cf.units} ${p.nodes.good} at the best ask seen (${c(cf.unitPrice)} at ${cf.waypoint}) would cost ${c(cf.cost)}; this run's cost basis ${c(p.nodes.costBasis)} (${cf.saved >= 0 ? 'saved' : 'lost'} ${c(Math.abs(cf.saved))})`);
  }
  if (p.agentCredits) lines.push(`  agent credits: ${c(p.agentCredits.start)} → ${c(p.agentCredits.end)} (${signed(p.agentCredits.change)})`);
  const walk = (n: NodePnl, depth: number): void => {
    const unit = n.unitCost !== undefined ? `, ${c(n.unitCost)}/u` : '';
    lines.push(`  ${'  '.repeat(depth)}${n.good} [${n.action}]: cost ${c(n.costBasis)} for ${n.unitsAcquired}${unit}, earned ${c(n.earned)}, net ${signed(n.net)}${n.held.units ? ` (${n.held.units} held)` : ''}`);
    n.inputs.forEach((i) => walk(i, depth + 1));
  };
  walk(p.nodes, 0);
  return lines;
}
