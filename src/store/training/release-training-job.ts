import type { DataSource } from 'typeorm';
import type { JobQueue } from '../queue';
import { JobEventKind, notifyJobEvent } from './job-event';
import { rowsOf } from '../rows-of';
import { TrainingJobStatus } from './training-job-status';

/**
 * Gives a RUNNING job back between epochs (a worker stopping on SIGTERM), in one transaction: the row turns QUEUED
 * with its epochs and checkpoint, the pg-boss job becomes claimable at once without spending a retry, and a RELEASED
 * event is sent. The next claim resumes after the last written epoch. Returns false when the attempt no longer owns it.
 */
export async function releaseTrainingJob(
  dataSource: DataSource,
  queue: JobQueue,
  options: { jobId: string; worker: string },
): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const rows = rowsOf<{ epochs_done: number; total_epochs: number }>(
      await manager.query(
        `UPDATE training_job SET status = 'QUEUED', worker = NULL, updated_at = now() WHERE id = $1 AND worker = $2 AND status = 'RUNNING'
          RETURNING epochs_done, total_epochs`,
        [options.jobId, options.worker],
      ),
    );
    if (rows.length === 0) return false;
    await queue.releaseJob(options.jobId, manager);
    await notifyJobEvent(manager, {
      jobId: options.jobId,
      kind: JobEventKind.RELEASED,
      status: TrainingJobStatus.QUEUED,
      epochsDone: rows[0].epochs_done,
      totalEpochs: rows[0].total_epochs,
      epoch: null,
      error: null,
    });
    return true;
  });
}
