import type { DataSource } from 'typeorm';
import { QUEUE_SCHEMA, QueueName, transactionExecutor, type JobQueue } from '../queue';
import { JobEventKind, notifyJobEvent } from './job-event';
import { TrainingJobStatus, type TrainingJobStatusValue } from './training-job-status';

/** Options of {@link failTrainingAttempt}. */
export interface FailTrainingAttemptOptions {
  jobId: string;
  /** The claim's owner token; a job another attempt owns now is left alone. */
  worker: string;
  /** Why the attempt failed (stored on the job, shown by the API). */
  error: Error;
  /** No retry: the failure would repeat anywhere (e.g. the protocol cannot be trained). */
  permanent: boolean;
}

/**
 * Records a failed attempt and fails its pg-boss job in one transaction, so the row and the queue agree on what comes
 * next. While pg-boss has retries left (its job's `retry_count < retry_limit`) the job goes back to QUEUED, keeping its
 * epochs and checkpoint so the retry resumes, with the error as its last error and a RETRYING event; pg-boss schedules
 * the retry with backoff. With none left (or `permanent`, which spends them: `retry_limit` is set to the count) it turns
 * FAILED, its run FAILED, with a FINISHED event. Returns the job's status afterwards (null when the job is gone or
 * another attempt owns it).
 */
export async function failTrainingAttempt(
  dataSource: DataSource,
  queue: JobQueue,
  options: FailTrainingAttemptOptions,
): Promise<TrainingJobStatusValue | null> {
  const message = (options.error.message || options.error.name).slice(0, 2000);
  return dataSource.transaction(async (manager) => {
    const [job]: Array<{
      status: string;
      worker: string | null;
      run_id: number | null;
      epochs_done: number;
      total_epochs: number;
    }> = await manager.query(
      'SELECT status, worker, run_id, epochs_done, total_epochs FROM training_job WHERE id = $1 FOR UPDATE',
      [options.jobId],
    );
    const executor = { db: transactionExecutor(manager) };
    // Only the attempt that holds the RUNNING row may fail it. A row back in QUEUED was taken from this attempt after
    // its lease lapsed (pg-boss already scheduled the retry), and a RUNNING row of another worker is that worker's:
    // touching pg-boss then would fail a healthy attempt or spend a retry twice.
    if (!job) {
      await queue.boss.fail(QueueName.TRAIN, options.jobId, { message }, executor);
      return null;
    }
    if (job.status !== TrainingJobStatus.RUNNING || job.worker !== options.worker) return null;
    if (options.permanent) {
      await manager.query(
        `UPDATE ${QUEUE_SCHEMA}.job SET retry_limit = retry_count WHERE id = $1 AND state = 'active'`,
        [options.jobId],
      );
    }
    const [boss]: Array<{ retry_count: number; retry_limit: number }> = await manager.query(
      `SELECT retry_count, retry_limit FROM ${QUEUE_SCHEMA}.job WHERE id = $1 AND state = 'active'`,
      [options.jobId],
    );
    const retries = boss !== undefined && boss.retry_count < boss.retry_limit;
    const status = retries ? TrainingJobStatus.QUEUED : TrainingJobStatus.FAILED;
    await manager.query(
      `UPDATE training_job SET status = $2, error = $3, worker = NULL, updated_at = now(),
              finished_at = CASE WHEN $2 = 'FAILED' THEN now() END, checkpoint = CASE WHEN $2 = 'FAILED' THEN NULL ELSE checkpoint END
        WHERE id = $1`,
      [options.jobId, status, message],
    );
    if (!retries && job.run_id !== null)
      await manager.query(`UPDATE run SET status = 'FAILED' WHERE id = $1 AND status = 'RUNNING'`, [job.run_id]);
    await queue.boss.fail(QueueName.TRAIN, options.jobId, { message }, executor);
    await notifyJobEvent(manager, {
      jobId: options.jobId,
      kind: retries ? JobEventKind.RETRYING : JobEventKind.FINISHED,
      status,
      epochsDone: job.epochs_done,
      totalEpochs: job.total_epochs,
      epoch: null,
      error: message,
    });
    return status;
  });
}
