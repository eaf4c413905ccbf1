import type { Rng } from '../../../core';
import { gaussianDraw } from '../../../predictor/lce/math/gaussian-draw';
import type { GaussianProcessPrediction } from './gaussian-process';

/** How a predictor-guided strategy turns a prediction's mean and std into one score to maximise. */
export const Acquisition = {
  /** Independent Thompson sampling (BANANAS' `its`): one draw from N(mean, std²) per candidate. */
  THOMPSON: 'THOMPSON',
  /** Upper confidence bound: mean + beta·std. */
  UCB: 'UCB',
  /** The predicted mean alone (pure exploitation; NPENAS-NP's ranking). */
  MEAN: 'MEAN',
} as const;

/** One of {@link Acquisition}'s values. */
export type AcquisitionValue = (typeof Acquisition)[keyof typeof Acquisition];

/** Scores of each candidate under `acquisition` (THOMPSON draws from `rng`, one draw per candidate in order). */
export function acquisitionScores(
  prediction: GaussianProcessPrediction,
  acquisition: AcquisitionValue,
  beta: number,
  rng: Rng,
): Float64Array {
  const { mean, std } = prediction;
  switch (acquisition) {
    case Acquisition.THOMPSON:
      return mean.map((m, i) => m + std[i]! * gaussianDraw(rng));
    case Acquisition.UCB:
      return mean.map((m, i) => m + beta * std[i]!);
    case Acquisition.MEAN:
      return Float64Array.from(mean);
  }
}
