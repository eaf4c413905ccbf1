import { z } from 'zod';
import { ErrorCode, NashubError, parseWithSchema, schemaError } from '../../core';
import { curveFeatures } from './curve-features';
import type { CurveForecast } from './curve-forecast';
import { ExtrapolationMethod, type ExtrapolationMethodValue } from './extrapolation-method';
import type { Extrapolator, ForecastOptions } from './extrapolator';
import { empiricalQuantile } from './math/empirical-quantile';
import { sigmoid } from './math/logit';
import { ridgeModelFromState, type RidgeModel, type RidgeModelState } from './ridge-model';
import { scaleForecast } from './scale-forecast';
import { TRAIN_CURVE_COLUMNS, trainCurveFeatures, trainCurveFraction } from './train-curve-features';
import { priorFraction, SURROGATE_PRIOR_COLUMNS, surrogatePriorFeatures, type SurrogatePrior } from './surrogate-prior';
import { validateCurve } from './validate-curve';
import { wideForecast } from './wide-forecast';

/** Format tag of a {@link LearnedExtrapolatorState}; a stored state with another tag or version is refused. */
export const LEARNED_EXTRAPOLATOR_FORMAT = 'nashub.lce.learned';
/** Version of the {@link LearnedExtrapolatorState} layout. */
export const LEARNED_EXTRAPOLATOR_VERSION = 1;

/** The model for one observed fraction of the schedule. */
export interface FractionModelState {
  /** Observed part n / targetEpoch the model was fitted for. */
  fraction: number;
  /** The regression from curve features (+ encoding) to the logit offset of the final value. */
  model: RidgeModelState;
  /** Held-out residuals on the logit scale, sorted: the forecast distribution around the prediction. */
  residuals: number[];
}

/** Everything a trained learned extrapolator is: plain JSON, what a predictor row (kind `LCE`) stores. */
export interface LearnedExtrapolatorState {
  /** Always {@link LEARNED_EXTRAPOLATOR_FORMAT}. */
  format: typeof LEARNED_EXTRAPOLATOR_FORMAT;
  /** Always {@link LEARNED_EXTRAPOLATOR_VERSION}. */
  version: typeof LEARNED_EXTRAPOLATOR_VERSION;
  /** RIDGE, KERNEL_RIDGE, KERNEL_RIDGE_ARCH or KERNEL_RIDGE_SURROGATE. */
  method: ExtrapolationMethodValue;
  /** Window means of the partial curve used as features. */
  points: number;
  /** Length of the architecture encoding a forecast needs; 0 when the model uses none. */
  encodingLength: number;
  /** Whether forecasts need a surrogate's prior of the final value (KERNEL_RIDGE_SURROGATE); absent in states stored before it existed, read as false. */
  usesPrior?: boolean;
  /** Whether forecasts need the run's training-accuracy curve (`trainCurve`); absent in states stored before it existed, read as false. */
  usesTrainCurve?: boolean;
  /** Synthetic curves drawn per stored curve during training (0: trained on stored curves only); informative. */
  syntheticPerCurve: number;
  /** One model per trained fraction, ascending. */
  fractions: FractionModelState[];
}

/** A learned extrapolator that can be stored and restored with identical forecasts. */
export interface LearnedExtrapolator extends Extrapolator {
  /** The trained numbers; {@link restoreLearnedExtrapolator} of them (also after JSON.stringify / JSON.parse) forecasts identically. */
  toJSON(): LearnedExtrapolatorState;
}

const LEARNED_METHODS: readonly ExtrapolationMethodValue[] = [
  ExtrapolationMethod.RIDGE,
  ExtrapolationMethod.KERNEL_RIDGE,
  ExtrapolationMethod.KERNEL_RIDGE_ARCH,
  ExtrapolationMethod.KERNEL_RIDGE_SURROGATE,
];

interface FractionModel {
  fraction: number;
  model: RidgeModel;
  residuals: number[];
}

