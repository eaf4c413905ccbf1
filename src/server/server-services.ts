import type { Store } from '../store';
import { JobQueue } from '../store/queue';
import { PredictionService } from '../predictors/serve-predictions';
import { ExtrapolatorService } from '../predictors/serve-extrapolators';
import { SearchService } from '../search/service/search-service';
import type { SearchRunRow } from '../store/search';

/** Process-wide services of one server, shared by every request. */
export class ServerServices {
  private queuePromise: Promise<JobQueue> | null;

  /** Loaded predictor models and their cache. */
  readonly predictions: PredictionService;
  /** Loaded learning-curve extrapolators (LCE predictors). */
  readonly extrapolators: ExtrapolatorService;
  /** Search runs: asks and tells, with this process's rebuilt strategies and loaded tables. */
  readonly search: SearchService;

  /**
   * @param queue a queue the caller opened and owns (the serve command, when it runs an in-process worker); without
   *   one, the first request that enqueues opens one, and {@link close} stops it.
   */
  constructor(
    private readonly store: Store,
    private readonly ownedQueue: JobQueue | null,
  ) {
    this.queuePromise = ownedQueue ? Promise.resolve(ownedQueue) : null;
    this.predictions = new PredictionService(store.dataSource);
    this.extrapolators = new ExtrapolatorService(store.dataSource);
    this.search = new SearchService(store.dataSource);
  }

  /** The job queue (pg-boss in the store's database), opened on first use. */
  queue(): Promise<JobQueue> {
    if (!this.queuePromise) {
      this.queuePromise = JobQueue.open(this.store);
      this.queuePromise.catch(() => (this.queuePromise = null));
    }
    return this.queuePromise;
  }

  /** Called once a search run is created (a TRAINING run starts its driver here). */
  async searchCreated(_run: SearchRunRow): Promise<void> {}

  async close(): Promise<void> {
    await this.predictions.close();
    if (this.queuePromise && !this.ownedQueue) await (await this.queuePromise.catch(() => null))?.stop();
  }
}
