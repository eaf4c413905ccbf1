import { createRng, ErrorCode, getSpace, NashubError } from '../core';
import {
  assignFolds,
  createBestSoFarExtrapolator,
  createLastValueExtrapolator,
  conformalizeExtrapolator,
  createParametricEnsemble,
  CurveScale,
  ExtrapolationMethod,
  trainLearnedExtrapolator,
  type CurveForecast,
  type ForecastOptions,
  type SurrogatePrior,
} from '../predictor/lce';
import { fitSurrogatePriors } from './fit-surrogate-priors';
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
  /** Run only these methods (labels without their `(n=…)` suffix, e.g. KERNEL_RIDGE_ARCH, KERNEL_RIDGE_SURROGATE); default all. */
  methods?: readonly string[];
  /** Also run curve + surrogate (KERNEL_RIDGE_SURROGATE) with priors from an architecture surrogate fitted on a summary table. */
  surrogate?: LceSurrogateOptions;
}

/** The architecture surrogate whose predictions are the curves' priors in {@link LceBenchOptions.surrogate}. */
export interface LceSurrogateOptions {
  /** CSV of architectures and final values (e.g. nb201_summary.csv); the curves' architectures and their isomorphs are left out of training. */
  dataFile: string;
  /** Column of the final value, in the curves' scale (e.g. `cifar10_valid_acc`). */
  targetColumn: string;
  /** Column of the architecture strings (default `arch_str`). */
  archColumn?: string;
  /** Surrogate kind (default ENSEMBLE). */
  kind?: string;
  /** Leave out the architectures isomorphic to a curve's too, not only the curves' own (default true). */
  excludeIsomorphs?: boolean;
  /** Training-set sizes, one surrogate each (null: every row left after the exclusions). */
  trainSizes: readonly (number | null)[];
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
  earlyStopping: {
    epochsSavedFraction: number;
    bestStopped: number;
    sequences: number;
    meanRegret: number;
    threshold: number;
  };
}

/** A curve with the one-hot encoding of its architecture, when the file names one, and its priors by surrogate label. */
interface BenchCurve {
  curve: number[];
  /** The run's training-accuracy curve (`train_acc`), when the file has one. */
  train: number[] | null;
  arch: string | null;
  encoding: number[] | null;
  priors: Map<string, SurrogatePrior>;
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
    return {
      curve: r.curve,
      train: r.train,
      arch: r.arch,
      encoding: encoding && 'vector' in encoding ? [...encoding.vector] : null,
      priors: new Map(),
    };
  });
}

/** At most `max` of the curves, a seeded subset in their original order (all of them without `max`). */
function subset(curves: BenchCurve[], max: number | undefined, seed: number): BenchCurve[] {
  if (max === undefined || max >= curves.length) return curves;
  const keep = new Set(
    assignFolds(curves.length, curves.length, createRng(seed)).flatMap((position, i) => (position < max ? [i] : [])),
  );
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
  forecast: (curve: readonly number[], options: ForecastOptions) => CurveForecast;
  trainSeconds: number;
  /** Label of the surrogate whose priors the forecasts take, or null. */
  surrogate: string | null;
}

/** A learned variant of the bench: its label and its training options. */
interface LearnedVariant {
  label: string;
  trainCurve: boolean;
  kernel: boolean;
  arch: boolean;
  prior: boolean;
  surrogate: string | null;
}

