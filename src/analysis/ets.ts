import { nelderMead } from './optimize.js';

/**
 * Additive-error exponential smoothing in state-space form (Hyndman et al. 2008):
 *   simple       ETS(A,N,N)   ŷ = l;        l' = l + α e
 *   holt         ETS(A,A,N)   ŷ = l + b;    l' = l + b + α e;    b' = b + β e
 *   damped_holt  ETS(A,Ad,N)  ŷ = l + φ b;  l' = l + φ b + α e;  b' = φ b + β e
 * with β = α·β* (so 0 < β < α) and φ ∈ [0.8, 0.98], the bounds used by R's forecast::ets.
 */
export type EtsModelName = 'simple' | 'holt' | 'damped_holt';

/** Smoothing parameters and initial states of one model. */
export interface EtsParameters {
  alpha: number;
  /** Trend smoothing (Hyndman's β = α·β*); 0 for `simple`. */
  beta: number;
  /** Damping; 1 for `holt` and `simple`. */
  phi: number;
  initialLevel: number;
  /** 0 for `simple`. */
  initialTrend: number;
}

/** A fitted model: parameters, final states, SSE and residuals. */
export interface EtsFit {
  model: EtsModelName;
  params: EtsParameters;
  level: number;
  trend: number;
  sse: number;
  /** Estimated smoothing parameters plus initial states (σ² not included). */
  parameterCount: number;
}

/** Number of free parameters (smoothing + initial states) per model. */
export const ETS_PARAMETER_COUNT: Record<EtsModelName, number> = { simple: 2, holt: 4, damped_holt: 5 };

const PHI_MIN = 0.8;
const PHI_RANGE = 0.18;
const EDGE = 1e-4;

const logistic = (u: number): number => 1 / (1 + Math.exp(-u));
const logit = (p: number): number => Math.log(p / (1 - p));
const unit = (u: number): number => EDGE + (1 - 2 * EDGE) * logistic(u);
const unitInverse = (p: number): number => logit((p - EDGE) / (1 - 2 * EDGE));

/** Runs the recursions and returns the SSE of one-step errors and the final states. */
export function runEts(values: readonly number[], p: EtsParameters): { sse: number; level: number; trend: number } {
  let level = p.initialLevel;
  let trend = p.initialTrend;
  let sse = 0;
  for (const y of values) {
    const damped = p.phi * trend;
    const e = y - (level + damped);
    sse += e * e;
    level = level + damped + p.alpha * e;
    trend = damped + p.beta * e;
  }
  return { sse, level, trend };
}

/** OLS line through the first min(10, n) points: a heuristic start for the initial states. */
function initialStates(values: readonly number[]): { level: number; trend: number } {
  const m = Math.min(10, values.length);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < m; i++) {
    mx += i;
    my += values[i] as number;
  }
  mx /= m;
  my /= m;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < m; i++) {
    sxy += (i - mx) * ((values[i] as number) - my);
    sxx += (i - mx) ** 2;
  }
  const trend = sxx > 0 ? sxy / sxx : 0;
  // The state before the first observation: one step back along the line.
  return { level: my - trend * (mx + 1), trend };
}

/**
 * Fits one model by minimising the SSE of one-step-ahead errors (equivalent to maximising the
 * Gaussian likelihood) over smoothing parameters and initial states: the best of a coarse grid and
 * the `seeds` (e.g. a simpler model's fit, so a nesting model never starts worse) is the start, then
 * Nelder–Mead runs twice (the second from the first's optimum) in a transformed space that
 * enforces the bounds.
 */
