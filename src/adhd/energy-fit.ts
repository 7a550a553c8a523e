import type { AttentionState, EnergyDemand } from './types.js';

const RANK: Record<EnergyDemand, number> = { low: 0, medium: 1, high: 2 };

/** Energy level 1–10 → band: 1–3 low, 4–6 medium, 7–10 high. */
export function energyBand(level: number): EnergyDemand {
  if (level <= 3) return 'low';
  if (level <= 6) return 'medium';
  return 'high';
}

/**
 * Whether a step fits the current state: its energy demand (unknown counts as medium) is at most
 * the current band, and a step needing focus is not offered while scattered or depleted.
 */
export function fitsEnergy(step: { energy: EnergyDemand | null; needsFocus: boolean }, level: number, attention?: AttentionState | null): boolean {
  if (step.needsFocus && (attention === 'scattered' || attention === 'depleted')) return false;
  return RANK[step.energy ?? 'medium'] <= RANK[energyBand(level)];
}

/**
 * Orders steps for the current energy: steps that fit come first, hardest first (use the energy
 * while it lasts); steps that do not fit follow, easiest first. Ties keep the given order, so
 * sequential steps stay in sequence when nothing argues otherwise. Without a level the order is
 * kept.
 */
export function orderForEnergy<T extends { energy: EnergyDemand | null; needsFocus: boolean }>(
  steps: readonly T[],
  level: number | undefined,
): { order: T[]; why: string } {
  if (level === undefined) return { order: [...steps], why: 'no current energy given: kept your order' };
  const band = energyBand(level);
  const keyed = steps.map((s, i) => {
    const rank = RANK[s.energy ?? 'medium'];
    const fits = fitsEnergy(s, level);
    return { s, i, group: fits ? 0 : 1, rank: fits ? -rank : rank };
  });
  keyed.sort((a, b) => a.group - b.group || a.rank - b.rank || a.i - b.i);
  const later = keyed.filter((k) => k.group === 1).length;
  const why =
    `energy ${level}/10 (${band}): steps that fit now first, most demanding first while the energy lasts` +
    (later ? `; ${later} step${later === 1 ? '' : 's'} needing more energy moved to the end` : '');
  return { order: keyed.map((k) => k.s), why };
}
