import type { TrainingJobStatusValue } from './training-job-status';

/** A training job with the names of what it trains. */
export interface TrainingJobRow {
  id: string;
  architectureId: number;
  space: string;
  hash: string;
  arch: string;
  datasetId: number;
  dataset: string;
  protocolId: number;
  protocol: string;
  seed: number;
  priority: number;
  status: TrainingJobStatusValue;
  runId: number | null;
  epochsDone: number;
  totalEpochs: number;
  /** Whether a checkpoint is stored (the bytes are read only by the worker, {@link loadTrainingCheckpoint}). */
  hasCheckpoint: boolean;
  attempts: number;
  backend: string | null;
  device: string | null;
  /** The claim that owns a RUNNING job: host, pid and a random token. */
  worker: string | null;
  error: string | null;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** Columns of {@link TrainingJobRow}, for `SELECT … FROM training_job j` joined with architecture a, dataset d, protocol p. */
export const TRAINING_JOB_SELECT = `
  SELECT j.id, j.architecture_id, a.space, a.hash, a.arch, j.dataset_id, d.name AS dataset, j.protocol_id, p.name AS protocol,
         j.seed, j.priority, j.status, j.run_id, j.epochs_done, j.total_epochs, j.checkpoint IS NOT NULL AS has_checkpoint,
         j.attempts, j.backend, j.device, j.worker, j.error, j.requested_by, j.created_at, j.started_at, j.updated_at, j.finished_at
    FROM training_job j
    JOIN architecture a ON a.id = j.architecture_id
    JOIN dataset d ON d.id = j.dataset_id
    JOIN protocol p ON p.id = j.protocol_id`;

/** Maps a row of {@link TRAINING_JOB_SELECT}. */
export function toTrainingJobRow(r: Record<string, unknown>): TrainingJobRow {
  return {
    id: r.id as string,
    architectureId: r.architecture_id as number,
    space: r.space as string,
    hash: r.hash as string,
    arch: r.arch as string,
    datasetId: r.dataset_id as number,
    dataset: r.dataset as string,
    protocolId: r.protocol_id as number,
    protocol: r.protocol as string,
    seed: r.seed as number,
    priority: r.priority as number,
    status: r.status as TrainingJobStatusValue,
    runId: (r.run_id as number | null) ?? null,
    epochsDone: r.epochs_done as number,
    totalEpochs: r.total_epochs as number,
    hasCheckpoint: Boolean(r.has_checkpoint),
    attempts: r.attempts as number,
    backend: (r.backend as string | null) ?? null,
    device: (r.device as string | null) ?? null,
    worker: (r.worker as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    requestedBy: (r.requested_by as string | null) ?? null,
    createdAt: toDate(r.created_at)!,
    startedAt: toDate(r.started_at),
    updatedAt: toDate(r.updated_at)!,
    finishedAt: toDate(r.finished_at),
  };
}

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}