/** What a feature row is made of besides the partial curve. */
export interface FeatureRowOptions {
  /** Window means of the partial curve. */
  points: number;
  /** Architecture encoding (kernel-only columns at the end), or null. */
  encoding: readonly number[] | null;
  /** A surrogate's prior of the final value, in fractions (linear columns after the curve's), or null. */
  prior: SurrogatePrior | null;
  /** Training accuracy of the observed epochs, in fractions (linear columns after the prior's), or null. */
  trainCurve: readonly number[] | null;
}

/**
 * Curve features (the base, the level the model predicts an offset from, at index `points + 1`), then the prior's
 * features, the training curve's and the architecture encoding, each when there is one.
 */
export function featureRow(fractions: readonly number[], options: FeatureRowOptions): Float64Array {
  const features = curveFeatures(fractions, options.points);
  const prior = options.prior === null ? [] : surrogatePriorFeatures(options.prior, features[options.points + 1]!);
  const train =
    options.trainCurve === null ? [] : trainCurveFeatures(options.trainCurve, features[options.points - 1]!);
  const encoding = options.encoding ?? [];
  if (prior.length === 0 && train.length === 0 && encoding.length === 0) return features;
  const row = new Float64Array(features.length + prior.length + train.length + encoding.length);
  row.set(features);
  row.set(prior, features.length);
  row.set(train, features.length + prior.length);
  row.set(encoding, features.length + prior.length + train.length);
  return row;
}

/** Forecast (in fractions) of one fraction model: the prediction plus each held-out residual, mapped back from logits. */
function modelForecast(
  model: FractionModel,
  row: Float64Array,
  base: number,
): { mean: number; q05: number; q50: number; q95: number } {
  const z = base + model.model.predict(row);
  const at = (p: number): number => sigmoid(z + empiricalQuantile(model.residuals, p));
  const mean = model.residuals.reduce((a, r) => a + sigmoid(z + r), 0) / model.residuals.length;
  return { mean, q05: at(0.05), q50: at(0.5), q95: at(0.95) };
}

function forecastEncoding(options: ForecastOptions, expected: number): readonly number[] | null {
  if (expected === 0) return null;
  const { encoding } = options;
  if (!encoding || encoding.length !== expected || !encoding.every(Number.isFinite)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `this extrapolator was trained with architecture encodings: pass an encoding of length ${expected}`,
      {
        details: { argument: 'encoding', length: expected },
      },
    );
  }
  return encoding;
}

const finite = z.number({ error: 'must be a finite number' });
const finiteList = z.array(finite, { error: 'must be a list of finite numbers' });

/** A {@link RidgeModelState}: the lengths that depend on the whole state are checked by {@link checkLearnedExtrapolatorState}. */
const ridgeStateSchema = z.object({
  mean: finiteList.min(1, { error: 'must not be empty' }),
  sd: z.array(finite.gt(0, { error: 'must be a positive standard deviation' })),
  targetMean: finite,
  weights: finiteList,
  kernel: z
    .object({
      settings: z.object({ width: finite, penalty: finite, extraWeight: finite }),
      centres: finiteList,
      alpha: finiteList.min(1),
    })
    .nullable(),
});

/** A {@link LearnedExtrapolatorState} field by field. */
const learnedStateSchema = z.object({
  format: z.literal(LEARNED_EXTRAPOLATOR_FORMAT),
  version: z.literal(LEARNED_EXTRAPOLATOR_VERSION),
  method: z.enum(LEARNED_METHODS as [ExtrapolationMethodValue, ...ExtrapolationMethodValue[]]),
  points: z.number().int().min(1),
  encodingLength: z.number().int().min(0),
  usesPrior: z.boolean().optional(),
  usesTrainCurve: z.boolean().optional(),
  syntheticPerCurve: finite.min(0),
  fractions: z
    .array(
      z.object({
        fraction: finite.gt(0).lt(1),
        model: ridgeStateSchema,
        residuals: finiteList.min(1, { error: 'must not be empty' }),
      }),
    )
    .min(1, { error: 'needs at least one fraction model' }),
});

/**
 * Checks that `value` is a {@link LearnedExtrapolatorState} and returns it unchanged (the same object, so a stored
 * state is saved again byte for byte). INVALID_ARGUMENT with `details.field` (prefixed with `at`, e.g. `curveOnly`)
 * otherwise.
 */
