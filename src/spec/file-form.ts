import { formatDuration } from './duration.js';
import { isBillTarget, type ProductionSpec } from './types.js';

/**
 * A normalised spec written back in the spec file's own vocabulary (deliver: hold | {sell} |
 * {contract} | {construction}, or target: {construction}, fleet: {ships} | {select: {role, frame, max}}, policy.minSupply, durations as "45m"),
 * every default spelled out: `st-goods validate` prints it, and it loads back to the same spec
 * (the same specHash).
 */
export function specFileForm(spec: ProductionSpec): Record<string, unknown> {
  const t = spec.target;
  let target: Record<string, unknown>;
  if (isBillTarget(t)) {
    target = { construction: t.construction };
  } else {
    const d = t.deliver;
    const deliver = d.kind === 'hold' ? 'hold' : d.kind === 'sell' ? { sell: d.waypoint } : d.kind === 'construction' ? { construction: d.site } : { contract: d.contractId };
    target = { good: t.good, quantity: t.quantity, deliver };
  }
  const f = spec.fleet;
  const select = f.kind === 'select' ? { ...(f.roles ? { role: f.roles } : {}), ...(f.frames ? { frame: f.frames } : {}), ...(f.max !== undefined ? { max: f.max } : {}) } : undefined;
  const fleet = f.kind === 'ships' ? { ships: f.ships } : select && Object.keys(select).length ? { select } : undefined;
  const p = spec.policy;
  return {
    name: spec.name,
    ...(spec.system ? { system: spec.system } : {}),
    target,
    ...(fleet ? { fleet } : {}),
    policy: {
      mode: p.mode,
      ...(p.make ? { make: p.make } : {}),
      minSupply: p.minSupplyToBuy,
      maxCredits: p.maxCredits,
      ...(Object.keys(p.maxUnitPrice).length ? { maxUnitPrice: p.maxUnitPrice } : {}),
      reserveCredits: p.reserveCredits,
      productionTimeout: formatDuration(p.productionTimeoutSeconds),
      pollInterval: formatDuration(p.pollSeconds),
      flightMode: p.flightMode,
      ...(p.clearHolds === false ? { clearHolds: false } : {}),
      ...(p.minProfit ? { minProfit: 'credits' in p.minProfit ? p.minProfit.credits : `${+(p.minProfit.margin * 100).toFixed(6)}%` } : {}),
      ...(p.surplus ? { surplus: p.surplus } : {}),
      ...(p.maxDrift ? { maxDrift: p.maxDrift } : {}),
    },
  };
}
