import { normalQuantile } from './distributions.js';
import { type EtsFit, type EtsModelName, fitEts, forecastVarianceMultiplier, pointForecast } from './ets.js';
import { finiteOrNull, insufficient } from './result.js';
import type { EtsModelFit, Forecast, Success } from './types.js';

const METHOD = 'exponential smoothing (ETS) forecast';
const ETS_NAMES: Record<EtsModelName, string> = { simple: 'ETS(A,N,N)', holt: 'ETS(A,A,N)', damped_holt: 'ETS(A,Ad,N)' };
const MODELS: EtsModelName[] = ['simple', 'holt', 'damped_holt'];
const EDGE_BETA = 1e-3;
/** Prediction interval level (fixed, independent of the significance level). */
export const FORECAST_LEVEL = 0.95;

/** Points each model needs: its parameters, σ², and at least one more so AICc is defined. */
export const ETS_MIN_POINTS: Record<EtsModelName, number> = { simple: 4, holt: 7, damped_holt: 8 };

function describeFit(fit: EtsFit, n: number): Success<EtsModelFit> {
  // k counts smoothing parameters, initial states and σ² (as R's forecast::ets does).
  const k = fit.parameterCount + 1;
  const notes: string[] = [];
  let sigma2ml = fit.sse / n;
  if (!(sigma2ml > 0)) {
    notes.push('The model fits the data exactly; the likelihood is capped at a residual variance of 1e-300.');
    sigma2ml = 1e-300;
  }
  const logLik = -0.5 * n * (Math.log(2 * Math.PI * sigma2ml) + 1);
  const aic = -2 * logLik + 2 * k;
  const trend = fit.model !== 'simple';
  return {
    insufficient_data: false,
    method: `${ETS_NAMES[fit.model]} fitted by least squares`,
    n,
    assumptions: ['Additive, independent, normally distributed errors with constant variance.'],
    ...(notes.length > 0 ? { notes } : {}),
    model: fit.model,
    ets: ETS_NAMES[fit.model],
    parameters: {
      alpha: fit.params.alpha,
      beta: trend ? fit.params.beta : null,
      phi: fit.model === 'damped_holt' ? fit.params.phi : null,
      initial_level: fit.params.initialLevel,
      initial_trend: trend ? fit.params.initialTrend : null,
    },
    final_level: fit.level,
    final_trend: trend ? fit.trend : null,
    sse: fit.sse,
    sigma: Math.sqrt(fit.sse / (n - fit.parameterCount)),
    k,
    log_likelihood: finiteOrNull(logLik),
    aic: finiteOrNull(aic),
    aicc: finiteOrNull(aic + (2 * k * (k + 1)) / (n - k - 1)),
    bic: finiteOrNull(-2 * logLik + k * Math.log(n)),
  };
}

/**
 * Fits simple, Holt and damped-Holt exponential smoothing (those with enough points), picks the
 * lowest AIC, and forecasts `horizon` steps with 95% prediction intervals
 * ŷ_{n+h} ± z_{0.975}·σ·√v_h (σ² = SSE / (n − parameters); v_h from {@link forecastVarianceMultiplier}).
 * Needs n ≥ 4 (simple only); Holt needs 7 and damped 8.
 */
export function forecastSeries(values: readonly number[], horizon: number): Forecast {
  const n = values.length;
  if (n < ETS_MIN_POINTS.simple) return insufficient(METHOD, n, ETS_MIN_POINTS.simple);
  const models: EtsModelFit[] = [];
  const fitted: Array<{ fit: EtsFit; summary: Success<EtsModelFit> }> = [];
  for (const model of MODELS) {
    const name = `${ETS_NAMES[model]} fitted by least squares`;
    if (n < ETS_MIN_POINTS[model]) {
      models.push({ ...insufficient(name, n, ETS_MIN_POINTS[model]) });
      continue;
    }
    // Holt nests simple smoothing (β → 0, b₀ = 0), and damped nests both up to φ ≤ 0.98: seeding
    // with the simpler fits keeps the optimiser from ending worse than a model it contains.
    const fit = fitEts(
      values,
      model,
      fitted.map((f) => ({ ...f.fit.params, beta: f.fit.params.beta || EDGE_BETA * f.fit.params.alpha, phi: 0.98 })),
    );
    const summary = describeFit(fit, n);
    models.push(summary);
    fitted.push({ fit, summary });
  }
  let chosen = fitted[0] as (typeof fitted)[number];
  for (const candidate of fitted) if ((candidate.summary.aic ?? Infinity) < (chosen.summary.aic ?? Infinity)) chosen = candidate;
  const sigma = chosen.summary.sigma;
  const z = normalQuantile(0.5 + FORECAST_LEVEL / 2);
  const points = [];
  for (let h = 1; h <= horizon; h++) {
    const f = pointForecast(chosen.fit, h);
    const half = z * sigma * Math.sqrt(forecastVarianceMultiplier(chosen.fit, h));
    points.push({ step: h, forecast: f, lower: f - half, upper: f + half });
  }
  return {
    insufficient_data: false,
    method: METHOD,
    n,
    assumptions: [
      'Additive errors, independent and normal with constant variance; no seasonality is modelled.',
      `Parameters minimise the one-step SSE (Nelder–Mead from a grid start) with 0 < α < 1, 0 < β < α, 0.8 ≤ φ ≤ 0.98; initial states are estimated too; k (parameters + initial states + σ²) enters AIC.`,
      `Model chosen by the lowest AIC among ${fitted.map((f) => f.summary.ets).join(', ')}.`,
      `${Math.round(FORECAST_LEVEL * 100)}% prediction intervals from the analytical h-step variance of the chosen model (Hyndman et al. 2008, Table 6.1); parameter uncertainty is not included, so they are somewhat narrow.`,
    ],
    selected_model: chosen.fit.model,
    selection: 'AIC',
    horizon,
    level: FORECAST_LEVEL,
    points,
    models,
  };
}
