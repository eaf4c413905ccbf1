import { createRng, ErrorCode, NashubError } from '../../core';
import { assignFolds } from './assign-folds';
import { crossValidateRidge } from './cross-validate-ridge';
import { curveFeatures } from './curve-features';
import type { CurveForecast } from './curve-forecast';
import { scaleMaximum, type CurveScaleValue } from './curve-scale';
import { ExtrapolationMethod } from './extrapolation-method';
import type { Extrapolator, ForecastOptions } from './extrapolator';
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
  /** Architecture encoding of each training curve (KERNEL_RIDGE_ARCH); forecasts then need `encoding` too. Needs `kernel`. */
  encodings?: readonly (readonly number[])[];
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

/** What the per-fraction fits share. */
interface FitSettings {
  points: number;
  penalties: readonly number[];
  kernels: readonly KernelSettings[];
  fold: readonly number[];
  encodings: readonly (readonly number[])[] | null;
}

const DEFAULT_FRACTIONS = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
const MIN_TRAINING_CURVES = 10;

function defaultKernels(withEncodings: boolean): KernelSettings[] {
  const extraWeights = withEncodings ? [0.3, 0.6, 1] : [0];
  return extraWeights.flatMap((extraWeight) => [0.3, 1, 3].flatMap((width) => [0.1, 0.3, 1].map((penalty) => ({ width, penalty, extraWeight }))));
}

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

function featureRow(fractions: readonly number[], points: number, encoding: readonly number[] | null): Float64Array {
  const features = curveFeatures(fractions, points);
  if (encoding === null) return features;
  const row = new Float64Array(features.length + encoding.length);
  row.set(features);
  row.set(encoding, features.length);
  return row;
}

function oofMae(bases: readonly number[], finals: readonly number[], predictions: readonly number[]): number {
  return bases.reduce((sum, base, i) => sum + Math.abs(sigmoid(base + predictions[i]!) - finals[i]!), 0) / bases.length;
}

function fitFraction(curves: readonly number[][], fraction: number, settings: FitSettings, kernel: boolean): FractionModel {
  const linearColumns = settings.points + 2;
  const rows = curves.map((c, i) => featureRow(c.slice(0, Math.min(c.length - 1, Math.max(1, Math.round(fraction * c.length)))), settings.points, settings.encodings?.[i] ?? null));
  const finals = curves.map((c) => c[c.length - 1]!);
  // The last curve feature is the base; targets are offsets from it, so the penalty shrinks towards "ends where it is".
  const bases = rows.map((row) => row[linearColumns - 1]!);
  const targets = finals.map((final, i) => logit(final) - bases[i]!);
  const { fold } = settings;
  let best = { penalty: settings.penalties[0]!, kernel: null as KernelSettings | null, mae: Infinity, predictions: [] as number[] };
  for (const penalty of settings.penalties) {
    const predictions = crossValidateRidge({ rows, linearColumns, targets, fold, penalty, kernel: null });
    const mae = oofMae(bases, finals, predictions);
    if (mae < best.mae) best = { penalty, kernel: null, mae, predictions };
  }
  if (kernel) {
    for (const candidate of settings.kernels) {
      const predictions = crossValidateRidge({ rows, linearColumns, targets, fold, penalty: best.penalty, kernel: candidate });
      const mae = oofMae(bases, finals, predictions);
      if (mae < best.mae) best = { penalty: best.penalty, kernel: candidate, mae, predictions };
    }
  }
  const residuals = targets.map((t, i) => t - best.predictions[i]!).sort((a, b) => a - b);
  return { fraction, model: fitRidgeModel({ rows, linearColumns, targets, penalty: best.penalty, kernel: best.kernel }), residuals };
}

/** Forecast (in fractions) of one fraction model: the prediction plus each held-out residual, mapped back from logits. */
function modelForecast(model: FractionModel, row: Float64Array, base: number): { mean: number; q05: number; q50: number; q95: number } {
  const z = base + model.model.predict(row);
  const at = (p: number): number => sigmoid(z + empiricalQuantile(model.residuals, p));
  const mean = model.residuals.reduce((a, r) => a + sigmoid(z + r), 0) / model.residuals.length;
  return { mean, q05: at(0.05), q50: at(0.5), q95: at(0.95) };
}

