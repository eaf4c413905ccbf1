import { createRng, ErrorCode, NashubError } from '../../core';
import { assignFolds } from './assign-folds';
import { crossValidateRidge } from './cross-validate-ridge';
import { curveFeatures } from './curve-features';
import type { CurveForecast } from './curve-forecast';
import { scaleMaximum, type CurveScaleValue } from './curve-scale';
import { ExtrapolationMethod } from './extrapolation-method';
import type { Extrapolator } from './extrapolator';
import { empiricalQuantile } from './math/empirical-quantile';
import { logit, sigmoid } from './math/logit';
import { fitRidgeModel, type KernelSettings, type RidgeModel } from './ridge-model';
import { scaleForecast } from './scale-forecast';
import { validateCurve } from './validate-curve';
import { wideForecast } from './wide-forecast';

/** Options of {@link trainLearnedExtrapolator}. */
export interface LearnedExtrapolatorOptions {
  /** Complete training curves of one protocol; each one's last value is its final value. At least 10. */
  curves: readonly (readonly number[])[];
  /** Scale of the training curves' values. */
  scale: CurveScaleValue;
  /** Observed parts of the schedule (n / target epoch) to fit one model each for (default 0.05, 0.10, ..., 0.95). */
  fractions?: readonly number[];
  /** Fit the RBF-kernel correction (KERNEL_RIDGE) or only the linear ridge (RIDGE); default true. */
  kernel?: boolean;
  /** Window means of the partial curve used as features (default 4). */
  points?: number;
  /** Linear ridge penalties tried by the inner cross-validation (default 0.1, 0.3, 1, 3, 10). */
  penalties?: readonly number[];
  /** Kernel settings tried by the inner cross-validation, after the linear penalty is chosen. */
  kernels?: readonly KernelSettings[];
  /** Folds of the inner cross-validation that picks the settings and yields the held-out residuals (default 5). */
  folds?: number;
  /** Seed of the inner fold assignment (default 0). */
  seed?: number;
}

/** The model for one observed fraction, with its held-out residuals on the logit scale, sorted. */
interface FractionModel {
  fraction: number;
  model: RidgeModel;
  residuals: number[];
}

const DEFAULT_FRACTIONS = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
const DEFAULT_KERNELS: KernelSettings[] = [0.3, 1, 3].flatMap((width) => [0.1, 0.3, 1].map((penalty) => ({ width, penalty })));
const MIN_TRAINING_CURVES = 10;

function trainingFractions(curves: readonly (readonly number[])[], scale: CurveScaleValue): number[][] {
  const maximum = scaleMaximum(scale);
  return curves.map((curve, index) => {
    if (curve.length < 2) throw new NashubError(ErrorCode.INVALID_CURVE, `training curve ${index} has fewer than 2 epochs`, { details: { reason: 'too-short', curve: index } });
    return curve.map((v, i) => {
      if (!Number.isFinite(v) || v < 0 || v > maximum) {
        throw new NashubError(ErrorCode.INVALID_CURVE, `training curve ${index} has a bad value at ${i}`, { details: { reason: 'out-of-scale', curve: index, index: i } });
      }
      return v / maximum;
    });
  });
}

function oofMae(rows: readonly Float64Array[], finals: readonly number[], predictions: readonly number[]): number {
  let sum = 0;
  rows.forEach((row, i) => {
    sum += Math.abs(sigmoid(row[row.length - 1]! + predictions[i]!) - finals[i]!);
  });
  return sum / rows.length;
}

function fitFraction(curves: readonly number[][], fraction: number, fold: readonly number[], settings: Required<Omit<LearnedExtrapolatorOptions, 'curves' | 'scale' | 'fractions' | 'seed' | 'folds'>>): FractionModel {
  const rows = curves.map((c) => curveFeatures(c.slice(0, Math.min(c.length - 1, Math.max(1, Math.round(fraction * c.length)))), settings.points));
  const finals = curves.map((c) => c[c.length - 1]!);
  // Targets are offsets from the base feature (the last one), so the penalty shrinks towards "ends where it is".
  const targets = rows.map((row, i) => logit(finals[i]!) - row[row.length - 1]!);
  let best = { penalty: settings.penalties[0]!, kernel: null as KernelSettings | null, mae: Infinity, predictions: [] as number[] };
  for (const penalty of settings.penalties) {
    const predictions = crossValidateRidge({ rows, targets, fold, penalty, kernel: null });
    const mae = oofMae(rows, finals, predictions);
    if (mae < best.mae) best = { penalty, kernel: null, mae, predictions };
  }
  if (settings.kernel) {
    for (const kernel of settings.kernels) {
      const predictions = crossValidateRidge({ rows, targets, fold, penalty: best.penalty, kernel });
      const mae = oofMae(rows, finals, predictions);
      if (mae < best.mae) best = { penalty: best.penalty, kernel, mae, predictions };
    }
  }
  const residuals = targets.map((t, i) => t - best.predictions[i]!).sort((a, b) => a - b);
  return { fraction, model: fitRidgeModel({ rows, targets, penalty: best.penalty, kernel: best.kernel }), residuals };
}

