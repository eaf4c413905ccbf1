import { PredictorStatus, type PredictorMetrics, type PredictorStatusValue } from '../entity/predictor.entity';

export { PredictorStatus, type PredictorMetrics, type PredictorStatusValue };

/** A predictor row without its weights. */
export interface PredictorRow {
  id: number;
  space: string;
  datasetId: number;
  protocolId: number;
  metric: string;
  /** null: the protocol's last epoch. */
  epoch: number | null;
  kind: string;
  hyperparameters: Record<string, unknown>;
  seed: number;
  trainSize: number | null;
  trainSetSha256: string | null;
  skippedTargets: number;
  metrics: PredictorMetrics | null;
  status: PredictorStatusValue;
  progress: number;
  error: string | null;
  jobId: string | null;
  nashubVersion: string;
  createdAt: Date;
  finishedAt: Date | null;
}

export const PREDICTOR_COLUMNS = `id, space, dataset_id, protocol_id, metric, epoch, kind, hyperparameters, seed, train_size, train_set_sha256,
  skipped_targets, metrics, status, progress, error, job_id, nashub_version, created_at, finished_at`;

/** Maps a raw `SELECT ${PREDICTOR_COLUMNS}` row. */
export function toPredictorRow(r: Record<string, unknown>): PredictorRow {
  return {
    id: r.id as number,
    space: r.space as string,
    datasetId: r.dataset_id as number,
    protocolId: r.protocol_id as number,
    metric: r.metric as string,
    epoch: (r.epoch as number | null) ?? null,
    kind: r.kind as string,
    hyperparameters: (r.hyperparameters as Record<string, unknown>) ?? {},
    seed: r.seed as number,
    trainSize: (r.train_size as number | null) ?? null,
    trainSetSha256: (r.train_set_sha256 as string | null) ?? null,
    skippedTargets: r.skipped_targets as number,
    metrics: (r.metrics as PredictorMetrics | null) ?? null,
    status: r.status as PredictorStatusValue,
    progress: Number(r.progress),
    error: (r.error as string | null) ?? null,
    jobId: (r.job_id as string | null) ?? null,
    nashubVersion: r.nashub_version as string,
    createdAt: new Date(r.created_at as string),
    finishedAt: r.finished_at ? new Date(r.finished_at as string) : null,
  };
}