function learnedVariants(withArch: boolean, withTrain: boolean, surrogates: readonly string[]): LearnedVariant[] {
  const plain = { prior: false, surrogate: null, trainCurve: false };
  return [
    { label: 'RIDGE', kernel: false, arch: false, ...plain },
    { label: 'KERNEL_RIDGE', kernel: true, arch: false, ...plain },
    { label: 'KERNEL_RIDGE+PRIOR', kernel: true, arch: false, ...plain, prior: true },
    ...(withArch
      ? [
          { label: 'KERNEL_RIDGE_ARCH', kernel: true, arch: true, ...plain },
          { label: 'KERNEL_RIDGE_ARCH+PRIOR', kernel: true, arch: true, ...plain, prior: true },
        ]
      : []),
    ...(withTrain ? [{ label: 'KERNEL_RIDGE+TRAIN', kernel: true, arch: false, ...plain, trainCurve: true }] : []),
    ...(withTrain && withArch
      ? [{ label: 'KERNEL_RIDGE_ARCH+TRAIN', kernel: true, arch: true, ...plain, trainCurve: true }]
      : []),
    ...surrogates.flatMap((surrogate) => [
      { label: `KERNEL_RIDGE_SURROGATE(${surrogate})`, kernel: true, arch: false, ...plain, surrogate },
      ...(withArch
        ? [{ label: `KERNEL_RIDGE_SURROGATE+ARCH(${surrogate})`, kernel: true, arch: true, ...plain, surrogate }]
        : []),
      ...(withTrain
        ? [
            {
              label: `KERNEL_RIDGE_SURROGATE+TRAIN(${surrogate})`,
              kernel: true,
              arch: false,
              ...plain,
              surrogate,
              trainCurve: true,
            },
          ]
        : []),
    ]),
  ];
}

/** The surrogate alone: its mean as the median, mean ± 1.645 std as the 90% interval (a normal), whatever the curve. */
function surrogateOnly(surrogate: string): BenchMethod {
  return {
    label: `SURROGATE(${surrogate})`,
    surrogate,
    trainSeconds: 0,
    forecast: (_curve, options) => {
      const { mean, std } = options.prior!;
      return {
        mean,
        q05: mean - 1.645 * std,
        q50: mean,
        q95: mean + 1.645 * std,
        method: ExtrapolationMethod.KERNEL_RIDGE_SURROGATE,
      };
    },
  };
}

/** Whether a method label is asked for: by `methods`, compared without its `(n=…)` suffix. */
const wanted = (label: string, methods: readonly string[] | undefined): boolean =>
  methods === undefined || methods.includes(label.replace(/\(.*\)$/, ''));

function trainMethods(split: Split, options: LceBenchOptions, surrogates: readonly string[]): BenchMethod[] {
  const bases = [createLastValueExtrapolator(), createBestSoFarExtrapolator(), createParametricEnsemble()];
  const untrained = bases.map((e) => ({
    label: e.method as string,
    forecast: (c: readonly number[], o: ForecastOptions) => e.forecast(c, o),
    trainSeconds: 0,
    surrogate: null,
  }));
  // The same methods with their interval recalibrated by split conformal prediction on the training curves.
  const calibrated = bases.flatMap((base) => {
    if (!wanted(`${base.method}+CONFORMAL`, options.methods)) return [];
    const startedAt = performance.now();
    const extrapolator = conformalizeExtrapolator({
      base,
      curves: split.train.map((c) => c.curve),
      scale: CurveScale.PERCENT,
      fractions: options.cutoffs,
    });
    return [
      {
        label: `${base.method}+CONFORMAL`,
        forecast: (c: readonly number[], o: ForecastOptions) => extrapolator.forecast(c, o),
        trainSeconds: (performance.now() - startedAt) / 1000,
        surrogate: null,
      },
    ];
  });
  const withArch = [...split.train, ...split.test].every((c) => c.encoding !== null);
  const withTrain = [...split.train, ...split.test].every((c) => c.train !== null);
  const learned = learnedVariants(withArch, withTrain, surrogates)
    .filter((v) => wanted(v.label, options.methods))
    .map(({ label, kernel, arch, prior, surrogate, trainCurve }) => {
      const startedAt = performance.now();
      const extrapolator = trainLearnedExtrapolator({
        curves: split.train.map((c) => c.curve),
        encodings: arch ? split.train.map((c) => c.encoding!) : undefined,
        priors: surrogate === null ? undefined : split.train.map((c) => c.priors.get(surrogate)!),
        scale: CurveScale.PERCENT,
        fractions: options.cutoffs,
        kernel,
        repeats: options.repeats ?? 1,
        seed: options.seed ?? 0,
        prior: prior ? {} : undefined,
        trainCurves: trainCurve ? split.train.map((c) => c.train!) : undefined,
      });
      return {
        label,
        forecast: (c: readonly number[], o: ForecastOptions) => extrapolator.forecast(c, o),
        trainSeconds: (performance.now() - startedAt) / 1000,
        surrogate,
      };
    });
  return [
    ...untrained.filter((m) => wanted(m.label, options.methods)),
    ...calibrated,
    ...surrogates.map(surrogateOnly).filter((m) => wanted(m.label, options.methods)),
    ...learned,
  ];
}

