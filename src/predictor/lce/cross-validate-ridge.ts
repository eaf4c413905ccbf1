import { fitRidgeModel, type KernelSettings } from './ridge-model';

/** Options of {@link crossValidateRidge}. */
export interface CrossValidateRidgeOptions {
  /** One feature row per example. */
  rows: readonly Float64Array[];
  /** Columns the linear part uses (see {@link fitRidgeModel}). */
  linearColumns: number;
  /** One target per row. */
  targets: readonly number[];
  /** Fold of each row, 0..folds−1. */
  fold: readonly number[];
  /** Linear ridge penalty. */
  penalty: number;
  /** Kernel correction, or null. */
  kernel: KernelSettings | null;
  /** Rows to predict (default all); the others only train, e.g. synthetic curves whose error does not matter. */
  predicted?: readonly boolean[];
}

/** Out-of-fold predictions: each row predicted by a model fitted without its fold (NaN for rows not `predicted`). */
export function crossValidateRidge(options: CrossValidateRidgeOptions): number[] {
  const predictions = new Array<number>(options.rows.length).fill(Number.NaN);
  const folds = new Set(options.fold);
  for (const f of folds) {
    const train = options.rows.flatMap((_, i) => (options.fold[i] === f ? [] : [i]));
    const model = fitRidgeModel({
      rows: train.map((i) => options.rows[i]!),
      targets: train.map((i) => options.targets[i]!),
      linearColumns: options.linearColumns,
      penalty: options.penalty,
      kernel: options.kernel,
    });
    options.rows.forEach((row, i) => {
      if (options.fold[i] === f && (options.predicted?.[i] ?? true)) predictions[i] = model.predict(row);
    });
  }
  return predictions;
}
