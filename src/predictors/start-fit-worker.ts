import type { Logger } from 'pino';
import { createFitWorker } from './';
import type { Store } from '../store';
import { JobQueue, type QueueWorker } from '../store/queue';

/** A running fit worker and the queue it owns. */
export interface RunningFitWorker {
  queue: JobQueue;
  worker: QueueWorker<unknown>;
  /** Stops the loop (the fit in hand finishes), then pg-boss. */
  stop(): Promise<void>;
}

/** Opens the job queue (with pg-boss maintenance) and starts one fit worker that logs structured lines. */
export async function startFitWorker(
  store: Store,
  logger: Logger,
  options: { pollIntervalMs?: number } = {},
): Promise<RunningFitWorker> {
  const queue = await JobQueue.open(store, {
    supervise: true,
    onError: (error) => logger.error({ err: error }, 'job queue error'),
  });
  const worker = createFitWorker({
    dataSource: store.dataSource,
    queue,
    pollIntervalMs: options.pollIntervalMs,
    onEvent: (e) => {
      if (e.event === 'failed')
        logger.error({ worker: 'fit', predictorId: e.predictorId, err: e.error, willRetry: e.willRetry }, 'fit failed');
      else if (e.event === 'state') logger.debug({ worker: 'fit', state: e.state }, 'fit worker state');
      else logger.info({ worker: 'fit', ...e }, e.event === 'ready' ? 'predictor ready' : 'fit progress');
    },
  });
  worker.start();
  return {
    queue,
    worker: worker as QueueWorker<unknown>,
    stop: async () => {
      await worker.stop();
      await queue.stop();
    },
  };
}
