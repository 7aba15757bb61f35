import type { Contract } from '../api/types.js';
import { GameError } from '../api/errors.js';
import { invalidInput } from '../cli/errors.js';
import type { PlanContract } from '../plan/types.js';

/** The spec's `deliver: {contract: auto}`: the agent's one open contract asking for the target good. */
export const AUTO_CONTRACT = 'auto';

export interface ContractLookup {
  getContract(id: string): Promise<Contract>;
  listContracts(): Promise<Contract[]>;
}

const LIST_HINT = 'List the agent\'s contracts with `st-goods contracts`, put the id of an open one under target.deliver.contract (or `auto`), then re-run `st-goods plan`.';

/** Why a contract cannot be delivered to now, or undefined when it can. */
export function closedBecause(c: Contract, now: Date): string | undefined {
  if (c.fulfilled) return 'it is already fulfilled';
  if (Date.parse(c.terms.deadline) <= now.getTime()) return `its deadline ${c.terms.deadline} has passed`;
  const acceptBy = c.deadlineToAccept ?? undefined;
  if (!c.accepted && acceptBy && Date.parse(acceptBy) <= now.getTime()) return `it was never accepted and its deadline to accept (${acceptBy}) has passed`;
  return undefined;
}

const remaining = (c: Contract, good: string): number => {
  const d = c.terms.deliver?.find((x) => x.tradeSymbol === good);
  return d ? Math.max(0, d.unitsRequired - d.unitsFulfilled) : 0;
};

/**
 * The contract a spec delivers to, checked for the plan: it must be this agent's, open (not
 * fulfilled, not expired, acceptable if not accepted yet), ask for `good`, and still need at
 * least `quantity` units. `auto` picks the agent's one open contract asking for `good`.
 * Every refusal is an INVALID_INPUT UserError naming the contract and the fix.
 */
export async function resolveContract(client: ContractLookup, idOrAuto: string, good: string, quantity: number, now: Date): Promise<{ contract: Contract; plan: PlanContract; waypoint: string }> {
  let c: Contract;
  if (idOrAuto === AUTO_CONTRACT) {
    const all = await client.listContracts();
    const open = all.filter((x) => !closedBecause(x, now) && remaining(x, good) > 0);
    if (open.length !== 1) {
      const others = all.filter((x) => !closedBecause(x, now)).map((x) => `${x.id} (${(x.terms.deliver ?? []).map((d) => `${d.unitsRequired - d.unitsFulfilled} ${d.tradeSymbol}`).join(', ') || 'no deliveries'})`);
      throw invalidInput(
        open.length === 0
          ? `The spec delivers to \`contract: auto\`, but no open contract of this agent asks for ${good}${others.length ? `; its open contracts ask for: ${others.join('; ')}` : ' (it has no open contract)'}.`
          : `The spec delivers to \`contract: auto\`, but ${open.length} open contracts ask for ${good}: ${open.map((x) => x.id).join(', ')}.`,
        open.length === 0 ? `Change target.good to what a contract asks for, or negotiate a contract for ${good}. ${LIST_HINT}` : `Name one of them under target.deliver.contract instead of auto, then re-run \`st-goods plan\`.`,
      );
    }
    c = open[0]!;
  } else {
    try {
      c = await client.getContract(idOrAuto);
    } catch (e) {
      if (e instanceof GameError && e.status === 404) throw invalidInput(`The spec delivers to contract ${idOrAuto}, which this agent does not have (it may be another agent's, or from before a server reset).`, LIST_HINT);
      throw e;
    }
    const closed = closedBecause(c, now);
    if (closed) throw invalidInput(`The spec delivers to contract ${c.id}, but ${closed}, so nothing can be delivered to it.`, LIST_HINT);
  }
  const term = c.terms.deliver?.find((d) => d.tradeSymbol === good);
  if (!term) {
    const asks = (c.terms.deliver ?? []).map((d) => d.tradeSymbol).join(', ') || 'nothing';
    throw invalidInput(`Contract ${c.id} does not ask for ${good} (it asks for ${asks}).`, `Check target.good and the contract id. ${LIST_HINT}`);
  }
  const left = term.unitsRequired - term.unitsFulfilled;
  if (quantity > left) {
    throw invalidInput(
      `Contract ${c.id} needs only ${left} more ${good} (${term.unitsFulfilled} of ${term.unitsRequired} delivered), but the spec's target.quantity is ${quantity}; the game refuses units beyond the terms.`,
      `Set target.quantity to ${left} or less, then re-run \`st-goods plan\`.`,
    );
  }
  return {
    contract: c,
    waypoint: term.destinationSymbol,
    plan: {
      id: c.id,
      accepted: c.accepted,
      onAccepted: c.terms.payment.onAccepted,
      onFulfilled: c.terms.payment.onFulfilled,
      deadline: c.terms.deadline,
      unitsRequired: term.unitsRequired,
      unitsFulfilled: term.unitsFulfilled,
      fulfils: quantity >= left,
    },
  };
}
