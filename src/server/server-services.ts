import type { Store } from '../store';
import { JobQueue } from '../store/queue';
import { PredictionService } from '../predictors/serve-predictions';
import { SharedRecordReads } from './loader/shared-record-reads';
import { loadRecords, type RecordRequest } from '../store/record/load-records';
import { loadRecordMeans, type RecordMeans, type RecordMeansRequest } from '../store/record/load-record-means';
import type { RecordResult } from '../store/record/record';
import { ExtrapolatorService } from '../predictors/serve-extrapolators';
import { SearchService } from '../search/service/search-service';
import { TrainingRunDriver, type DriverLogger } from '../search/service/training-run-driver';
import { SearchRunMode } from '../store/search/search-run-vocabulary';
import { tryClaimSearchRunDriver, type SearchRunRow } from '../store/search';
import { createPublishWorker, type PublishJobData } from '../releases';
import { hasPendingPublications } from '../store/release';
import { packageVersion } from '../store/package-version';
import type { QueueWorker } from '../store/queue';

/** Process-wide services of one server, shared by every request. */
export class ServerServices {
  private queuePromise: Promise<JobQueue> | null;
  private publisher: Promise<QueueWorker<PublishJobData>> | null = null;

  /** Loaded predictor models and their cache. */
  readonly predictions: PredictionService;
  /** Record reads that the requests in flight share. */
  readonly recordReads: SharedRecordReads<RecordRequest, RecordResult | null>;
  /** Reads of kept seed means (MEAN records at the last epoch) that the requests in flight share. */
  readonly recordMeanReads: SharedRecordReads<RecordMeansRequest, RecordMeans | null>;
  /** Loaded learning-curve extrapolators (LCE predictors). */
  readonly extrapolators: ExtrapolatorService;
  /** Search runs: asks and tells, with this process's rebuilt strategies and loaded tables. */
  readonly search: SearchService;
  /** Drives TRAINING search runs with nashub's trainer. */
  readonly drivers: TrainingRunDriver;

  /**
   * @param queue a queue the caller opened and owns (the serve command, when it runs an in-process worker); without
   *   one, the first request that enqueues opens one, and {@link close} stops it.
   */
  constructor(
    private readonly store: Store,
    private readonly ownedQueue: JobQueue | null,
    private readonly logger: DriverLogger = { info: () => undefined, error: () => undefined },
  ) {
    this.queuePromise = ownedQueue ? Promise.resolve(ownedQueue) : null;
    this.predictions = new PredictionService(store.dataSource);
    this.recordReads = new SharedRecordReads((requests) => loadRecords(store.dataSource.manager, requests));
    this.recordMeanReads = new SharedRecordReads((requests) => loadRecordMeans(store.dataSource.manager, requests));
    this.extrapolators = new ExtrapolatorService(store.dataSource);
    this.search = new SearchService(store.dataSource);
    this.drivers = new TrainingRunDriver({
      dataSource: store.dataSource,
      service: this.search,
      queue: () => this.queue(),
      logger,
      // On PostgreSQL several API processes may share the store: each run is driven by the one holding its claim.
      // Embedded PGlite has one process (the folder's lock), whose pool a held connection would block.
      claim: store.kind === 'postgres' ? (runId) => tryClaimSearchRunDriver(store.dataSource, runId) : undefined,
    });
  }

  /** The job queue (pg-boss in the store's database), opened on first use. */
  queue(): Promise<JobQueue> {
    if (!this.queuePromise) {
      this.queuePromise = JobQueue.open(this.store);
      this.queuePromise.catch(() => (this.queuePromise = null));
    }
    return this.queuePromise;
  }

  /** Called once a search run is created: a TRAINING run starts its driver here. */
  async searchCreated(run: SearchRunRow): Promise<void> {
    if (run.mode === SearchRunMode.TRAINING) this.drivers.start(run.id);
  }

  /**
   * Starts this process's release publisher once: it writes into this server's release folder, so it runs here, not
   * in a worker elsewhere.
   */
  startPublisher(releasesDir: string): Promise<QueueWorker<PublishJobData>> {
    if (!this.publisher) {
      this.publisher = this.queue().then((queue) => {
        const worker = createPublishWorker({
          dataSource: this.store.dataSource,
          queue,
          releasesDir,
          nashubVersion: packageVersion(),
          onError: (error, publicationId) =>
            this.logger.error({ err: error, publicationId }, 'release publication failed'),
        });
        worker.start();
        return worker;
      });
      this.publisher.catch(() => (this.publisher = null));
    }
    return this.publisher;
  }

  /** Takes up the publications a stopped server left queued or running. */
  async resumePublications(releasesDir: string | undefined): Promise<void> {
    if (releasesDir !== undefined && (await hasPendingPublications(this.store.dataSource.manager)))
      await this.startPublisher(releasesDir);
  }

  async close(): Promise<void> {
    await this.drivers.close();
    await (await this.publisher?.catch(() => null))?.stop();
    await this.predictions.close();
    if (this.queuePromise && !this.ownedQueue) await (await this.queuePromise.catch(() => null))?.stop();
  }
}
