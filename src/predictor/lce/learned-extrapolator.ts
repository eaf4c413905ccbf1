import { createRng, ErrorCode, NashubError } from '../../core';
import { assignFolds } from './assign-folds';
import { crossValidateRidge } from './cross-validate-ridge';
import { scaleMaximum, type CurveScaleValue } from './curve-scale';
import { ExtrapolationMethod } from './extrapolation-method';
import {
  featureRow,
  LEARNED_EXTRAPOLATOR_FORMAT,
  LEARNED_EXTRAPOLATOR_VERSION,
  restoreLearnedExtrapolator,
  type FractionModelState,
  type LearnedExtrapolator,
} from './learned-extrapolator-state';
import { logit, sigmoid } from './math/logit';
import { fitRidgeModel, type KernelSettings } from './ridge-model';
import { TRAIN_CURVE_COLUMNS, trainCurveFraction } from './train-curve-features';
import { priorFraction, SURROGATE_PRIOR_COLUMNS, type SurrogatePrior } from './surrogate-prior';
import { synthesizeCurves } from './synthesize-curves';

/** Options of {@link trainLearnedExtrapolator}. */
export interface LearnedExtrapolatorOptions {
  /** Complete training curves of one protocol; each one's last value is its final value. At least 10. */
  curves: readonly (readonly number[])[];
  /** Scale of the training curves' values. */
  scale: CurveScaleValue;
  /** Architecture encoding of each training curve (KERNEL_RIDGE_ARCH); forecasts then need `encoding` too. Needs `kernel`. */
  encodings?: readonly (readonly number[])[];
  /**
   * A surrogate's prior of each training curve's final value, in `scale` (KERNEL_RIDGE_SURROGATE); forecasts then need
   * `prior` too. Needs `kernel`. Give out-of-sample predictions (a surrogate that did not train on these
   * architectures, or cross-fitted ones): in-sample priors are too good, and the model would learn to trust them.
   */
  priors?: readonly SurrogatePrior[];
  /**
   * Each training curve's training-accuracy curve (same epochs, same scale) as a second channel; forecasts then need
   * `trainCurve` too. On NB201 it brings the 20% MAE from 1.68 to 1.19 (README, "Learning-curve extrapolation").
   */
  trainCurves?: readonly (readonly number[])[];
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
  /** Times the inner cross-validation runs with fresh folds; the settings minimise the mean error over them (default 1). */
  repeats?: number;
  /** Seed of the inner fold assignments and of the synthetic curves (default 0). */
  seed?: number;
  /** Also train on synthetic curves drawn from a prior fitted to the training curves (LC-PFN-like); needs curves of one length. */
  prior?: PriorOptions;
}

/** The synthetic-curve prior of {@link LearnedExtrapolatorOptions.prior} (see {@link synthesizeCurves}). */
export interface PriorOptions {
  /** Synthetic curves per training curve (default 3). */
  perCurve?: number;
  /** Principal components the synthetic curves vary along (default 6). */
  components?: number;
  /** Step along each component, as a share of its spread over the training curves (default 0.1). */
  bandwidth?: number;
}

/** What the per-fraction fits share. */
interface FitSettings {
  points: number;
  penalties: readonly number[];
  kernels: readonly KernelSettings[];
  /** Fold of each training curve, one assignment per repeat. */
  folds: readonly (readonly number[])[];
  encodings: readonly (readonly number[])[] | null;
  /** Each training curve's prior, in fractions, or null. */
  priors: readonly SurrogatePrior[] | null;
  /** Each training curve's training-accuracy curve, in fractions, or null. */
  trainCurves: readonly (readonly number[])[] | null;
}

/** The rows a fraction model is fitted on: stored curves first, then synthetic ones, which inherit their parent's fold and encoding. */
interface TrainingSet {
  curves: readonly (readonly number[])[];
  /** Index of the stored curve each row is (or was drawn around). */
  parent: readonly number[];
  /** Whether the row is a stored curve (only those are scored and give residuals). */
  real: readonly boolean[];
}

const DEFAULT_FRACTIONS = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
const MIN_TRAINING_CURVES = 10;

function defaultKernels(withEncodings: boolean): KernelSettings[] {
  const extraWeights = withEncodings ? [0.3, 0.6, 1] : [0];
  return extraWeights.flatMap((extraWeight) =>
    [0.3, 1, 3].flatMap((width) => [0.1, 0.3, 1].map((penalty) => ({ width, penalty, extraWeight }))),
  );
}