/** Forecast (in fractions) of one fraction model: the prediction plus each held-out residual, mapped back from logits. */
function modelForecast(model: FractionModel, row: Float64Array): { mean: number; q05: number; q50: number; q95: number } {
  const z = row[row.length - 1]! + model.model.predict(row);
  const at = (p: number): number => sigmoid(z + empiricalQuantile(model.residuals, p));
  const mean = model.residuals.reduce((a, r) => a + sigmoid(z + r), 0) / model.residuals.length;
  return { mean, q05: at(0.05), q50: at(0.5), q95: at(0.95) };
}

/**
 * Trains the learned extrapolator on complete curves of one protocol: per observed fraction of the schedule, a ridge
 * (optionally + RBF kernel) regression from the partial curve's features to the logit of its final value, with the
 * settings picked by inner cross-validation and the 5/50/95% quantiles taken from the held-out residuals
 * (split-conformal style). A forecast between two trained fractions averages their quantiles; the target epoch is
 * read as the end of the training curves' schedule, since only the fraction n / targetEpoch enters.
 */
export function trainLearnedExtrapolator(options: LearnedExtrapolatorOptions): Extrapolator {
  if (options.curves.length < MIN_TRAINING_CURVES) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `the learned extrapolator needs at least ${MIN_TRAINING_CURVES} training curves, got ${options.curves.length}`, {
      details: { argument: 'curves', min: MIN_TRAINING_CURVES, actual: options.curves.length },
    });
  }
  const curves = trainingFractions(options.curves, options.scale);
  const kernel = options.kernel ?? true;
  const settings = { kernel, points: options.points ?? 4, penalties: options.penalties ?? [0.1, 0.3, 1, 3, 10], kernels: options.kernels ?? DEFAULT_KERNELS };
  const fold = assignFolds(curves.length, Math.min(options.folds ?? 5, Math.floor(curves.length / 2)), createRng(options.seed ?? 0));
  const fractions = [...(options.fractions ?? DEFAULT_FRACTIONS)].sort((a, b) => a - b);
  const models = fractions.map((fraction) => fitFraction(curves, fraction, fold, settings));
  const method = kernel ? ExtrapolationMethod.KERNEL_RIDGE : ExtrapolationMethod.RIDGE;
  return {
    method,
    forecast(curve, forecastOptions): CurveForecast {
      const ys = validateCurve(curve, forecastOptions);
      const fraction = ys.length / forecastOptions.targetEpoch;
      // Far below the first trained fraction the model would extrapolate its own inputs: say "don't know" instead.
      if (fraction < models[0]!.fraction / 2) return scaleForecast(wideForecast(ys, method), forecastOptions.scale);
      const row = curveFeatures(ys, settings.points);
      const upper = models.findIndex((m) => m.fraction >= fraction);
      const hi = upper === -1 ? models.length - 1 : upper;
      const lo = upper <= 0 ? hi : upper - 1;
      const a = modelForecast(models[lo]!, row);
      const b = lo === hi ? a : modelForecast(models[hi]!, row);
      const t = lo === hi ? 0 : (fraction - models[lo]!.fraction) / (models[hi]!.fraction - models[lo]!.fraction);
      const mix = (x: number, y: number): number => x * (1 - t) + y * t;
      return scaleForecast({ mean: mix(a.mean, b.mean), q05: mix(a.q05, b.q05), q50: mix(a.q50, b.q50), q95: mix(a.q95, b.q95), method }, forecastOptions.scale);
    },
  };
}
