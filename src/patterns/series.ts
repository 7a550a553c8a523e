import type { LoadSeries } from '../analysis/types.js';
import type { SeriesRepo } from '../storage/series-repo.js';

/**
 * `loadSeries` for the analysis service: one series named `<metric>_per_<bucket>` (e.g.
 * `success_rate_per_day`) of per-bucket means over completed episodes in UTC days or ISO weeks,
 * oldest first. Buckets without completed episodes are left out rather than invented, so the
 * points are equally spaced only when every bucket had work. No episode → no series.
 */
export function createLoadSeries(repo: SeriesRepo): LoadSeries {
  return async (ns, source) => {
    const points = await repo.episodeSeries(ns, source);
    if (points.length === 0) return {};
    return { [`${source.metric}_per_${source.bucket}`]: points.map((p) => p.value) };
  };
}
