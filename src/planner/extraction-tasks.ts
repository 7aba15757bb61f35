/**
 * The tasks of an EXTRACT or SIPHON node (issue 14): per crew (site), a haul task that collects the
 * good from the crew by transfer and delivers it (the node's final task), and a mine or survey task
 * for every other ship of the crew, which works at the site until the haul task ends. All are
 * pinned to their ship; a ship's crew tasks run one after the other (each depends on the last).
 */
import type { DecisionNode, TaskDestination, TaskSource } from '../plan/types.js';
import type { Decided } from './decide.js';
import type { ExtractChoice } from './extraction.js';
import type { DraftTask } from './schedule.js';

export function extractionDrafts(
  d: Decided,
  x: ExtractChoice,
  destination: TaskDestination,
  suffix: string,
  uniqueId: (base: string) => string,
  crewOrder: Map<string, string>,
  /** The sale floor and tradeVolume at a feed or sell destination. */
  sale: { minSellPrice: number; destTradeVolume?: number },
): { drafts: DraftTask[]; haulIds: string[]; summary: NonNullable<DecisionNode['extraction']> } {
  const drafts: DraftTask[] = [];
  const haulIds: string[] = [];
  const verb = x.method === 'EXTRACT' ? 'mine' : 'siphon';
  for (const crew of x.crews) {
    const haulId = uniqueId(`${verb}-${d.good}@${crew.site}>${suffix}`);
    haulIds.push(haulId);
    const miners = crew.miners.map((m) => m.ship);
    const surveyor = crew.surveyed ? x.surveyor : undefined;
    const source = (role: 'haul' | 'mine' | 'survey'): TaskSource => ({
      kind: 'extract',
      method: x.method,
      role,
      waypoint: crew.site,
      alternates: x.alternates,
      crew: haulId,
      miners,
      ...(surveyor ? { surveyor } : {}),
      unwanted: x.unwanted,
      rate: { unitsPerHour: crew.unitsPerHour, share: Math.round(crew.share * 1000) / 1000, cooldownSeconds: Math.max(...crew.miners.map((m) => m.cooldownSeconds)), surveyed: crew.surveyed },
    });
    const after = (ship: string): string[] => {
      const prev = crewOrder.get(ship);
      return prev ? [prev] : [];
    };
    const calls = crew.calls;
    const haulWait = crew.selfHaul ? crew.extractingSeconds : Math.max(0, crew.extractingSeconds - (crew.trips - 1) * crew.roundTripSeconds);
    const minerRate = (ship: string): number => crew.miners.find((m) => m.ship === ship)!.unitsPerHour / crew.unitsPerHour;
    const haulMines = miners.includes(x.hauler);
    drafts.push({
      id: haulId,
      good: d.good,
      quantity: crew.quantity,
      source: source('haul'),
      destination,
      dependsOn: after(x.hauler),
      tradeVolume: crew.quantity,
      guards: { maxUnitPrice: 0, minSellPrice: sale.minSellPrice },
      purchaseCredits: 0,
      pinnedShip: x.hauler,
      ...(sale.destTradeVolume !== undefined ? { destTradeVolume: sale.destTradeVolume } : {}),
      extraction: {
        seconds: haulWait,
        requests: calls.transfers + calls.surveys * Number(surveyor === x.hauler) + (haulMines ? Math.round((calls.extractions + calls.jettisons) * minerRate(x.hauler)) : 0),
      },
    });
    crewOrder.set(x.hauler, haulId);
    const others = [...new Set([...miners, ...(surveyor ? [surveyor] : [])])].filter((s) => s !== x.hauler).sort();
    for (const ship of others) {
      const mines = miners.includes(ship);
      const id = uniqueId(`${mines ? verb : 'survey'}-${d.good}@${crew.site}~${ship}>${suffix}`);
      drafts.push({
        id,
        good: d.good,
        quantity: mines ? Math.max(1, Math.round(crew.quantity * minerRate(ship))) : crew.quantity,
        source: source(mines ? 'mine' : 'survey'),
        destination,
        dependsOn: after(ship),
        tradeVolume: crew.quantity,
        guards: { maxUnitPrice: 0, minSellPrice: 0 },
        purchaseCredits: 0,
        pinnedShip: ship,
        extraction: {
          seconds: crew.extractingSeconds,
          requests: (mines ? Math.round((calls.extractions + calls.jettisons) * minerRate(ship)) : 0) + (surveyor === ship ? calls.surveys : 0),
        },
      });
      crewOrder.set(ship, id);
    }
  }
  const summary: NonNullable<DecisionNode['extraction']> = {
    crews: x.crews.map((c) => ({
      site: c.site,
      miners: c.miners.map((m) => m.ship),
      share: Math.round(c.share * 1000) / 1000,
      surveyed: c.surveyed,
      unitsPerHour: c.unitsPerHour,
      quantity: c.quantity,
      cooldownSeconds: Math.max(...c.miners.map((m) => m.cooldownSeconds)),
    })),
    hauler: x.hauler,
    ...(x.surveyor && x.crews.some((c) => c.surveyed) ? { surveyor: x.surveyor } : {}),
    unitsPerHour: x.unitsPerHour,
    seconds: x.seconds,
    shipHours: x.shipHours,
    unwanted: x.unwanted,
    cost: x.cost,
  };
  return { drafts, haulIds, summary };
}
