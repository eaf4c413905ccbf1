import type { Logger } from 'pino';
import { isNashubError } from '../core';
import { CurveScale, shouldStop, type Extrapolator } from '../predictor/lce';
import type { EarlyStopping } from '../trainer/protocol/training-protocol';

/** Options of {@link decideEarlyStop}. */
export interface DecideEarlyStopOptions {
  /** The protocol's rule. */
  rule: EarlyStopping;
  /** Validation accuracy (percent) of epochs 1..n so far. */
  validAcc: readonly number[];
  totalEpochs: number;
  /** Best final validation accuracy of COMPLETE runs of the same (space, dataset, protocol); null before any. */
  bestFinalSoFar: number | null;
  /** The forecaster: the target's stored LCE model when one is fitted (see the handler), else the parametric ensemble. */
  extrapolator?: Extrapolator;
  logger: Logger;
}

/**
 * Whether to stop a run after its latest epoch: never before `minEpochFraction` of the epochs, nor at the last epoch,
 * nor without a best run to beat; otherwise the LCE rule (`shouldStop`: P(final > best) < threshold). A curve the
 * extrapolator refuses (too short, out of range) is logged and training goes on.
 */
export function decideEarlyStop(options: DecideEarlyStopOptions): {
  stop: boolean;
  probabilityOfImprovement: number | null;
} {
  const n = options.validAcc.length;
  if (
    options.bestFinalSoFar === null ||
    n >= options.totalEpochs ||
    n < Math.ceil(options.rule.minEpochFraction * options.totalEpochs)
  ) {
    return { stop: false, probabilityOfImprovement: null };
  }
  try {
    const decision = shouldStop(options.validAcc, options.bestFinalSoFar, options.rule.threshold, {
      targetEpoch: options.totalEpochs,
      scale: CurveScale.PERCENT,
      extrapolator: options.extrapolator,
    });
    return { stop: decision.stop, probabilityOfImprovement: decision.probabilityOfImprovement };
  } catch (error) {
    if (!isNashubError(error)) throw error;
    options.logger.warn({ err: error, epochs: n }, 'early stopping skipped: the extrapolator refused the curve');
    return { stop: false, probabilityOfImprovement: null };
  }
}
