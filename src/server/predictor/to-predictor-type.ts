import type { Catalog } from '../../store/catalog/catalog';
import type { PredictorRow } from '../../store/predictor';
import { MetricEnum } from '../record/metric.enum';
import { PredictorKindEnum, PredictorStatusEnum, type PredictorType } from './predictor.type';

const METRIC_ENUM_BY_NAME: Record<string, MetricEnum> = {
  trainAcc: MetricEnum.TRAIN_ACC,
  validAcc: MetricEnum.VALID_ACC,
  testAcc: MetricEnum.TEST_ACC,
  trainLoss: MetricEnum.TRAIN_LOSS,
  validLoss: MetricEnum.VALID_LOSS,
  testLoss: MetricEnum.TEST_LOSS,
};

/** The GraphQL shape of a predictor row (names from the catalog). */
export function toPredictorType(row: PredictorRow, catalog: Catalog): PredictorType {
  return {
    id: String(row.id),
    space: row.space,
    dataset: catalog.datasets.find((d) => d.id === row.datasetId)?.name ?? String(row.datasetId),
    protocol: catalog.protocols.find((p) => p.id === row.protocolId)?.name ?? String(row.protocolId),
    metric: METRIC_ENUM_BY_NAME[row.metric],
    epoch: row.epoch,
    kind: row.kind as PredictorKindEnum,
    status: row.status as PredictorStatusEnum,
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
