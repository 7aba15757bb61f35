import type { FleetShip, PlanFile, Task, TaskDestination } from '../../../src/plan/types.js';

/** A hand-made plan for executor tests (the planner's own output is tested by the planner). */
export function makePlan(opts: {
  agent?: string;
  tasks: Task[];
  fleet: string[];
  target: { good: string; quantity: number; deliver?: TaskDestination };
  maxCredits?: number;
  reserveCredits?: number;
  createdAt?: Date;
  planId?: string;
}): PlanFile {
  const created = opts.createdAt ?? new Date(Date.now() - 1000);
  const fleet: FleetShip[] = opts.fleet.map((s) => ({ symbol: s, role: 'HAULER', frame: 'FRAME_LIGHT_FREIGHTER', cargoCapacity: 40, fuelCapacity: 400, speed: 15, waypoint: 'X1-T-A' }));
  return {
    formatVersion: '1.0',
    lineage: { agentSymbol: opts.agent ?? 'AGENT', resetDate: '2026-01-01' },
    specHash: 'spec',
    supplyChainHash: 'sc',
    spec: {
      name: 'test',
      system: 'X1-T',
      target: { good: opts.target.good, quantity: opts.target.quantity, deliver: opts.target.deliver ?? { kind: 'hold' } },
      policy: {
        mode: 'prefer-buy',
        minSupplyToBuy: 'MODERATE',
        maxCredits: opts.maxCredits ?? 10_000_000,
        maxUnitPrice: {},
        reserveCredits: opts.reserveCredits ?? 0,
        productionTimeoutSeconds: 3600,
        pollSeconds: 30,
        flightMode: 'CRUISE',
      },
    },
    fleet,
    observations: [],
    decisions: { good: opts.target.good, quantity: opts.target.quantity, action: 'BUY', waypoint: 'X1-T-A', reason: 'test', declined: [], estimatedCost: 0, taskIds: opts.tasks.map((t) => t.id), inputs: [] },
    tasks: opts.tasks,
    estimates: { credits: 0, fuel: 0, gameSeconds: 0, criticalPathSeconds: 0, apiRequests: 0 },
    planId: opts.planId ?? `plan-${Math.random().toString(36).slice(2, 10)}`,
    toolVersion: '0.1.0',
    createdAt: created.toISOString(),
    expiresAt: new Date(created.getTime() + 3600_000).toISOString(),
    seal: 'unsealed (a hand-made fixture; envelope() seals real plans)',
  };
}

export function task(t: Partial<Task> & Pick<Task, 'id' | 'good' | 'quantity' | 'ship' | 'source' | 'destination'>): Task {
  return {
    dependsOn: [],
    trips: [t.quantity],
    tradeVolume: 20,
    guards: { maxUnitPrice: 1_000_000, minSellPrice: 0 },
    estimate: { credits: 0, fuel: 0, gameSeconds: 0, requests: 0 },
    ...t,
  };
}