function trainingFractions(curves: readonly (readonly number[])[], scale: CurveScaleValue): number[][] {
  const maximum = scaleMaximum(scale);
  return curves.map((curve, index) => {
    if (curve.length < 2)
      throw new NashubError(ErrorCode.INVALID_CURVE, `training curve ${index} has fewer than 2 epochs`, {
        details: { reason: 'too-short', curve: index },
      });
    return curve.map((v, i) => {
      if (!Number.isFinite(v) || v < 0 || v > maximum) {
        throw new NashubError(ErrorCode.INVALID_CURVE, `training curve ${index} has a bad value at ${i}`, {
          details: { reason: 'out-of-scale', curve: index, index: i },
        });
      }
      return v / maximum;
    });
  });
}

/** Inputs of one setting's inner cross-validation. */
interface CrossValidationInput {
  rows: Float64Array[];
  linearColumns: number;
  targets: number[];
  bases: number[];
  finals: number[];
  data: TrainingSet;
  settings: FitSettings;
}

/** Mean out-of-fold error (in fractions, stored curves only) over the repeats, and the first repeat's predictions. */
function crossValidated(
  input: CrossValidationInput,
  penalty: number,
  kernel: KernelSettings | null,
): { mae: number; predictions: number[] } {
  const { data, settings } = input;
  let mae = 0;
  let first: number[] = [];
  settings.folds.forEach((curveFold, r) => {
    const fold = data.parent.map((p) => curveFold[p]!);
    const predictions = crossValidateRidge({
      rows: input.rows,
      linearColumns: input.linearColumns,
      targets: input.targets,
      fold,
      penalty,
      kernel,
      predicted: data.real,
    });
    if (r === 0) first = predictions;
    let sum = 0;
    let count = 0;
    input.bases.forEach((base, i) => {
      if (!data.real[i]) return;
      sum += Math.abs(sigmoid(base + predictions[i]!) - input.finals[i]!);
      count++;
    });
    mae += sum / count / settings.folds.length;
  });
  return { mae, predictions: first };
}

function fitFraction(data: TrainingSet, fraction: number, settings: FitSettings, kernel: boolean): FractionModelState {
  const linearColumns =
    settings.points +
    2 +
    (settings.priors ? SURROGATE_PRIOR_COLUMNS : 0) +
    (settings.trainCurves ? TRAIN_CURVE_COLUMNS : 0);
  const rows = data.curves.map((c, i) =>
    featureRow(c.slice(0, observed(c, fraction)), {
      points: settings.points,
      encoding: settings.encodings?.[data.parent[i]!] ?? null,
      prior: settings.priors?.[data.parent[i]!] ?? null,
      trainCurve: settings.trainCurves?.[data.parent[i]!]?.slice(0, observed(c, fraction)) ?? null,
    }),
  );
  const finals = data.curves.map((c) => c[c.length - 1]!);
  // The last curve feature is the base; targets are offsets from it, so the penalty shrinks towards "ends where it is".
  const bases = rows.map((row) => row[settings.points + 1]!);
  const targets = finals.map((final, i) => logit(final) - bases[i]!);
  const input: CrossValidationInput = { rows, linearColumns, targets, bases, finals, data, settings };
  let best = {
    penalty: settings.penalties[0]!,
    kernel: null as KernelSettings | null,
    mae: Infinity,
    predictions: [] as number[],
  };
  for (const penalty of settings.penalties) {
    const { mae, predictions } = crossValidated(input, penalty, null);
    if (mae < best.mae) best = { penalty, kernel: null, mae, predictions };
  }
  if (kernel) {
    for (const candidate of settings.kernels) {
      const { mae, predictions } = crossValidated(input, best.penalty, candidate);
      if (mae < best.mae) best = { penalty: best.penalty, kernel: candidate, mae, predictions };
    }
  }
  const residuals = targets.flatMap((t, i) => (data.real[i] ? [t - best.predictions[i]!] : [])).sort((a, b) => a - b);
  return {
    fraction,
    model: fitRidgeModel({ rows, linearColumns, targets, penalty: best.penalty, kernel: best.kernel }).state,
    residuals,
  };
}

function checkEncodings(options: LearnedExtrapolatorOptions, kernel: boolean): readonly (readonly number[])[] | null {
  const { encodings } = options;
  if (encodings === undefined) return null;
  const length = encodings[0]?.length ?? 0;
  if (
    !kernel ||
    encodings.length !== options.curves.length ||
    length === 0 ||
    encodings.some((e) => e.length !== length || !e.every(Number.isFinite))
  ) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      'encodings need the kernel and one finite vector of one length per training curve',
      { details: { argument: 'encodings' } },
    );
  }
  return encodings;
}

function checkPriors(options: LearnedExtrapolatorOptions, kernel: boolean): SurrogatePrior[] | null {
  const { priors } = options;
  if (priors === undefined) return null;
  if (!kernel || priors.length !== options.curves.length) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'priors need the kernel and one prior per training curve', {
      details: { argument: 'priors' },
    });
  }
  return priors.map((prior) => priorFraction(prior, options.scale, 'priors'));
}

