import { invariant } from '../../core';
import type { DataSource } from 'typeorm';
import type { JobQueue } from '../queue';
import { JobEventKind, notifyJobEvent, type JobEpochMetrics } from './job-event';
import type { TrainingJobStatusValue } from './training-job-status';

/** Options of {@link recordTrainingEpoch}. */
export interface RecordTrainingEpochOptions {
  jobId: string;
  /** The claim's owner token, as given to `startTrainingJob`. */
  worker: string;
  metrics: JobEpochMetrics;
  /** Weights, optimiser and RNG state after this epoch; the next attempt resumes from it. */
  checkpoint: Uint8Array;
  /** The pg-boss lease runs this long from now (the heartbeat). */
  leaseSeconds: number;
}

/** Whether the attempt still owns its job after the write. */
export type EpochWriteResult = { kept: true } | { kept: false; status: TrainingJobStatusValue | null };

/**
 * Writes one finished epoch in one transaction: the epoch's values at index `epoch` of the run's curve arrays (later
 * entries are dropped first, so an epoch trained again after a resume is stored once), the job's progress and
 * checkpoint, the pg-boss lease, then an EPOCH event (delivered at commit). Writes nothing when the job is no longer
 * this attempt's RUNNING job (cancelled, or taken over after a lapsed lease): `kept: false` with its status tells the
 * worker to stop.
 */
export async function recordTrainingEpoch(
  dataSource: DataSource,
  queue: JobQueue,
  options: RecordTrainingEpochOptions,
): Promise<EpochWriteResult> {
  const { metrics } = options;
  return dataSource.transaction(async (manager): Promise<EpochWriteResult> => {
    const [job]: Array<{
      run_id: number;
      total_epochs: number;
      epochs_done: number;
      status: TrainingJobStatusValue;
      worker: string | null;
    }> = await manager.query(
      'SELECT run_id, total_epochs, epochs_done, status, worker FROM training_job WHERE id = $1 FOR UPDATE',
      [options.jobId],
    );
    if (!job || job.status !== 'RUNNING' || job.worker !== options.worker)
      return { kept: false, status: job?.status ?? null };
    invariant(
      metrics.epoch >= 1 && metrics.epoch <= job.epochs_done + 1 && metrics.epoch <= job.total_epochs,
      `job ${options.jobId} has ${job.epochs_done} of ${job.total_epochs} epochs done and cannot take epoch ${metrics.epoch}`,
    );
    await manager.query('UPDATE training_job SET epochs_done = $2, checkpoint = $3, updated_at = now() WHERE id = $1', [
      options.jobId,
      metrics.epoch,
      Buffer.from(options.checkpoint.buffer, options.checkpoint.byteOffset, options.checkpoint.byteLength),
    ]);
    const { run_id: runId, total_epochs: totalEpochs } = job;
    const values: Array<[string, number]> = [
      ['train_acc', metrics.trainAcc],
      ['valid_acc', metrics.validAcc],
      ['test_acc', metrics.testAcc],
      ['train_loss', metrics.trainLoss],
      ['valid_loss', metrics.validLoss],
      ['test_loss', metrics.testLoss],
      ['epoch_seconds', metrics.seconds],
    ];
    await manager.query(
      `UPDATE run_curve SET ${values.map(([column], i) => `${column} = array_append(coalesce(${column}[1:$2::int - 1], '{}'::float8[]), $${i + 3}::float8)`).join(', ')}
        WHERE run_id = $1`,
      [runId, metrics.epoch, ...values.map(([, value]) => finiteOrNull(value))],
    );
    await queue.extendLease(options.jobId, options.leaseSeconds, manager);
    await notifyJobEvent(manager, {
      jobId: options.jobId,
      kind: JobEventKind.EPOCH,
      status: 'RUNNING',
      epochsDone: metrics.epoch,
      totalEpochs,
      epoch: metrics,
      error: null,
    });
    return { kept: true };
  });
}

/** A diverged loss (NaN, ±Infinity) is stored as a missing value rather than failing the write. */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
