import { performance } from 'node:perf_hooks';
import { createRng, getSpace, type SearchSpace } from '../core';
import { selectBackend } from '../predictor/backend/select-backend';
import { kendallTau } from '../predictor/metric/kendall-tau';
import { precisionAtTop } from '../predictor/metric/precision-at-top';
import { spearmanRho } from '../predictor/metric/spearman-rho';
import { createPredictor, type CreatePredictorOptions } from '../predictor/surrogate/create-predictor';
import { PredictorKind } from '../predictor/surrogate/predictor';
import { unlabelledArchitectures } from '../predictor/surrogate/unlabelled-architectures';
import { readTargetTable, type TargetTable } from './read-target-table';

/** Options of {@link runPredictorBench}. */
export interface PredictorBenchOptions {
  /** Search space name (`nb201`). */
  space: string;
  /** CSV file of architectures and targets. */
  dataFile: string;
  /** Column of architecture texts. */
  archColumn: string;
  /** Column of the target. */
  targetColumn: string;
  /** Predictor kind (MLP, GNN, ENSEMBLE, SEMI, LINEAR). */
  kind: string;
  /** Training-set sizes. */
  trainSizes: readonly number[];
  /** Seeds per size: 0 … seeds-1. */
  seeds: number;
  /** Weight of the pairwise ranking loss (default: the predictor's). */
  rankingWeight?: number;
  /** Encoding of MLP / ENSEMBLE members (default: the predictor's). */
  encoding?: 'onehot' | 'path';
  /** Further createPredictor options (ensemble resampling, std, SEMI's unlabelled count); defaults: the predictor's. */
  tuning?: PredictorTuning;
}

/** The createPredictor options `bench predictor --predictor-options` may set. */
export type PredictorTuning = Partial<
  Pick<
    CreatePredictorOptions,
    | 'members'
    | 'steps'
    | 'resample'
    | 'isotonic'
    | 'uncertainty'
    | 'unlabelled'
    | 'pseudoPerLabelled'
    | 'pretrainSteps'
    | 'autoencoderSteps'
  >
>;

/** Mean and standard deviation over seeds. */
export interface SeedSummary {
  /** Mean over seeds. */
  mean: number;
  /** Sample standard deviation over seeds (0 for one seed). */
  std: number;
}

/** Held-out quality of one kind at one training size. */
export interface PredictorBenchSize {
  /** Training records. */
  trainSize: number;
  /** Kendall τ-b on the held-out records. */
  tau: SeedSummary;
  /** Spearman ρ on the held-out records. */
  rho: SeedSummary;
  /** Mean absolute error, in the target's units. */
  mae: SeedSummary;
  /** Share of the true top 1 % among the predicted top 1 %. */
  precisionTop1: SeedSummary;
  /** Seconds to fit. */
  fitSeconds: SeedSummary;
  /** Seconds to predict all held-out records. */
  predictAllSeconds: SeedSummary;
  /** Spearman ρ between |error| and predicted std: whether the std means something (null where std is constant, as 0 for single models). */
  stdErrorRho: SeedSummary;
  /** Share of held-out records with |error| ≤ std (about 0.68 for a calibrated normal σ; 0 where std is 0). */
  withinStd: SeedSummary;
}

/** The JSON object `nashub bench predictor` prints. */
export interface PredictorBenchResult {
  space: string;
  target: string;
  kind: string;
  backend: string;
  records: number;
  skippedRecords: number;
  seeds: number;
  /** The --predictor-options given (empty: the predictor's defaults). */
  tuning: PredictorTuning;
  sizes: PredictorBenchSize[];
  baselines: { linear: PredictorBenchSize[]; paramsTau: number };
}