function checkTrainCurves(options: LearnedExtrapolatorOptions): number[][] | null {
  const { trainCurves } = options;
  if (trainCurves === undefined) return null;
  if (trainCurves.length !== options.curves.length) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      'trainCurves need one training-accuracy curve per training curve',
      { details: { argument: 'trainCurves' } },
    );
  }
  return trainCurves.map((t, i) => trainCurveFraction(t, options.curves[i]!.length - 1, options.scale, 'trainCurves'));
}

/** Epochs of a complete curve observed at `fraction` of it: at least one, never the last. */
const observed = (curve: readonly number[], fraction: number): number =>
  Math.min(curve.length - 1, Math.max(1, Math.round(fraction * curve.length)));

function checkFractions(fractions: readonly number[]): number[] {
  const sorted = [...fractions].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.some((f, i) => !(f > 0 && f < 1) || (i > 0 && f === sorted[i - 1]))) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'fractions must be distinct numbers in (0, 1)', {
      details: { argument: 'fractions' },
    });
  }
  return sorted;
}

function trainingSet(curves: number[][], options: LearnedExtrapolatorOptions): TrainingSet {
  const stored: TrainingSet = { curves, parent: curves.map((_, i) => i), real: curves.map(() => true) };
  const { prior } = options;
  if (!prior) return stored;
  if (curves.some((c) => c.length !== curves[0]!.length)) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'the synthetic-curve prior needs training curves of one length', {
      details: { argument: 'prior' },
    });
  }
  const synthetic = synthesizeCurves({
    curves,
    perCurve: prior.perCurve ?? 3,
    components: prior.components ?? 6,
    bandwidth: prior.bandwidth ?? 0.1,
    rng: createRng((options.seed ?? 0) + 1),
  });
  return {
    curves: [...curves, ...synthetic.map((s) => s.curve)],
    parent: [...stored.parent, ...synthetic.map((s) => s.parent)],
    real: [...stored.real, ...synthetic.map(() => false)],
  };
}

/**
 * Trains the learned extrapolator on complete curves of one protocol: per observed fraction of the schedule, a ridge
 * (optionally + RBF kernel, optionally also over architecture encodings) regression from the partial curve's
 * features to the logit of its final value, with the settings picked by inner cross-validation and the 5/50/95%
 * quantiles taken from the held-out residuals (split-conformal style). With `prior`, synthetic curves drawn around
 * the training curves join the training rows (LC-PFN-like); they share their parent's inner fold, so settings and
 * residuals are still judged on stored curves none of whose relatives were trained on. The result can be stored with
 * `toJSON()` and brought back by {@link restoreLearnedExtrapolator}.
 */
export function trainLearnedExtrapolator(options: LearnedExtrapolatorOptions): LearnedExtrapolator {
  if (options.curves.length < MIN_TRAINING_CURVES) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `the learned extrapolator needs at least ${MIN_TRAINING_CURVES} training curves, got ${options.curves.length}`,
      {
        details: { argument: 'curves', min: MIN_TRAINING_CURVES, actual: options.curves.length },
      },
    );
  }
  const curves = trainingFractions(options.curves, options.scale);
  const kernel = options.kernel ?? true;
  const encodings = checkEncodings(options, kernel);
  const priors = checkPriors(options, kernel);
  const fractions = checkFractions(options.fractions ?? DEFAULT_FRACTIONS);
  const rng = createRng(options.seed ?? 0);
  const folds = Math.min(options.folds ?? 5, Math.floor(curves.length / 2));
  const settings: FitSettings = {
    points: options.points ?? 4,
    penalties: options.penalties ?? [0.1, 0.3, 1, 3, 10],
    kernels: options.kernels ?? defaultKernels(encodings !== null),
    folds: Array.from({ length: Math.max(1, options.repeats ?? 1) }, () => assignFolds(curves.length, folds, rng)),
    encodings,
    priors,
    trainCurves: checkTrainCurves(options),
  };
  const data = trainingSet(curves, options);
  return restoreLearnedExtrapolator({
    format: LEARNED_EXTRAPOLATOR_FORMAT,
    version: LEARNED_EXTRAPOLATOR_VERSION,
    method: priors
      ? ExtrapolationMethod.KERNEL_RIDGE_SURROGATE
      : encodings
        ? ExtrapolationMethod.KERNEL_RIDGE_ARCH
        : kernel
          ? ExtrapolationMethod.KERNEL_RIDGE
          : ExtrapolationMethod.RIDGE,
    points: settings.points,
    encodingLength: encodings?.[0]?.length ?? 0,
    ...(priors ? { usesPrior: true } : {}),
    ...(options.trainCurves ? { usesTrainCurve: true } : {}),
    syntheticPerCurve: options.prior ? (options.prior.perCurve ?? 3) : 0,
    fractions: fractions.map((fraction) => fitFraction(data, fraction, settings, kernel)),
  });
}
