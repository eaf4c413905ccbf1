import { EncodingKind, ErrorCode, NashubError, type EncodingKindValue } from '../../core';
import {
  CURVE_EXTRAPOLATOR_FORMAT,
  CURVE_EXTRAPOLATOR_VERSION,
  CurveExtrapolator,
  encodeArchitecture,
} from './curve-extrapolator';
import { CurveScale, type CurveScaleValue } from './curve-scale';
import { trainLearnedExtrapolator, type PriorOptions } from './learned-extrapolator';
import type { SurrogatePrior } from './surrogate-prior';

/** One stored curve to train on. */
export interface TrainingCurve {
  /** Architecture string in `options.space`, when known. */
  arch?: string;
  /** The complete curve (value i is epoch i + 1); its last value is the final one. */
  values: readonly number[];
  /**
   * An architecture surrogate's prediction of the final value, in `options.scale`, made without this curve's
   * architecture (or its isomorphs) in the surrogate's training set: in-sample predictions are too good, and the model
   * would learn to trust them more than it should.
   */
  prior?: SurrogatePrior;
  /** The run's training-accuracy curve (same epochs, same scale); needed on every curve with `useTrainCurve`. */
  trainValues?: readonly number[];
}

/** Options of {@link fitCurveExtrapolator}. */
export interface FitCurveExtrapolatorOptions {
  /** Scale of the curves (default PERCENT). */
  scale?: CurveScaleValue;
  /** Search space of the architecture strings (default nb201). */
  space?: string;
  /** Architecture encoding the kernel compares (default onehot). */
  encoding?: EncodingKindValue;
  /** Train the curve-plus-architecture model too (default: when every curve names an architecture). */
  useArchitecture?: boolean;
  /**
   * Give every model the training-accuracy curve as a second channel (default false); forecasts then need
   * `trainCurve`. It measured best on NB201 (20% MAE 1.19 against 1.68), but stored curves may lack it.
   */
  useTrainCurve?: boolean;
  /** Train the curve-plus-surrogate model too (default: when every curve has a prior). */
  useSurrogatePrior?: boolean;
  /** Fit the RBF-kernel correction (default true); false gives plain RIDGE and no architecture or surrogate model. */
  kernel?: boolean;
  /** Also train on synthetic curves from a prior fitted to the curves (LC-PFN-like), or false (default false). */
  prior?: PriorOptions | false;
  /** Observed parts of the schedule to fit one model each for (default 0.05, 0.10, …, 0.95). */
  fractions?: readonly number[];
  /** Seed of the inner cross-validation and the synthetic curves (default 0). */
  seed?: number;
}

/**
 * Fits the learned extrapolator of one (space, dataset, protocol) from its stored complete curves (at least 10): a
 * curve-only model (KERNEL_RIDGE) and, when the curves name architectures, a curve-plus-architecture one
 * (KERNEL_RIDGE_ARCH, the LcSVR idea), and when the curves carry a surrogate's prior of their final value, a
 * curve-plus-surrogate one (KERNEL_RIDGE_SURROGATE). Store the result with `toJSON()` / `save()` as a predictor row of kind `LCE`.
 * Bad curves throw INVALID_CURVE, too few INVALID_ARGUMENT, a bad architecture INVALID_ARCHITECTURE.
 */
export function fitCurveExtrapolator(
  curves: readonly TrainingCurve[],
  options: FitCurveExtrapolatorOptions = {},
): CurveExtrapolator {
  const scale = options.scale ?? CurveScale.PERCENT;
  const space = options.space ?? 'nb201';
  const encoding = options.encoding ?? EncodingKind.ONEHOT;
  const kernel = options.kernel ?? true;
  const named = curves.length > 0 && curves.every((c) => typeof c.arch === 'string');
  if (options.useArchitecture === true && !(named && kernel)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      'useArchitecture needs the kernel and an architecture on every curve',
      { details: { argument: 'useArchitecture' } },
    );
  }
  const useArchitecture = (options.useArchitecture ?? named) && kernel;
  const priced = curves.length > 0 && curves.every((c) => c.prior !== undefined);
  if (options.useSurrogatePrior === true && !(priced && kernel)) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'useSurrogatePrior needs the kernel and a prior on every curve', {
      details: { argument: 'useSurrogatePrior' },
    });
  }
  const useSurrogatePrior = (options.useSurrogatePrior ?? priced) && kernel;
  const values = curves.map((c) => c.values);
  const useTrainCurve = options.useTrainCurve ?? false;
  if (useTrainCurve && !curves.every((c) => c.trainValues !== undefined)) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'useTrainCurve needs trainValues on every curve', {
      details: { argument: 'useTrainCurve' },
    });
  }
  const common = {
    curves: values,
    scale,
    kernel,
    fractions: options.fractions,
    seed: options.seed,
    prior: options.prior === false ? undefined : options.prior,
    trainCurves: useTrainCurve ? curves.map((c) => c.trainValues!) : undefined,
  };
  const curveOnly = trainLearnedExtrapolator(common);
  const withArchitecture = useArchitecture
    ? trainLearnedExtrapolator({
        ...common,
        encodings: curves.map((c) => encodeArchitecture(space, encoding, c.arch!)),
      })
    : null;
  // Curve plus prior, without the one-hot: the surrogate already carries the architecture, and adding the one-hot
  // measured within fold noise on NB201 (README, "Learning-curve extrapolation").
  const withSurrogate = useSurrogatePrior
    ? trainLearnedExtrapolator({ ...common, priors: curves.map((c) => c.prior!) })
    : null;
  return CurveExtrapolator.fromJSON({
    format: CURVE_EXTRAPOLATOR_FORMAT,
    version: CURVE_EXTRAPOLATOR_VERSION,
    scale,
    space: useArchitecture ? space : null,
    encoding: useArchitecture ? encoding : null,
    trainingCurves: curves.length,
    epochs: Math.max(...values.map((v) => v.length)),
    curveOnly: curveOnly.toJSON(),
    withArchitecture: withArchitecture?.toJSON() ?? null,
    withSurrogate: withSurrogate?.toJSON() ?? null,
  });
}
