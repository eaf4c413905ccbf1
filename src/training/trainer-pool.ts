import type { Logger } from 'pino';
import { QueueName, QueueWorker, type WorkerStateValue } from '../store/queue';
import { reconcileTrainingJobs } from '../store/training';
import { createTrainingJobHandler, type TrainJobData, type TrainingJobHandlerOptions } from './training-job-handler';

/** Options of {@link TrainerPool}. */
export interface TrainerPoolOptions extends TrainingJobHandlerOptions {
  /** Workers claiming `train` jobs in this process (tfjs runs them on one backend, interleaved). */
  concurrency: number;
  /** Pause between empty polls, ms (default 1000). */
  pollIntervalMs?: number;
  /** How often job rows are brought in line with pg-boss after lapsed leases, ms (default 30,000). */
  reconcileIntervalMs?: number;
  /** A worker changed state (index, state). */
  onState?(worker: number, state: WorkerStateValue): void;
  logger: Logger;
}

/**
 * The `nashub trainer` loop: N {@link QueueWorker}s on the `train` queue plus a periodic reconcile of job rows whose
 * worker vanished (see `reconcileTrainingJobs`). `stop()` lets each worker finish and write its current epoch, release
 * its job, and return.
 */
export class TrainerPool {
  readonly workers: QueueWorker<TrainJobData>[];
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;

  constructor(private readonly options: TrainerPoolOptions) {
    const handle = createTrainingJobHandler(options);
    this.workers = Array.from(
      { length: options.concurrency },
      (_, i) =>
        new QueueWorker<TrainJobData>({
          queue: options.queue,
          name: QueueName.TRAIN,
          handle,
          pollIntervalMs: options.pollIntervalMs,
          onError: (error, job) =>
            options.logger.error({ err: error, job: job?.id ?? null, worker: i }, 'trainer worker error'),
          onState: (state) => options.onState?.(i, state),
        }),
    );
  }

  start(): void {
    for (const worker of this.workers) worker.start();
    this.reconcile();
    this.timer = setInterval(() => this.reconcile(), this.options.reconcileIntervalMs ?? 30_000);
    this.timer.unref();
  }

  /** Stops every worker (each writes its epoch in hand and releases its job) and the reconcile timer. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.reconciling;
  }

  private reconcile(): void {
    if (this.reconciling) return;
    this.reconciling = reconcileTrainingJobs(this.options.store.dataSource)
      .then((ids) => {
        if (ids.length > 0)
          this.options.logger.warn({ jobs: ids }, 'jobs whose worker vanished were requeued or failed');
      })
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'reconciling training jobs failed'))
      .finally(() => (this.reconciling = null));
  }
}
