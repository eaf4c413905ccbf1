import type { DataSource } from 'typeorm';
import { markPredictorsStale } from '../predictor/predictor-repository';
import { QueueName, transactionExecutor, type JobQueue } from '../queue';
import { JobEventKind, notifyJobEvent } from './job-event';
import { TrainingJobStatus } from './training-job-status';

/** Options of {@link finishTrainingJob}. */
export interface FinishTrainingJobOptions {
  jobId: string;
  worker: string;
  /** COMPLETED after the last epoch; STOPPED_EARLY when the learning-curve rule stopped it. */
  status: typeof TrainingJobStatus.COMPLETED | typeof TrainingJobStatus.STOPPED_EARLY;
  /** `backend/device`, stored as the run's hardware. */
  hardware: string;
  /** nashub's package version, stored with the run so a release says which nashub trained it. */
  nashubVersion: string;
}

/**
 * Finishes a job in one transaction: the run's final metrics are its last written epoch, its train time the sum of
 * epoch times, its status COMPLETE (or STOPPED_EARLY with the partial curve), hardware backend/device and nashub version; the job turns
 * COMPLETED or STOPPED_EARLY and drops its checkpoint; the predictors of the (space, dataset, protocol) turn STALE; the
 * pg-boss job completes; a FINISHED event is sent. Returns false (writing nothing) when the job is no longer this
 * attempt's RUNNING job.
 */
export async function finishTrainingJob(
  dataSource: DataSource,
  queue: JobQueue,
  options: FinishTrainingJobOptions,
): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const [job]: Array<{
      run_id: number;
      dataset_id: number;
      protocol_id: number;
      epochs_done: number;
      total_epochs: number;
      space: string;
      status: string;
      worker: string | null;
    }> = await manager.query(
      `SELECT j.run_id, j.dataset_id, j.protocol_id, j.epochs_done, j.total_epochs, a.space, j.status, j.worker
           FROM training_job j JOIN architecture a ON a.id = j.architecture_id WHERE j.id = $1 FOR UPDATE OF j`,
      [options.jobId],
    );
    if (!job || job.status !== TrainingJobStatus.RUNNING || job.worker !== options.worker) return false;
    const runStatus = options.status === TrainingJobStatus.COMPLETED ? 'COMPLETE' : 'STOPPED_EARLY';
    await manager.query(
      `UPDATE run r SET status = $2, hardware = $3, nashub_version = $5, train_acc = c.train_acc[$4::int], valid_acc = c.valid_acc[$4::int], test_acc = c.test_acc[$4::int],
              train_loss = c.train_loss[$4::int], valid_loss = c.valid_loss[$4::int], test_loss = c.test_loss[$4::int],
              train_seconds = (SELECT sum(s) FROM unnest(c.epoch_seconds) AS s)
         FROM run_curve c WHERE r.id = $1 AND c.run_id = r.id`,
      [job.run_id, runStatus, options.hardware, job.epochs_done, options.nashubVersion],
    );
    await manager.query(
      `UPDATE training_job SET status = $2, checkpoint = NULL, error = NULL, finished_at = now(), updated_at = now() WHERE id = $1`,
      [options.jobId, options.status],
    );
    // Only a complete run is training data for predictors (a STOPPED_EARLY one is not read by fits).
    if (options.status === 'COMPLETED')
      await markPredictorsStale(manager, { space: job.space, datasetId: job.dataset_id, protocolId: job.protocol_id });
    // pg-boss 10's complete takes (name, id, data, options) at run time whatever its typings say: options go fourth.
    await queue.boss.complete(QueueName.TRAIN, options.jobId, {}, { db: transactionExecutor(manager) });
    await notifyJobEvent(manager, {
      jobId: options.jobId,
      kind: JobEventKind.FINISHED,
      status: options.status,
      epochsDone: job.epochs_done,
      totalEpochs: job.total_epochs,
      epoch: null,
      error: null,
    });
    return true;
  });
}
