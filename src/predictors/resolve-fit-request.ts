import type { EntityManager } from 'typeorm';
import { ErrorCode, METRICS, NashubError, getSpace, isMetricName, echoName } from '../core';
import { resolveRecordTarget, storeCatalog } from '../catalog';
import type { NewPredictor } from '../store/predictor';
import { MIN_FIT_RECORDS } from './fit-support';
import { StoredPredictorKind } from './stored-predictor-kind';

/** What a user asks to fit, by name. */
export interface FitRequest {
  space: string;
  dataset: string;
  /** Default: the dataset's full-budget protocol among those with records in the space (as the API's records use). */
  protocol?: string | null;
  metric: string;
  /** Default (or the protocol's last epoch): the final value. */
  epoch?: number | null;
  /** A surrogate kind (MLP, GNN, ENSEMBLE, SEMI, LINEAR), or LCE: a learning-curve extrapolator from the stored curves. */
  kind: string;
  /** Fit on a seeded random subset of this many records (plus the 20% held out), e.g. to reproduce a benchmark size. */
  trainSize?: number | null;
  seed?: number | null;
}

/** Validates a fit request against the catalog: typed errors for unknown names and bad numbers. */
export async function resolveFitRequest(
  manager: EntityManager,
  request: FitRequest,
  nashubVersion: string,
): Promise<Omit<NewPredictor, 'jobId'>> {
  getSpace(request.space);
  const kinds: string[] = Object.values(StoredPredictorKind);
  if (!kinds.includes(request.kind)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `unknown predictor kind "${echoName(request.kind)}"; known: ${kinds.join(', ')}`,
      { details: { argument: 'kind', kind: echoName(request.kind) } },
    );
  }
  if (!isMetricName(request.metric)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `unknown metric "${echoName(request.metric)}"; known: ${METRICS.join(', ')}`,
      { details: { argument: 'metric', metric: echoName(request.metric) } },
    );
  }
  const { dataset, protocol, epoch } = await resolveRecordTarget(storeCatalog(manager), {
    space: request.space,
    dataset: request.dataset,
    protocol: request.protocol,
    epoch: request.epoch,
  });
  const trainSize = request.trainSize ?? null;
  if (trainSize !== null && (!Number.isInteger(trainSize) || trainSize < MIN_FIT_RECORDS)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `trainSize must be an integer ≥ ${MIN_FIT_RECORDS}, got ${trainSize}`,
      { details: { argument: 'trainSize' } },
    );
  }
  const seed = request.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, `seed must be an integer in 0..2^31-1, got ${seed}`, {
      details: { argument: 'seed' },
    });
  return {
    space: request.space,
    datasetId: dataset.id,
    protocolId: protocol.id,
    metric: request.metric,
    epoch: epoch === protocol.epochs ? null : epoch,
    kind: request.kind,
    hyperparameters: trainSize !== null ? { trainSize } : {},
    seed,
    nashubVersion,
  };
}
