import type { EntityManager } from 'typeorm';
import { TrainingJobEntity } from '../entity/training-job.entity';
import { entityColumns } from '../entity-columns';
import { hydrate } from '../hydrate';

/** A training job as users see it: its row (the checkpoint's bytes left out) with the names of what it trains. */
export type TrainingJobRow = Omit<TrainingJobEntity, 'checkpoint'> & {
  space: string;
  hash: string;
  arch: string;
  dataset: string;
  protocol: string;
  /** Whether a checkpoint is stored (the bytes are read only by the worker, {@link loadTrainingCheckpoint}). */
  hasCheckpoint: boolean;
};

/** `SELECT … FROM training_job j` joined with architecture a, dataset d, protocol p: the columns of {@link TrainingJobRow}. */
export function trainingJobSelect(manager: EntityManager): string {
  return `
  SELECT ${entityColumns(manager, TrainingJobEntity, 'j')},
         a.space, a.hash, a.arch, d.name AS dataset, p.name AS protocol, j.checkpoint IS NOT NULL AS has_checkpoint
    FROM training_job j
    JOIN architecture a ON a.id = j.architecture_id
    JOIN dataset d ON d.id = j.dataset_id
    JOIN protocol p ON p.id = j.protocol_id`;
}

/** Maps rows of {@link trainingJobSelect}. */
export function toTrainingJobRows(manager: EntityManager, rows: readonly Record<string, unknown>[]): TrainingJobRow[] {
  const jobs = hydrate(manager, TrainingJobEntity, rows);
  return rows.map((r, i) => ({
    ...jobs[i],
    space: r.space as string,
    hash: r.hash as string,
    arch: r.arch as string,
    dataset: r.dataset as string,
    protocol: r.protocol as string,
    hasCheckpoint: Boolean(r.has_checkpoint),
  }));
}