function checkEncodings(options: LearnedExtrapolatorOptions, kernel: boolean): readonly (readonly number[])[] | null {
  const { encodings } = options;
  if (encodings === undefined) return null;
  const length = encodings[0]?.length ?? 0;
  if (!kernel || encodings.length !== options.curves.length || length === 0 || encodings.some((e) => e.length !== length || !e.every(Number.isFinite))) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'encodings need the kernel and one finite vector of one length per training curve', { details: { argument: 'encodings' } });
  }
  return encodings;
}

function forecastEncoding(options: ForecastOptions, expected: number): readonly number[] | null {
  if (expected === 0) return null;
  const { encoding } = options;
  if (!encoding || encoding.length !== expected || !encoding.every(Number.isFinite)) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `this extrapolator was trained with architecture encodings: pass an encoding of length ${expected}`, {
      details: { argument: 'encoding', length: expected },
    });
  }
  return encoding;
}

/**
 * Trains the learned extrapolator on complete curves of one protocol: per observed fraction of the schedule, a ridge
 * (optionally + RBF kernel, optionally also over architecture encodings) regression from the partial curve's
 * features to the logit of its final value, with the settings picked by inner cross-validation and the 5/50/95%
 * quantiles taken from the held-out residuals (split-conformal style). A forecast between two trained fractions
 * averages their quantiles; the target epoch is read as the end of the training curves' schedule, since only the
 * fraction n / targetEpoch enters.
 */
export function trainLearnedExtrapolator(options: LearnedExtrapolatorOptions): Extrapolator {
  if (options.curves.length < MIN_TRAINING_CURVES) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `the learned extrapolator needs at least ${MIN_TRAINING_CURVES} training curves, got ${options.curves.length}`, {
      details: { argument: 'curves', min: MIN_TRAINING_CURVES, actual: options.curves.length },
    });
  }
  const curves = trainingFractions(options.curves, options.scale);
  const kernel = options.kernel ?? true;
  const encodings = checkEncodings(options, kernel);
  const settings: FitSettings = {
    points: options.points ?? 4,
    penalties: options.penalties ?? [0.1, 0.3, 1, 3, 10],
    kernels: options.kernels ?? defaultKernels(encodings !== null),
    fold: assignFolds(curves.length, Math.min(options.folds ?? 5, Math.floor(curves.length / 2)), createRng(options.seed ?? 0)),
    encodings,
  };
  const models = [...(options.fractions ?? DEFAULT_FRACTIONS)].sort((a, b) => a - b).map((fraction) => fitFraction(curves, fraction, settings, kernel));
  const encodingLength = encodings?.[0]?.length ?? 0;
  const method = encodings ? ExtrapolationMethod.KERNEL_RIDGE_ARCH : kernel ? ExtrapolationMethod.KERNEL_RIDGE : ExtrapolationMethod.RIDGE;
  return {
    method,
    forecast(curve, forecastOptions): CurveForecast {
      const ys = validateCurve(curve, forecastOptions);
      const encoding = forecastEncoding(forecastOptions, encodingLength);
      const fraction = ys.length / forecastOptions.targetEpoch;
      // Far below the first trained fraction the model would extrapolate its own inputs: say "don't know" instead.
      if (fraction < models[0]!.fraction / 2) return scaleForecast(wideForecast(ys, method), forecastOptions.scale);
      const row = featureRow(ys, settings.points, encoding);
      const base = row[settings.points + 1]!;
      const upper = models.findIndex((m) => m.fraction >= fraction);
      const hi = upper === -1 ? models.length - 1 : upper;
      const lo = upper <= 0 ? hi : upper - 1;
      const a = modelForecast(models[lo]!, row, base);
      const b = lo === hi ? a : modelForecast(models[hi]!, row, base);
      const t = lo === hi ? 0 : (fraction - models[lo]!.fraction) / (models[hi]!.fraction - models[lo]!.fraction);
      const mix = (x: number, y: number): number => x * (1 - t) + y * t;
      return scaleForecast({ mean: mix(a.mean, b.mean), q05: mix(a.q05, b.q05), q50: mix(a.q50, b.q50), q95: mix(a.q95, b.q95), method }, forecastOptions.scale);
    },
  };
}
