import type { Rng } from '../core';
import type { CurveForecast } from '../predictor/lce';
import { probabilityAbove } from '../predictor/lce';

/** Options of {@link simulateEarlyStopping}. */
export interface EarlyStoppingSimulationOptions {
  /** True final value of each run. */
  finals: readonly number[];
  /** Forecast of each run (same index) from its partial curve at the cutoff. */
  forecasts: readonly CurveForecast[];
  /** Epochs observed at the cutoff. */
  cutoffEpochs: number;
  /** Epochs of a complete run. */
  totalEpochs: number;
  /** Stop when P(final > best so far) < threshold, as `shouldStop` does. */
  threshold: number;
  /** Order in which the runs are trained. */
  rng: Rng;
}

/** What happened in one simulated sequence of runs. */
export interface EarlyStoppingOutcome {
  /** Epochs trained. */
  epochsUsed: number;
  /** Epochs of training every run to the end. */
  epochsTotal: number;
  /** Whether the run with the best true final was stopped. */
  bestStopped: boolean;
  /** True best final minus the best final among runs trained to the end. */
  regret: number;
}

/**
 * Trains the runs one after another in a seeded order; each is checked once at the cutoff with the rule of
 * `shouldStop` against the best final of the runs completed so far, and either stopped there or trained to the end.
 */
export function simulateEarlyStopping(options: EarlyStoppingSimulationOptions): EarlyStoppingOutcome {
  const order = options.finals.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = options.rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const trueBest = order.reduce((a, i) => (options.finals[i]! > options.finals[a]! ? i : a), order[0]!);
  let best: number | null = null;
  let epochsUsed = 0;
  let bestStopped = false;
  for (const i of order) {
    const stop = best !== null && probabilityAbove(options.forecasts[i]!, best) < options.threshold;
    if (stop) {
      epochsUsed += options.cutoffEpochs;
      if (i === trueBest) bestStopped = true;
    } else {
      epochsUsed += options.totalEpochs;
      best = best === null ? options.finals[i]! : Math.max(best, options.finals[i]!);
    }
  }
  return {
    epochsUsed,
    epochsTotal: options.totalEpochs * order.length,
    bestStopped,
    regret: options.finals[trueBest]! - (best ?? 0),
  };
}
