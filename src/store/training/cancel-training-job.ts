import type { DataSource } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';
import { QueueName, transactionExecutor, type JobQueue } from '../queue';
import { findTrainingJob, isTrainingJobId } from './find-training-jobs';
import { JobEventKind, notifyJobEvent } from './job-event';
import type { TrainingJobRow } from './training-job-row';
import { TrainingJobStatus, isFinishedJobStatus } from './training-job-status';

/**
 * Cancels a QUEUED or RUNNING job in one transaction: the row turns CANCELLED, its pg-boss job is cancelled (a waiting
 * job is never claimed; an active one stops counting its lease), a run it was writing turns FAILED (its partial curve
 * stays readable through the job), and a FINISHED event is sent. A running worker notices at its next epoch boundary,
 * when its epoch write finds the job no longer RUNNING, and moves on. A finished job is CONFLICT; an unknown id
 * NOT_FOUND.
 */
export async function cancelTrainingJob(dataSource: DataSource, queue: JobQueue, id: string): Promise<TrainingJobRow> {
  return dataSource.transaction(async (manager) => {
    const locked: Array<{ status: TrainingJobRow['status'] }> = isTrainingJobId(id)
      ? await manager.query('SELECT status FROM training_job WHERE id = $1 FOR UPDATE', [id])
      : [];
    const job = locked.length > 0 ? await findTrainingJob(manager, id) : null;
    if (!job) throw new NashubError(ErrorCode.NOT_FOUND, `no training job ${id}`, { details: { job: id } });
    if (isFinishedJobStatus(job.status)) {
      throw new NashubError(ErrorCode.CONFLICT, `training job ${id} is already ${job.status}`, {
        details: { job: id, status: job.status },
      });
    }
    await manager.query(
      `UPDATE training_job SET status = 'CANCELLED', checkpoint = NULL, finished_at = now(), updated_at = now() WHERE id = $1`,
      [id],
    );
    if (job.runId !== null)
      await manager.query(`UPDATE run SET status = 'FAILED' WHERE id = $1 AND status = 'RUNNING'`, [job.runId]);
    await queue.boss.cancel(QueueName.TRAIN, id, { db: transactionExecutor(manager) });
    await notifyJobEvent(manager, {
      jobId: id,
      kind: JobEventKind.FINISHED,
      status: TrainingJobStatus.CANCELLED,
      epochsDone: job.epochsDone,
      totalEpochs: job.totalEpochs,
      epoch: null,
      error: null,
    });
    return (await findTrainingJob(manager, id))!;
  });
}