export function checkLearnedExtrapolatorState(value: unknown, at?: string): LearnedExtrapolatorState {
  const options = {
    code: ErrorCode.INVALID_ARGUMENT,
    what: 'stored learned extrapolator',
    details: { argument: 'state' },
    at,
  };
  const s = parseWithSchema(learnedStateSchema, value, options);
  const fail = (field: string, message: string): NashubError =>
    schemaError(options, { field: at ? `${at}.${field}` : field, message });
  const linear =
    s.points +
    2 +
    (s.usesPrior === true ? SURROGATE_PRIOR_COLUMNS : 0) +
    (s.usesTrainCurve === true ? TRAIN_CURVE_COLUMNS : 0);
  const width = linear + s.encodingLength;
  s.fractions.forEach((f, i) => {
    if (i > 0 && !(f.fraction > s.fractions[i - 1]!.fraction))
      throw fail(`fractions[${i}].fraction`, 'fractions must ascend within (0, 1)');
    const { mean, sd, weights, kernel } = f.model;
    if (sd.length !== mean.length || weights.length !== mean.length)
      throw fail(`fractions[${i}].model`, 'mean, sd and weights must have one entry per linear column');
    if (mean.length !== linear)
      throw fail(`fractions[${i}].model.mean`, 'model width does not match points, usesPrior and usesTrainCurve');
    if (kernel && kernel.centres.length !== kernel.alpha.length * width)
      throw fail(`fractions[${i}].model.kernel.centres`, 'must hold one row of the model width per dual weight');
  });
  return value as LearnedExtrapolatorState;
}

/**
 * The learned extrapolator a state describes (from {@link LearnedExtrapolator.toJSON}, possibly through JSON text or a
 * database column). A forecast between two trained fractions averages their quantiles; the target epoch is read as
 * the end of the training curves' schedule, since only the fraction n / targetEpoch enters. Malformed states throw
 * INVALID_ARGUMENT.
 */
export function restoreLearnedExtrapolator(value: unknown, at?: string): LearnedExtrapolator {
  const state = checkLearnedExtrapolatorState(value, at);
  const models: FractionModel[] = state.fractions.map((f) => ({
    fraction: f.fraction,
    model: ridgeModelFromState(f.model),
    residuals: f.residuals,
  }));
  const { method, points, encodingLength } = state;
  const usesPrior = state.usesPrior === true;
  const usesTrainCurve = state.usesTrainCurve === true;
  return {
    method,
    toJSON: () => state,
    forecast(curve, forecastOptions): CurveForecast {
      const ys = validateCurve(curve, forecastOptions);
      const encoding = forecastEncoding(forecastOptions, encodingLength);
      const prior = usesPrior ? priorFraction(forecastOptions.prior, forecastOptions.scale, 'prior') : null;
      const trainCurve = usesTrainCurve
        ? trainCurveFraction(forecastOptions.trainCurve, ys.length, forecastOptions.scale, 'trainCurve')
        : null;
      const fraction = ys.length / forecastOptions.targetEpoch;
      // Far below the first trained fraction the model would extrapolate its own inputs: say "don't know" instead.
      if (fraction < models[0]!.fraction / 2) return scaleForecast(wideForecast(ys, method), forecastOptions.scale);
      const row = featureRow(ys, { points, encoding, prior, trainCurve });
      const base = row[points + 1]!;
      const upper = models.findIndex((m) => m.fraction >= fraction);
      const hi = upper === -1 ? models.length - 1 : upper;
      const lo = upper <= 0 ? hi : upper - 1;
      const a = modelForecast(models[lo]!, row, base);
      const b = lo === hi ? a : modelForecast(models[hi]!, row, base);
      const t = lo === hi ? 0 : (fraction - models[lo]!.fraction) / (models[hi]!.fraction - models[lo]!.fraction);
      const mix = (x: number, y: number): number => x * (1 - t) + y * t;
      return scaleForecast(
        { mean: mix(a.mean, b.mean), q05: mix(a.q05, b.q05), q50: mix(a.q50, b.q50), q95: mix(a.q95, b.q95), method },
        forecastOptions.scale,
      );
    },
  };
}
