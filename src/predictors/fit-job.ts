import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { isPermanentError } from '../core';
import { findPredictor, insertPredictor, type NewPredictor, type PredictorRow } from '../store/predictor';
import {
  QUEUE_RETRY_LIMIT,
  QueueName,
  QueueWorker,
  type ClaimedJob,
  type JobQueue,
  type WorkerStateValue,
} from '../store/queue';
import { FitAbortedError, fitStoredPredictor } from './fit-stored-predictor';

/** The lease a fit renews at every phase: longer than its longest phase (an ENSEMBLE fit takes about 20 s here). */
const FIT_LEASE_SECONDS = 30 * 60;

/** The payload of a fit job. */
export interface FitJobData {
  predictorId: number;
}

/**
 * Enqueues a fit: the TRAINING predictor row and its pg-boss job commit together, so neither exists without the other.
 */
export async function requestPredictorFit(
  dataSource: DataSource,
  queue: JobQueue,
  predictor: Omit<NewPredictor, 'jobId'>,
): Promise<PredictorRow> {
  return dataSource.transaction(async (manager) => {
    const jobId = randomUUID();
    const row = await insertPredictor(manager, { ...predictor, jobId });
    await queue.send<FitJobData>(QueueName.FIT_PREDICTOR, { predictorId: row.id }, { id: jobId, manager });
    return row;
  });
}

/** Options of {@link createFitWorker}. */
export interface FitWorkerOptions {
  dataSource: DataSource;
  queue: JobQueue;
  pollIntervalMs?: number;
  /** Structured events for logs. */
  onEvent(event: FitWorkerEvent): void;
}

/** What a fit worker reports. */
export type FitWorkerEvent =
  | { event: 'state'; state: WorkerStateValue }
  | { event: 'progress'; predictorId: number; phase: string; fraction: number }
  | { event: 'ready'; predictorId: number; kendallTau: number; cachedPredictions: number; seconds: number }
  | { event: 'failed'; predictorId: number | null; error: Error; willRetry: boolean };

/**
 * A worker that fits predictors from the fit queue. A fit that cannot succeed (a typed input error) marks its row
 * FAILED and completes the job; any other error fails the job, which pg-boss retries with backoff.
 */
export function createFitWorker(options: FitWorkerOptions): QueueWorker<FitJobData> {
  const { dataSource, onEvent } = options;
  return new QueueWorker<FitJobData>({
    queue: options.queue,
    name: QueueName.FIT_PREDICTOR,
    pollIntervalMs: options.pollIntervalMs,
    onState: (state) => onEvent({ event: 'state', state }),
    onError: (error, job) =>
      onEvent({
        event: 'failed',
        predictorId: job?.data.predictorId ?? null,
        error,
        willRetry: job !== null && job.retryCount < QUEUE_RETRY_LIMIT[QueueName.FIT_PREDICTOR],
      }),
    handle: async (job: ClaimedJob<FitJobData>, signal: AbortSignal) => {
      const predictorId = job.data.predictorId;
      const row = await findPredictor(dataSource.manager, predictorId);
      if (!row || row.status !== 'TRAINING')
        return { outcome: 'completed', output: { skipped: row?.status ?? 'MISSING' } };
      const started = Date.now();
      try {
        const result = await fitStoredPredictor({
          dataSource,
          predictorId,
          signal,
          heartbeat: () => options.queue.extendLease(job.id, FIT_LEASE_SECONDS),
          onProgress: (phase, fraction) => onEvent({ event: 'progress', predictorId, phase, fraction }),
          retry: { retriesLeft: QUEUE_RETRY_LIMIT[QueueName.FIT_PREDICTOR] - job.retryCount },
        });
        onEvent({
          event: 'ready',
          predictorId,
          kendallTau: result.predictor.metrics?.kendallTau ?? Number.NaN,
          cachedPredictions: result.cachedPredictions,
          seconds: (Date.now() - started) / 1000,
        });
        return { outcome: 'completed', output: { status: 'READY' } };
      } catch (error) {
        if (error instanceof FitAbortedError) return { outcome: 'released' };
        // A transient error with retries left: pg-boss runs the job again (fitStoredPredictor left the row TRAINING).
        if (!isPermanentError(error) && job.retryCount < QUEUE_RETRY_LIMIT[QueueName.FIT_PREDICTOR]) throw error;
        onEvent({ event: 'failed', predictorId, error: error as Error, willRetry: false });
        return { outcome: 'completed', output: { status: 'FAILED', error: (error as Error).message } };
      }
    },
  });
}
