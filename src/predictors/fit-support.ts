import { ErrorCode, NashubError, createRng } from '../core';
import type { CachedPrediction, FittedPredictor, PredictorMetrics } from '../store/predictor';
import { kendallTau } from '../predictor/metric/kendall-tau';
import { spearmanRho } from '../predictor/metric/spearman-rho';

/** Fewest records with a finite target a stored predictor is fitted on (issue 6: "fewer than 10: a clear error"). */
export const MIN_FIT_RECORDS = 10;
/** Share of the records held out to measure the stored version (at least 2 records). */
export const HELD_OUT_FRACTION = 0.2;

/** What a fitter hands back to be stored. */
export interface FitOutcome extends FittedPredictor {
  /** Predictions of the whole space, for enumerable spaces (surrogates only). */
  cache: CachedPrediction[];
}

/** Reports a phase and the fraction done. */
export type FitProgress = (phase: string, fraction: number) => Promise<void>;

/** A seeded split of record indices into held-out and training parts (training sorted, for a stable hash). */
export function splitHeldOut(
  count: number,
  seed: number,
  trainSize: number | null,
): { held: number[]; train: number[] } {
  const order = Array.from({ length: count }, (_, i) => i);
  shuffle(order, createRng(seed));
  // With a training-set size, hold out a quarter of it on top (20% of the pool), so the fit sees exactly trainSize.
  const heldCount =
    trainSize !== null ? Math.max(2, Math.round(trainSize / 4)) : Math.max(2, Math.round(count * HELD_OUT_FRACTION));
  const pool = trainSize !== null ? order.slice(0, trainSize + heldCount) : order;
  return { held: pool.slice(0, heldCount), train: pool.slice(heldCount).sort((a, b) => a - b) };
}

/** INVALID_ARGUMENT when fewer than {@link MIN_FIT_RECORDS} remain to fit on. */
export function requireRecords(train: number, held: number, found: number, skipped: number, what: string): void {
  if (train >= MIN_FIT_RECORDS) return;
  throw new NashubError(
    ErrorCode.INVALID_ARGUMENT,
    `fitting needs at least ${MIN_FIT_RECORDS} ${what} besides the ${held} held out, found ${found} (${skipped} skipped for a missing or NaN value)`,
    {
      details: { minRecords: MIN_FIT_RECORDS, records: found, skipped },
    },
  );
}

/** Held-out quality of predictions. */
export function heldOutMetrics(mean: number[], std: number[], truth: number[]): PredictorMetrics {
  const errors = mean.map((m, i) => Math.abs(m - truth[i]));
  const informative = std.some((s) => s > 0);
  return {
    kendallTau: finiteOr(kendallTau(mean, truth), 0),
    spearman: finiteOr(spearmanRho(mean, truth), 0),
    mae: errors.reduce((a, b) => a + b, 0) / errors.length,
    stdErrorSpearman: informative ? finiteOr(spearmanRho(errors, std), 0) : null,
    coverage90: informative ? errors.filter((e, i) => e <= 1.645 * std[i]).length / errors.length : null,
    heldOut: truth.length,
  };
}

function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}

function shuffle(values: number[], rng: ReturnType<typeof createRng>): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
}