/** For each size and seed: fit on N uniformly drawn records, predict the rest, score; plus LINEAR and params baselines. */
export async function runPredictorBench(options: PredictorBenchOptions): Promise<PredictorBenchResult> {
  const { backend } = await selectBackend();
  const space = getSpace(options.space);
  const table = readTargetTable({
    file: options.dataFile,
    space,
    archColumn: options.archColumn,
    targetColumn: options.targetColumn,
  });
  const run = async (kind: string): Promise<PredictorBenchSize[]> => {
    const sizes: PredictorBenchSize[] = [];
    for (const trainSize of options.trainSizes) {
      sizes.push(
        await benchSize({
          space,
          table,
          kind,
          trainSize,
          seeds: options.seeds,
          rankingWeight: options.rankingWeight,
          encoding: options.encoding,
          tuning: options.tuning,
        }),
      );
    }
    return sizes;
  };
  const sizes = await run(options.kind);
  const linear = options.kind === PredictorKind.LINEAR ? sizes : await run(PredictorKind.LINEAR);
  const params = table.archs.map((a) => space.cost(a).paramsM);
  return {
    space: space.name,
    target: options.targetColumn,
    kind: options.kind,
    backend,
    records: table.archs.length,
    skippedRecords: table.skipped,
    seeds: options.seeds,
    tuning: options.tuning ?? {},
    sizes,
    baselines: { linear, paramsTau: round(kendallTau(params, table.targets)) },
  };
}

interface BenchSizeOptions {
  space: SearchSpace;
  table: TargetTable;
  kind: string;
  trainSize: number;
  seeds: number;
  rankingWeight?: number;
  encoding?: 'onehot' | 'path';
  tuning?: PredictorTuning;
}

async function benchSize(options: BenchSizeOptions): Promise<PredictorBenchSize> {
  const { table, space } = options;
  const metrics: Record<string, number[]> = {
    tau: [],
    rho: [],
    mae: [],
    precisionTop1: [],
    fitSeconds: [],
    predictAllSeconds: [],
    stdErrorRho: [],
    withinStd: [],
  };
  for (let seed = 0; seed < options.seeds; seed++) {
    const order = shuffled(table.archs.length, seed);
    const train = order.slice(0, options.trainSize);
    const held = order.slice(options.trainSize);
    const predictor = createPredictor({
      ...options.tuning,
      kind: options.kind,
      space,
      rankingWeight: options.rankingWeight,
      encoding: options.encoding,
    });
    try {
      // Drawing the unlabelled architectures is the caller's work (as for `nashub fit`), so it is not timed.
      const unlabelled =
        predictor.dataNeeds.unlabelled > 0
          ? unlabelledArchitectures({ space, count: predictor.dataNeeds.unlabelled, seed })
          : undefined;
      const fitStart = performance.now();
      await predictor.fit(
        { space: space.name, archs: train.map((i) => table.archs[i]) },
        train.map((i) => table.targets[i]!),
        { seed, unlabelled },
      );
      const predictStart = performance.now();
      const prediction = predictor.predict({ space: space.name, archs: held.map((i) => table.archs[i]) });
      const end = performance.now();
      const actual = held.map((i) => table.targets[i]!);
      const errors = actual.map((y, i) => Math.abs(y - prediction.mean[i]!));
      metrics.tau!.push(kendallTau(Array.from(prediction.mean), actual));
      metrics.rho!.push(spearmanRho(prediction.mean, actual));
      metrics.mae!.push(errors.reduce((s, e) => s + e, 0) / errors.length);
      metrics.precisionTop1!.push(precisionAtTop(prediction.mean, actual, 0.01));
      metrics.fitSeconds!.push((predictStart - fitStart) / 1000);
      metrics.predictAllSeconds!.push((end - predictStart) / 1000);
      metrics.stdErrorRho!.push(spearmanRho(prediction.std, errors));
      metrics.withinStd!.push(errors.filter((e, i) => e <= prediction.std[i]!).length / errors.length);
    } finally {
      predictor.dispose();
    }
  }
  const s = (name: string): SeedSummary => summarise(metrics[name]!);
  return {
    trainSize: options.trainSize,
    tau: s('tau'),
    rho: s('rho'),
    mae: s('mae'),
    precisionTop1: s('precisionTop1'),
    fitSeconds: s('fitSeconds'),
    predictAllSeconds: s('predictAllSeconds'),
    stdErrorRho: s('stdErrorRho'),
    withinStd: s('withinStd'),
  };
}

function shuffled(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function summarise(values: readonly number[]): SeedSummary {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean: round(mean), std: round(Math.sqrt(variance)) };
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
