/**
 * The tunable numbers of extraction, surveys, siphoning and refining (SimConfig.extraction). Each
 * cites its source in ../shared/design/BEYOND.md (b); [H]/[M]/[L] is the confidence given there.
 * Override any subset through `Universe.create({ config: { extraction: { ...DEFAULT_EXTRACTION_CONFIG, ... } } })`.
 */
export type SurveySize = 'SMALL' | 'MODERATE' | 'LARGE';

export interface ExtractionConfig {
  /**
   * Cooldown of an extract, survey or siphon in game seconds: base + perPower · Σ power of the
   * mounts used (b.1, b.2: ESE, live-verified [M]): laser I 70 s, laser II 80 s, surveyor II 90 s.
   */
  cooldownBaseSeconds: number;
  cooldownPerPowerSeconds: number;
  /**
   * Units per call: Σ strength of the mounts used, plus a uniform integer in ±jitter per mount
   * (b.1: FLW uses exactly Σ strength [M]; ESE's ±5 per laser is [L]), at least 1, capped by free cargo.
   */
  yieldJitterPerMount: number;
  /** Units a survey holds before it is exhausted (4224), drawn uniformly (b.2: ESE averages 322 / 761 / 1,688, ranges 48–447 / 110–1,034 / 866–2,431). */
  surveyUnits: Record<SurveySize, [number, number]>;
  /** Chance of each size per survey (not measured publicly; small surveys are the common ones). */
  surveySizeWeights: Record<SurveySize, number>;
  /** Deposits listed per survey (b.2: 3–7, FLW test of observed behaviour [M]). */
  surveyDeposits: [number, number];
  /** Game minutes until a survey expires (4221), drawn uniformly (b.2: not measured; FLW draws 5–60 [L]). */
  surveyExpiryMinutes: [number, number];
  /**
   * Asteroid stability (b.1: "assume about 10 extractions per minute before you risk the asteroid
   * becoming unstable", v2.1 notes). Each extraction adds 1 to the asteroid's strain, which drains
   * at `extractionsPerMinute` per game minute; an extraction that would lift it above
   * `extractionsPerMinute` fails with 4253 and leaves the asteroid UNSTABLE for `unstableMinutes`
   * (MOO avoids such an asteroid for 180 min). From `criticalFraction` of the limit the waypoint
   * shows the CRITICAL_LIMIT modifier.
   */
  stability: { extractionsPerMinute: number; unstableMinutes: number; criticalFraction: number };
  /** Refining (b.4: the spec says "100 basic goods will be converted into 10 processed goods"; 180 s cooldown seen live in 2023, GH#32). */
  refine: { inputUnits: number; outputUnits: number; cooldownSeconds: number };
}

export const DEFAULT_EXTRACTION_CONFIG: ExtractionConfig = {
  cooldownBaseSeconds: 60,
  cooldownPerPowerSeconds: 10,
  yieldJitterPerMount: 1,
  surveyUnits: { SMALL: [200, 447], MODERATE: [490, 1034], LARGE: [945, 2431] },
  surveySizeWeights: { SMALL: 0.5, MODERATE: 0.35, LARGE: 0.15 },
  surveyDeposits: [3, 7],
  surveyExpiryMinutes: [15, 60],
  stability: { extractionsPerMinute: 10, unstableMinutes: 60, criticalFraction: 0.8 },
  refine: { inputUnits: 100, outputUnits: 10, cooldownSeconds: 180 },
};
