/** How disuse lowers a memory's rank. */
export interface DecayOptions {
  /** Share of the rank that disuse can take away, 0..1: the factor never falls below 1 − weight. Default 0.25. */
  weight?: number;
  /** Days without use after which the decaying share has halved, for a memory never used. Default 30. */
  halfLifeDays?: number;
  /** Factors are rounded to this step, so small drifts write nothing. Default 0.05. */
  step?: number;
}

const DAY = 86_400_000;

/**
 * The decay factor of a memory: 1 when just written or used, falling towards 1 − weight the
 * longer it goes unused. Each use stretches the half-life (×(1 + ln(1 + uses))), so a memory
 * returned often fades slower. A ranking multiplier only: nothing is ever deleted.
 */
export function decayFactor(m: { createdAt: number; lastAccessedAt: number | null; accessCount: number }, now: number, o: DecayOptions = {}): number {
  const weight = Math.min(1, Math.max(0, o.weight ?? 0.25));
  const step = o.step ?? 0.05;
  const idle = Math.max(0, now - Math.max(m.createdAt, m.lastAccessedAt ?? 0));
  const halfLife = (o.halfLifeDays ?? 30) * DAY * (1 + Math.log1p(Math.max(0, m.accessCount)));
  const raw = 1 - weight + weight * 2 ** (-idle / halfLife);
  return Number(Math.min(1, Math.max(1 - weight, Math.round(raw / step) * step)).toFixed(4));
}
