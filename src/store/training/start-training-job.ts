import type { DataSource, EntityManager } from 'typeorm';
import { QueueName, transactionExecutor, type JobQueue } from '../queue';
import { findTrainingJob } from './find-training-jobs';
import { JobEventKind, notifyJobEvent } from './job-event';
import { rowsOf } from '../rows-of';
import type { TrainingJobRow } from './training-job-row';
import { TrainingJobStatus, isFinishedJobStatus } from './training-job-status';

/** Options of {@link startTrainingJob}. */
export interface StartTrainingJobOptions {
  jobId: string;
  /** This claim's owner token (host, pid, random): every later write of the attempt must present it. */
  worker: string;
  /** tfjs backend and device the attempt trains on. */
  backend: string;
  device: string;
}

/** What a claim found. */
export type StartedTraining =
  /** Train it: resume after `job.epochsDone` from `checkpoint` when there is one. */
  | { kind: 'started'; job: TrainingJobRow; checkpoint: Uint8Array | null }
  /** Nothing to train: the job had finished or was cancelled, or a finished run already answers it (its pg-boss job is completed). */
  | { kind: 'finished'; job: TrainingJobRow }
  /** No such job row (its pg-boss job is completed so it is not claimed again). */
  | { kind: 'missing' };

/**
 * Starts (or resumes, or takes over after a lapsed lease) a claimed job in one transaction: QUEUED or RUNNING → RUNNING,
 * attempts + 1, the run row created or reused (source TRAINED, status RUNNING) with a curve row, and a STARTED event.
 * A job with epochs done keeps its curve and checkpoint, so the attempt resumes after the last finished epoch; a job
 * without restarts its run's curve from empty (a previous failed job's epochs are not this job's).
 */
export async function startTrainingJob(
  dataSource: DataSource,
  queue: JobQueue,
  options: StartTrainingJobOptions,
): Promise<StartedTraining> {
  return dataSource.transaction(async (manager) => {
    const locked: unknown[] = await manager.query('SELECT id FROM training_job WHERE id = $1 FOR UPDATE', [
      options.jobId,
    ]);
    if (locked.length === 0) {
      await queue.boss.complete(QueueName.TRAIN, options.jobId, {}, { db: transactionExecutor(manager) });
      return { kind: 'missing' };
    }
    const job = (await findTrainingJob(manager, options.jobId))!;
    if (isFinishedJobStatus(job.status)) {
      await queue.boss.complete(QueueName.TRAIN, job.id, {}, { db: transactionExecutor(manager) });
      return { kind: 'finished', job };
    }
    const existing: Array<{ id: number; status: string }> = await manager.query(
      'SELECT id, status FROM run WHERE architecture_id = $1 AND dataset_id = $2 AND protocol_id = $3 AND seed = $4 FOR UPDATE',
      [job.architectureId, job.datasetId, job.protocolId, job.seed],
    );
    const run = existing[0];
    if (run && (run.status === 'COMPLETE' || run.status === 'STOPPED_EARLY')) {
      const status = run.status === 'COMPLETE' ? TrainingJobStatus.COMPLETED : TrainingJobStatus.STOPPED_EARLY;
      await manager.query(
        `UPDATE training_job SET status = $2, run_id = $3, checkpoint = NULL, finished_at = now(), updated_at = now() WHERE id = $1`,
        [job.id, status, run.id],
      );
      await queue.boss.complete(QueueName.TRAIN, job.id, {}, { db: transactionExecutor(manager) });
      await notifyJobEvent(manager, {
        jobId: job.id,
        kind: JobEventKind.FINISHED,
        status,
        epochsDone: job.epochsDone,
        totalEpochs: job.totalEpochs,
        epoch: null,
        error: null,
      });
      return { kind: 'finished', job: (await findTrainingJob(manager, job.id))! };
    }
    const runId = run ? await reuseRun(manager, run.id) : await insertRun(manager, job);
    await manager.query('INSERT INTO run_curve (run_id) VALUES ($1) ON CONFLICT (run_id) DO NOTHING', [runId]);
    const resumes = job.runId === runId && job.epochsDone > 0;
    if (!resumes) {
      await manager.query(
        `UPDATE run_curve SET train_acc = NULL, valid_acc = NULL, test_acc = NULL, train_loss = NULL, valid_loss = NULL, test_loss = NULL,
                epoch_seconds = NULL WHERE run_id = $1`,
        [runId],
      );
    }
    const [row] = rowsOf<{ checkpoint: Uint8Array | null }>(
      await manager.query(
        `UPDATE training_job SET status = 'RUNNING', attempts = attempts + 1, run_id = $2, worker = $3, backend = $4, device = $5,
              epochs_done = CASE WHEN $6::boolean THEN epochs_done ELSE 0 END, checkpoint = CASE WHEN $6::boolean THEN checkpoint ELSE NULL END,
              started_at = coalesce(started_at, now()), updated_at = now()
        WHERE id = $1 RETURNING checkpoint`,
        [job.id, runId, options.worker, options.backend, options.device, resumes],
      ),
    );
    const started = (await findTrainingJob(manager, job.id))!;
    await notifyJobEvent(manager, {
      jobId: job.id,
      kind: JobEventKind.STARTED,
      status: started.status,
      epochsDone: started.epochsDone,
      totalEpochs: started.totalEpochs,
      epoch: null,
      error: null,
    });
    const checkpoint = row.checkpoint
      ? new Uint8Array(row.checkpoint.buffer, row.checkpoint.byteOffset, row.checkpoint.byteLength)
      : null;
    return { kind: 'started', job: started, checkpoint };
  });
}

async function insertRun(manager: EntityManager, job: TrainingJobRow): Promise<number> {
  const [row]: Array<{ id: number }> = await manager.query(
    `INSERT INTO run (architecture_id, dataset_id, protocol_id, seed, source, status) VALUES ($1, $2, $3, $4, 'TRAINED', 'RUNNING') RETURNING id`,
    [job.architectureId, job.datasetId, job.protocolId, job.seed],
  );
  return row.id;
}

/** A RUNNING or FAILED run of the same key (an earlier job's) is trained again from its row. */
async function reuseRun(manager: EntityManager, runId: number): Promise<number> {
  await manager.query(
    `UPDATE run SET source = 'TRAINED', status = 'RUNNING', train_acc = NULL, valid_acc = NULL, test_acc = NULL, train_loss = NULL,
            valid_loss = NULL, test_loss = NULL, train_seconds = NULL, hardware = NULL WHERE id = $1`,
    [runId],
  );
  return runId;
}
