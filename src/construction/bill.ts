import type { PlanConstruction } from '../plan/types.js';

/** `FAB_MATS 0/1,600, ADVANCED_CIRCUITRY 0/400`: a bill in one line. */
export function billText(materials: PlanConstruction['materials']): string {
  return materials.map((m) => `${m.good} ${m.fulfilled.toLocaleString('en-US')}/${m.required.toLocaleString('en-US')}`).join(', ');
}
