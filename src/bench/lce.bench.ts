import { createRng, getSpace } from '../core';
import {
  assignFolds,
  createBestSoFarExtrapolator,
  createLastValueExtrapolator,
  conformalizeExtrapolator,
  createParametricEnsemble,
  CurveScale,
  trainLearnedExtrapolator,
  type CurveForecast,
  type Extrapolator,
} from '../predictor/lce';
import { kendallTau } from '../predictor/metric/kendall-tau';
import { readCurvesFile, type CurveRecord } from './read-curves-file';
import { simulateEarlyStopping, type EarlyStoppingOutcome } from './simulate-early-stopping';

/** Options of {@link runLceBench}. */
export interface LceBenchOptions {
  /** JSON-lines file of complete curves to forecast (percent). */
  curvesFile: string;
  /** JSON-lines file of curves to train the learned methods on; without it, k-fold cross-validation over `curvesFile`. */
  trainCurvesFile?: string;
  /** Observed parts of each curve, e.g. 0.1, 0.2, 0.4, 0.8. */
  cutoffs: readonly number[];
  /** Folds of the cross-validation (default 5). */
  folds?: number;
  /** Seed of the folds, the inner cross-validation and the training orders (default 0). */
  seed?: number;
  /** Early-stopping threshold on P(final > best so far) (default 0.05). */
  stopThreshold?: number;
  /** Key of the curve arrays in the files (default `valid_acc`). */
  key?: string;
  /** Search space of the files' `arch_str`, for the one-hot encodings of KERNEL_RIDGE_ARCH (default nb201). */
  space?: string;
  /** Train the learned methods on at most this many curves of each training fold (a seeded subset), e.g. 10 for a protocol with few stored curves. */
  maxTrainCurves?: number;
  /** Repeats of the learned methods' inner cross-validation (default 1). */
  repeats?: number;
}

/** One (cutoff, method) result of {@link runLceBench}. */
export interface LceBenchLine {
  /** Observed part of each curve. */
  cutoff: number;
  /** Extrapolation method; `+CONFORMAL` when its interval was recalibrated on the training curves, `+PRIOR` when also trained on synthetic curves. */
  method: string;
  /** Curves forecast (held out). */
  curves: number;
  /** Mean absolute error of the forecast median against the true final value, in points. */
  maeFinal: number;
  /** Kendall τ-b between forecast medians and true finals, pooled over folds. */
  kendallTauFinal: number;
  /** Share of true finals inside [q05, q95] (nominal 0.90). */
  coverage90: number;
  /** Mean width q95 − q05, in points. */
  meanIntervalWidth: number;
  /** Milliseconds per forecast (training excluded). */
  msPerCurve: number;
  /** Seconds spent training the method for all cutoffs at once, all folds together (0 for untrained methods). */
  trainSeconds: number;
  /** Early stopping at the cutoff: share of epochs saved, how often a fold's true best was stopped, mean regret. */
  earlyStopping: { epochsSavedFraction: number; bestStopped: number; sequences: number; meanRegret: number; threshold: number };
}

/** A curve with the one-hot encoding of its architecture, when the file names one. */
interface BenchCurve {
  curve: number[];
  encoding: number[] | null;
}

interface Split {
  train: BenchCurve[];
  test: BenchCurve[];
}

