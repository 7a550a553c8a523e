/** Options for {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Initial simplex step per coordinate (default 0.5 for every coordinate). */
  step?: number | readonly number[];
  /** Stop after this many function evaluations (default 200 × dimension). */
  maxEvaluations?: number;
  /** Stop when the spread of simplex values is below this, relative to their size (default 1e-10). */
  tolerance?: number;
}

/** Result of a minimisation. */
export interface MinimumResult {
  x: number[];
  value: number;
  evaluations: number;
}

/**
 * Minimises `f` from `start` by the Nelder–Mead simplex method (reflection 1, expansion 2,
 * contraction ½, shrink ½). Derivative-free; suited to the few smooth, bounded-by-transform
 * parameters of exponential smoothing. Non-finite values of `f` are treated as +Infinity.
 */
export function nelderMead(f: (x: number[]) => number, start: readonly number[], options: NelderMeadOptions = {}): MinimumResult {
  const dim = start.length;
  const maxEvaluations = options.maxEvaluations ?? 200 * dim;
  const tolerance = options.tolerance ?? 1e-10;
  let evaluations = 0;
  const evaluate = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const simplex: number[][] = [start.slice()];
  for (let i = 0; i < dim; i++) {
    const p = start.slice();
    const step = typeof options.step === 'number' ? options.step : (options.step?.[i] ?? 0.5);
    p[i] = (p[i] as number) + step;
    simplex.push(p);
  }
  let values = simplex.map(evaluate);
  const combine = (a: number[], b: number[], t: number): number[] => a.map((ai, i) => ai + t * ((b[i] as number) - ai));
  while (evaluations < maxEvaluations) {
    const order = values.map((_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
    const sorted = order.map((i) => simplex[i] as number[]);
    values = order.map((i) => values[i] as number);
    simplex.splice(0, simplex.length, ...sorted);
    const bestValue = values[0] as number;
    const worstValue = values[dim] as number;
    if (Math.abs(worstValue - bestValue) <= tolerance * (Math.abs(bestValue) + tolerance)) break;
    const centroid = new Array<number>(dim).fill(0);
    for (let k = 0; k < dim; k++) for (let i = 0; i < dim; i++) centroid[i] = (centroid[i] as number) + ((simplex[k] as number[])[i] as number) / dim;
    const worst = simplex[dim] as number[];
    const reflected = combine(centroid, worst, -1);
    const fr = evaluate(reflected);
    if (fr < bestValue) {
      const expanded = combine(centroid, worst, -2);
      const fe = evaluate(expanded);
      if (fe < fr) {
        simplex[dim] = expanded;
        values[dim] = fe;
      } else {
        simplex[dim] = reflected;
        values[dim] = fr;
      }
      continue;
    }
    if (fr < (values[dim - 1] as number)) {
      simplex[dim] = reflected;
      values[dim] = fr;
      continue;
    }
    const outside = fr < worstValue;
    const contracted = outside ? combine(centroid, reflected, 0.5) : combine(centroid, worst, 0.5);
    const fc = evaluate(contracted);
    if (fc < (outside ? fr : worstValue)) {
      simplex[dim] = contracted;
      values[dim] = fc;
      continue;
    }
    const best = simplex[0] as number[];
    for (let k = 1; k <= dim; k++) {
      simplex[k] = combine(best, simplex[k] as number[], 0.5);
      values[k] = evaluate(simplex[k] as number[]);
    }
  }
  let bestIndex = 0;
  for (let k = 1; k <= dim; k++) if ((values[k] as number) < (values[bestIndex] as number)) bestIndex = k;
  return { x: simplex[bestIndex] as number[], value: values[bestIndex] as number, evaluations };
}