/** Fits one surrogate per training size on the summary table and stores its priors on the curves; returns their labels. */
async function attachPriors(curves: readonly BenchCurve[], options: LceBenchOptions): Promise<string[]> {
  const surrogate = options.surrogate;
  if (!surrogate) return [];
  const labels: string[] = [];
  for (const trainSize of surrogate.trainSizes) {
    const fit = await fitSurrogatePriors({
      ...surrogate,
      space: options.space ?? 'nb201',
      trainSize,
      archs: curves.map((c) => c.arch!),
      seed: options.seed ?? 0,
    });
    const label = `n=${fit.trainSize}`;
    curves.forEach((c, i) => c.priors.set(label, fit.priors[i]!));
    labels.push(label);
    process.stderr.write(
      `${JSON.stringify({ surrogate: { kind: surrogate.kind ?? 'ENSEMBLE', target: surrogate.targetColumn, trainSize: fit.trainSize, excluded: fit.excluded, excludeIsomorphs: surrogate.excludeIsomorphs ?? true, fitSeconds: round(fit.fitSeconds, 1) } })}\n`,
    );
  }
  return labels;
}

/**
 * `nashub bench lce`: forecasts the final value of held-out curves from their first `cutoff` part with each method
 * (last value, best so far, parametric ensemble, ridge, kernel ridge, kernel ridge over curve plus architecture when
 * the file names architectures, and with `surrogate` the surrogate alone and curve plus surrogate) and prints one line
 * per (cutoff, method): accuracy, ranking, interval coverage, speed, and a simulation of early stopping with the
 * `shouldStop` rule.
 */
export async function runLceBench(options: LceBenchOptions): Promise<LceBenchLine[]> {
  const key = options.key ?? 'valid_acc';
  const threshold = options.stopThreshold ?? 0.05;
  const curves = encode(readCurvesFile({ path: options.curvesFile, key }), options.space ?? 'nb201');
  const results = new Map<string, Accumulator>();
  const splits = splitsOf(options, curves, key);
  const everyCurve = [...new Set(splits.flatMap((split) => [...split.train, ...split.test]))];
  if (options.surrogate && everyCurve.some((c) => c.arch === null)) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'the surrogate needs an arch_str on every curve', {
      details: { argument: 'surrogate' },
    });
  }
  const surrogates = await attachPriors(everyCurve, options);
  splits.forEach((split, splitIndex) => {
    const methods = trainMethods(split, options, surrogates);
    for (const cutoff of options.cutoffs) {
      for (const { label, forecast, trainSeconds, surrogate } of methods) {
        const id = `${cutoff}|${label}`;
        const acc = results.get(id) ?? {
          finals: [],
          medians: [],
          covered: 0,
          width: 0,
          ms: 0,
          trainSeconds: 0,
          outcomes: [],
        };
        results.set(id, acc);
        acc.trainSeconds += trainSeconds;
        const forecasts: CurveForecast[] = [];
        const finals: number[] = [];
        let cutoffEpochs = 0;
        let totalEpochs = 0;
        for (const { curve, encoding, priors, train } of split.test) {
          totalEpochs = curve.length;
          cutoffEpochs = Math.min(curve.length - 1, Math.max(1, Math.round(cutoff * curve.length)));
          const partial = curve.slice(0, cutoffEpochs);
          const startedAt = performance.now();
          const result = forecast(partial, {
            targetEpoch: curve.length,
            scale: CurveScale.PERCENT,
            encoding: encoding ?? undefined,
            prior: surrogate === null ? undefined : priors.get(surrogate),
            trainCurve: train ?? undefined,
          });
          acc.ms += performance.now() - startedAt;
          const final = curve[curve.length - 1]!;
          forecasts.push(result);
          finals.push(final);
          acc.finals.push(final);
          acc.medians.push(result.q50);
          if (result.q05 <= final && final <= result.q95) acc.covered++;
          acc.width += result.q95 - result.q05;
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