interface Accumulator {
  finals: number[];
  medians: number[];
  covered: number;
  width: number;
  ms: number;
  trainSeconds: number;
  outcomes: EarlyStoppingOutcome[];
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function encode(records: readonly CurveRecord[], spaceName: string): BenchCurve[] {
  const space = getSpace(spaceName);
  const named = records.every((r) => r.arch !== null);
  return records.map((r) => {
    const encoding = named ? space.encode(space.parse(r.arch!), 'onehot') : null;
    return { curve: r.curve, encoding: encoding && 'vector' in encoding ? [...encoding.vector] : null };
  });
}

/** At most `max` of the curves, a seeded subset in their original order (all of them without `max`). */
function subset(curves: BenchCurve[], max: number | undefined, seed: number): BenchCurve[] {
  if (max === undefined || max >= curves.length) return curves;
  const keep = new Set(assignFolds(curves.length, curves.length, createRng(seed)).flatMap((position, i) => (position < max ? [i] : [])));
  return curves.filter((_, i) => keep.has(i));
}

function splitsOf(options: LceBenchOptions, curves: BenchCurve[], key: string): Split[] {
  if (options.trainCurvesFile) {
    const train = encode(readCurvesFile({ path: options.trainCurvesFile, key }), options.space ?? 'nb201');
    return [{ train: subset(train, options.maxTrainCurves, options.seed ?? 0), test: curves }];
  }
  const folds = options.folds ?? 5;
  const fold = assignFolds(curves.length, folds, createRng(options.seed ?? 0));
  return Array.from({ length: folds }, (_, f) => ({
    train: subset(
      curves.filter((_, i) => fold[i] !== f),
      options.maxTrainCurves,
      (options.seed ?? 0) * 31 + f,
    ),
    test: curves.filter((_, i) => fold[i] === f),
  }));
}

/** A method as the bench runs and labels it. */
interface BenchMethod {
  label: string;
  extrapolator: Extrapolator;
  trainSeconds: number;
}

function trainMethods(split: Split, options: LceBenchOptions): BenchMethod[] {
  const bases = [createLastValueExtrapolator(), createBestSoFarExtrapolator(), createParametricEnsemble()];
  const untrained = bases.map((extrapolator) => ({ label: extrapolator.method, extrapolator, trainSeconds: 0 }));
  // The same methods with their interval recalibrated by split conformal prediction on the training curves.
  const calibrated = bases.map((base) => {
    const startedAt = performance.now();
    const extrapolator = conformalizeExtrapolator({ base, curves: split.train.map((c) => c.curve), scale: CurveScale.PERCENT, fractions: options.cutoffs });
    return { label: `${base.method}+CONFORMAL`, extrapolator, trainSeconds: (performance.now() - startedAt) / 1000 };
  });
  const withArch = [...split.train, ...split.test].every((c) => c.encoding !== null);
  const variants = [
    { kernel: false, arch: false, prior: false },
    { kernel: true, arch: false, prior: false },
    { kernel: true, arch: false, prior: true },
    ...(withArch ? [{ kernel: true, arch: true, prior: false }, { kernel: true, arch: true, prior: true }] : []),
  ];
  const learned = variants.map(({ kernel, arch, prior }) => {
    const startedAt = performance.now();
    const extrapolator = trainLearnedExtrapolator({
      curves: split.train.map((c) => c.curve),
      encodings: arch ? split.train.map((c) => c.encoding!) : undefined,
      scale: CurveScale.PERCENT,
      fractions: options.cutoffs,
      kernel,
      repeats: options.repeats ?? 1,
      seed: options.seed ?? 0,
      prior: prior ? {} : undefined,
    });
    return { label: `${extrapolator.method}${prior ? '+PRIOR' : ''}`, extrapolator, trainSeconds: (performance.now() - startedAt) / 1000 };
  });
  return [...untrained, ...calibrated, ...learned];
}

/**
 * `nashub bench lce`: forecasts the final value of held-out curves from their first `cutoff` part with each method
 * (last value, best so far, parametric ensemble, ridge, kernel ridge, and kernel ridge over curve plus architecture
 * when the file names architectures) and prints one line per (cutoff, method):
 * accuracy, ranking, interval coverage, speed, and a simulation of early stopping with the `shouldStop` rule.
 */
export function runLceBench(options: LceBenchOptions): LceBenchLine[] {
  const key = options.key ?? 'valid_acc';
  const threshold = options.stopThreshold ?? 0.05;
  const curves = encode(readCurvesFile({ path: options.curvesFile, key }), options.space ?? 'nb201');
  const results = new Map<string, Accumulator>();
  splitsOf(options, curves, key).forEach((split, splitIndex) => {
    const methods = trainMethods(split, options);
    for (const cutoff of options.cutoffs) {
      for (const { label, extrapolator, trainSeconds } of methods) {
        const id = `${cutoff}|${label}`;
        const acc = results.get(id) ?? { finals: [], medians: [], covered: 0, width: 0, ms: 0, trainSeconds: 0, outcomes: [] };
        results.set(id, acc);
        acc.trainSeconds += trainSeconds;
        const forecasts: CurveForecast[] = [];
        const finals: number[] = [];
        let cutoffEpochs = 0;
        let totalEpochs = 0;
        for (const { curve, encoding } of split.test) {
          totalEpochs = curve.length;
          cutoffEpochs = Math.min(curve.length - 1, Math.max(1, Math.round(cutoff * curve.length)));
          const partial = curve.slice(0, cutoffEpochs);
          const startedAt = performance.now();
          const forecast = extrapolator.forecast(partial, { targetEpoch: curve.length, scale: CurveScale.PERCENT, encoding: encoding ?? undefined });
          acc.ms += performance.now() - startedAt;
          const final = curve[curve.length - 1]!;
          forecasts.push(forecast);
          finals.push(final);
          acc.finals.push(final);
          acc.medians.push(forecast.q50);
          if (forecast.q05 <= final && final <= forecast.q95) acc.covered++;
          acc.width += forecast.q95 - forecast.q05;
        }
        // Every method sees the same training order of a split, so their savings compare like for like.
        const rng = createRng((options.seed ?? 0) * 7919 + splitIndex + 1);
        acc.outcomes.push(simulateEarlyStopping({ finals, forecasts, cutoffEpochs, totalEpochs, threshold, rng }));
      }
    }
  });
  return [...results.entries()].map(([id, acc]) => {
    const [cutoff, method] = id.split('|') as [string, string];
    const n = acc.finals.length;
    const used = acc.outcomes.reduce((a, o) => a + o.epochsUsed, 0);
    const total = acc.outcomes.reduce((a, o) => a + o.epochsTotal, 0);
    return {
      cutoff: Number(cutoff),
      method,
      curves: n,
      maeFinal: round(acc.finals.reduce((a, f, i) => a + Math.abs(acc.medians[i]! - f), 0) / n, 3),
      kendallTauFinal: round(kendallTau(acc.medians, acc.finals), 3),
      coverage90: round(acc.covered / n, 3),
      meanIntervalWidth: round(acc.width / n, 2),
      msPerCurve: round(acc.ms / n, 3),
      trainSeconds: round(acc.trainSeconds, 2),
      earlyStopping: {
        epochsSavedFraction: round(1 - used / total, 3),
        bestStopped: acc.outcomes.filter((o) => o.bestStopped).length,
        sequences: acc.outcomes.length,
        meanRegret: round(acc.outcomes.reduce((a, o) => a + o.regret, 0) / acc.outcomes.length, 3),
        threshold,
      },
    };
  });
}
