import type { SpaceTradersClient } from '../api/client.js';
import type { components } from '../api/generated/spacetraders.js';

type Contract = components['schemas']['Contract'];

/** One delivery a contract asks for. */
export interface ContractDelivery {
  good: string;
  destination: string;
  unitsRequired: number;
  unitsFulfilled: number;
  /** unitsRequired - unitsFulfilled: what a spec's target.quantity should ask for. */
  unitsRemaining: number;
}

/** A contract as `st-goods contracts` shows it (schema: schemas/contracts-result.schema.json). */
export interface ContractSummary {
  id: string;
  type: Contract['type'];
  faction: string;
  accepted: boolean;
  fulfilled: boolean;
  /** Deadline to fulfil the terms. */
  deadline: string;
  /** Deadline to accept it (null once accepted, or when the server gives none). */
  deadlineToAccept: string | null;
  payment: { onAccepted: number; onFulfilled: number };
  deliveries: ContractDelivery[];
}

export interface ContractsResult {
  contracts: ContractSummary[];
}

export function summarizeContract(c: Contract): ContractSummary {
  return {
    id: c.id,
    type: c.type,
    faction: c.factionSymbol,
    accepted: c.accepted,
    fulfilled: c.fulfilled,
    deadline: c.terms.deadline,
    deadlineToAccept: c.accepted ? null : (c.deadlineToAccept ?? null),
    payment: { onAccepted: c.terms.payment.onAccepted, onFulfilled: c.terms.payment.onFulfilled },
    deliveries: (c.terms.deliver ?? []).map((d) => ({
      good: d.tradeSymbol,
      destination: d.destinationSymbol,
      unitsRequired: d.unitsRequired,
      unitsFulfilled: d.unitsFulfilled,
      unitsRemaining: Math.max(0, d.unitsRequired - d.unitsFulfilled),
    })),
  };
}

/** Every contract of the token's agent (all pages), open ones first, then by deadline. */
export async function listContracts(client: Pick<SpaceTradersClient, 'listContracts'>): Promise<ContractsResult> {
  const contracts = (await client.listContracts()).map(summarizeContract);
  contracts.sort((a, b) => Number(a.fulfilled) - Number(b.fulfilled) || a.deadline.localeCompare(b.deadline) || a.id.localeCompare(b.id));
  return { contracts };
}

function state(c: ContractSummary): string {
  if (c.fulfilled) return 'fulfilled';
  if (c.accepted) return 'accepted';
  return c.deadlineToAccept ? `not accepted (accept by ${c.deadlineToAccept})` : 'not accepted';
}

/** Plain text: one block per contract, one line per delivery. */
export function renderContracts(res: ContractsResult): string {
  if (res.contracts.length === 0) return 'No contracts. (A new agent gets one at registration; ships negotiate more at faction waypoints.)\n';
  const lines: string[] = [];
  for (const c of res.contracts) {
    lines.push(`${c.id}  ${c.type} for ${c.faction}, ${state(c)}, deadline ${c.deadline}`);
    lines.push(`  pays ${c.payment.onAccepted.toLocaleString('en-US')} on accept + ${c.payment.onFulfilled.toLocaleString('en-US')} on fulfil`);
    if (c.deliveries.length === 0) lines.push('  (no deliveries)');
    for (const d of c.deliveries) {
      lines.push(`  deliver ${String(d.unitsRemaining).padStart(5)} ${d.good.padEnd(24)} to ${d.destination}  (${d.unitsFulfilled}/${d.unitsRequired} delivered)`);
    }
  }
  const open = res.contracts.find((c) => !c.fulfilled && c.deliveries.some((d) => d.unitsRemaining > 0));
  if (open) {
    const d = open.deliveries.find((x) => x.unitsRemaining > 0)!;
    lines.push('', 'In a production spec:', `  target: { good: ${d.good}, quantity: ${d.unitsRemaining}, deliver: { contract: ${open.id} } }`);
  }
  return `${lines.join('\n')}\n`;
}
