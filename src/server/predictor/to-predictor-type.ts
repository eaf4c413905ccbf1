import type { Catalog } from '../../store/catalog/catalog';
import type { PredictorRow } from '../../store/predictor';
import type { MetricName } from '../../core';
import type { StoredPredictorKindValue } from '../../predictors/stored-predictor-kind';
import type { PredictorType } from './predictor.type';

/** The GraphQL shape of a predictor row (names from the catalog). */
export function toPredictorType(row: PredictorRow, catalog: Catalog): PredictorType {
  return {
    id: String(row.id),
    space: row.space,
    dataset: catalog.datasets.find((d) => d.id === row.datasetId)?.name ?? String(row.datasetId),
    protocol: catalog.protocols.find((p) => p.id === row.protocolId)?.name ?? String(row.protocolId),
    metric: row.metric as MetricName,
    epoch: row.epoch,
    kind: row.kind as StoredPredictorKindValue,
    status: row.status,
    isStale: row.status === 'STALE',
    progress: row.progress,
    trainSize: row.trainSize,
    skippedTargets: row.skippedTargets,
    seed: row.seed,
    metrics: row.metrics,
    error: row.error,
    nashubVersion: row.nashubVersion,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}