export function fitEts(values: readonly number[], model: EtsModelName, seeds: readonly EtsParameters[] = []): EtsFit {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const scale = Math.sqrt(ss / n) || Math.abs(mean) || 1;
  const start = initialStates(values);
  const hasTrend = model !== 'simple';
  const startLevel = hasTrend ? start.level : (values[0] as number);
  const startTrend = hasTrend ? start.trend : 0;
  const trendScale = scale / Math.max(1, Math.sqrt(n));

  const decode = (x: number[]): EtsParameters => {
    const alpha = unit(x[0] as number);
    if (!hasTrend) return { alpha, beta: 0, phi: 1, initialLevel: startLevel + scale * (x[1] as number), initialTrend: 0 };
    const beta = alpha * unit(x[1] as number);
    const phi = model === 'damped_holt' ? PHI_MIN + PHI_RANGE * logistic(x[4] as number) : 1;
    return { alpha, beta, phi, initialLevel: startLevel + scale * (x[2] as number), initialTrend: startTrend + trendScale * (x[3] as number) };
  };
  const objective = (x: number[]): number => runEts(values, decode(x)).sse;
  const clampUnit = (p: number): number => Math.min(1 - 2 * EDGE, Math.max(2 * EDGE, p));
  const encode = (p: EtsParameters): number[] => {
    const alpha = unitInverse(clampUnit(p.alpha));
    if (!hasTrend) return [alpha, (p.initialLevel - startLevel) / scale];
    const x = [alpha, unitInverse(clampUnit(p.beta / p.alpha)), (p.initialLevel - startLevel) / scale, (p.initialTrend - startTrend) / trendScale];
    if (model === 'damped_holt') x.push(logit(Math.min(0.999, Math.max(0.001, (p.phi - PHI_MIN) / PHI_RANGE))));
    return x;
  };

  let bestStart: number[] = [];
  let bestSse = Infinity;
  const alphas = [0.1, 0.3, 0.5, 0.7, 0.9];
  const betaStars = hasTrend ? [0.05, 0.2, 0.5] : [0];
  const phis = model === 'damped_holt' ? [0.85, 0.94, 0.98] : [1];
  for (const a of alphas) {
    for (const bs of betaStars) {
      for (const ph of phis) {
        const x = hasTrend ? [unitInverse(a), unitInverse(bs), 0, 0] : [unitInverse(a), 0];
        if (model === 'damped_holt') x.push(logit((ph - PHI_MIN) / PHI_RANGE));
        const sse = objective(x);
        if (sse < bestSse) {
          bestSse = sse;
          bestStart = x;
        }
      }
    }
  }
  for (const seed of seeds) {
    const x = encode(seed);
    const sse = objective(x);
    if (sse < bestSse) {
      bestSse = sse;
      bestStart = x;
    }
  }
  const first = nelderMead(objective, bestStart, { step: 0.5 });
  const second = nelderMead(objective, first.x, { step: 0.25 });
  const params = decode(second.value <= first.value ? second.x : first.x);
  const final = runEts(values, params);
  return { model, params, level: final.level, trend: final.trend, sse: final.sse, parameterCount: ETS_PARAMETER_COUNT[model] };
}

/** Point forecast h steps ahead from the final states. */
export function pointForecast(fit: EtsFit, h: number): number {
  const { phi } = fit.params;
  if (fit.model === 'simple') return fit.level;
  if (fit.model === 'holt') return fit.level + h * fit.trend;
  // φ + φ² + … + φ^h
  const damping = (phi * (1 - phi ** h)) / (1 - phi);
  return fit.level + damping * fit.trend;
}

/**
 * Variance multiplier v_h with Var(e_{n+h}) = σ²·v_h: v_h = 1 + Σ_{j=1}^{h−1} c_j², where
 * c_j = α (simple), α + jβ (Holt), α + β(φ + … + φ^j) (damped). This is the sum behind the
 * closed forms of Hyndman et al. (2008, Table 6.1) for ETS(A,N,N), (A,A,N), (A,Ad,N).
 */
export function forecastVarianceMultiplier(fit: EtsFit, h: number): number {
  const { alpha, beta, phi } = fit.params;
  let v = 1;
  let dampSum = 0;
  for (let j = 1; j < h; j++) {
    dampSum += phi ** j;
    const c = fit.model === 'simple' ? alpha : fit.model === 'holt' ? alpha + j * beta : alpha + beta * dampSum;
    v += c * c;
  }
  return v;
}
