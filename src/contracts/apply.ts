import type { Contract } from '../api/types.js';
import { gameErrorCode as gameCode, isOutcomeUnknown } from '../executor/ports.js';
import type { StepRecord } from '../state/journal.js';

/** A payment the game made for a contract during a run (from the journal's steps). */
export interface ContractPayment {
  contractId: string;
  /** onAccepted (paid when apply accepted it) or onFulfilled (paid when apply fulfilled it). */
  kind: 'accepted' | 'fulfilled';
  credits: number;
  at: string;
}

/** What apply needs of the client for contracts (SpaceTradersClient satisfies it). */
export interface ContractClient {
  getContract(id: string): Promise<Contract>;
  acceptContract(id: string): Promise<{ contract: Contract; agent: { credits: number } }>;
  fulfillContract(id: string): Promise<{ contract: Contract; agent: { credits: number } }>;
}

/** How a run journals a contract step (RunContext.step, bound to the run). */
export type JournalStep = (kind: string, extra: Partial<Pick<StepRecord, 'result' | 'error'>> & { contractId: string }) => Promise<void>;

/** True when every delivery of the contract has its units. */
export function termsMet(c: Contract): boolean {
  return (c.terms.deliver ?? []).every((d) => d.unitsFulfilled >= d.unitsRequired);
}

/**
 * Accepts a contract apply is about to deliver to, when it is not accepted yet: journaled as an
 * intent before the call and the payment after it. An unknown outcome is decided by reading the
 * contract back (accepted now: it was this call, since the plan saw it unaccepted); "already
 * accepted" (4501) is not an error. Returns the payment, 0 when nothing was paid.
 */
export async function acceptIfNeeded(client: ContractClient, id: string, journal: JournalStep): Promise<{ paid: number; credits?: number }> {
  const before = await client.getContract(id);
  if (before.accepted) return { paid: 0 };
  await journal('contract.accept.intent', { contractId: id });
  try {
    const res = await client.acceptContract(id);
    const paid = res.contract.terms.payment.onAccepted;
    await journal('contract.accepted', { contractId: id, result: { units: 0, totalPrice: paid, pricePerUnit: 0, happened: true } });
    return { paid, credits: res.agent.credits };
  } catch (e) {
    if (gameCode(e) === 4501) return { paid: 0 };
    if (!isOutcomeUnknown(e)) {
      await journal('contract.accept.error', { contractId: id, error: (e as Error).message });
      throw e;
    }
    const after = await client.getContract(id);
    const paid = after.accepted ? after.terms.payment.onAccepted : 0;
    await journal(after.accepted ? 'contract.accepted' : 'contract.accept.error', {
      contractId: id,
      ...(after.accepted ? { result: { units: 0, totalPrice: paid, pricePerUnit: 0, happened: true, reconciled: true } } : { error: 'the accept call was lost; not accepted' }),
    });
    if (!after.accepted) throw e;
    return { paid };
  }
}

/**
 * Fulfils a contract whose terms are met (and that is accepted and not fulfilled yet): the
 * onFulfilled payment is journaled. Returns the payment, 0 when there was nothing to do.
 */
export async function fulfillIfMet(client: ContractClient, id: string, journal: JournalStep): Promise<{ paid: number; credits?: number; contract: Contract }> {
  const c = await client.getContract(id);
  if (!c.accepted || c.fulfilled || !termsMet(c)) return { paid: 0, contract: c };
  await journal('contract.fulfill.intent', { contractId: id });
  try {
    const res = await client.fulfillContract(id);
    const paid = res.contract.terms.payment.onFulfilled;
    await journal('contract.fulfilled', { contractId: id, result: { units: 0, totalPrice: paid, pricePerUnit: 0, happened: true } });
    return { paid, credits: res.agent.credits, contract: res.contract };
  } catch (e) {
    if (gameCode(e) === 4504) return { paid: 0, contract: c };
    if (!isOutcomeUnknown(e)) {
      await journal('contract.fulfill.error', { contractId: id, error: (e as Error).message });
      throw e;
    }
    const after = await client.getContract(id);
    if (after.fulfilled) {
      await journal('contract.fulfilled', { contractId: id, result: { units: 0, totalPrice: after.terms.payment.onFulfilled, pricePerUnit: 0, happened: true, reconciled: true } });
      return { paid: after.terms.payment.onFulfilled, contract: after };
    }
    throw e;
  }
}

/** The contract payments a run's journal records, in order. */
export function paymentsOf(steps: readonly StepRecord[]): ContractPayment[] {
  return steps
    .filter((s) => (s.kind === 'contract.accepted' || s.kind === 'contract.fulfilled') && s.result?.happened)
    .map((s) => ({
      contractId: s.contractId ?? '',
      kind: s.kind === 'contract.accepted' ? ('accepted' as const) : ('fulfilled' as const),
      credits: s.result!.totalPrice,
      at: s.at,
    }));
}
