import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { Store } from '../open-store';

/** The queues nashub uses; every job's domain row (predictor, training_job) carries the pg-boss job id. */
export const QueueName = {
  FIT_PREDICTOR: 'fit-predictor',
  TRAIN: 'train',
  PUBLISH_RELEASE: 'publish-release',
} as const;
export type QueueNameValue = (typeof QueueName)[keyof typeof QueueName];

/** The pg-boss schema, in the same database as the store. */
export const QUEUE_SCHEMA = 'pgboss';

/** A claimed job. */
export interface ClaimedJob<T> {
  id: string;
  name: QueueNameValue;
  data: T;
  /** How many times pg-boss retried it before this claim. */
  retryCount: number;
}

/** Options of {@link openJobQueue}. */
export interface OpenJobQueueOptions {
  /** Run pg-boss maintenance (expire lapsed leases, schedule retries) in this process: workers and servers do. */
  supervise?: boolean;
  /** Seconds between maintenance runs (default 30; tests use 1). */
  maintenanceIntervalSeconds?: number;
  /** Errors pg-boss raises in the background (maintenance, monitoring); default: written to stderr. */
  onError?: (error: Error) => void;
}

/** Retries pg-boss makes after a failed attempt, per queue. */
export const QUEUE_RETRY_LIMIT: Record<QueueNameValue, number> = {
  [QueueName.FIT_PREDICTOR]: 2,
  [QueueName.TRAIN]: 3,
  [QueueName.PUBLISH_RELEASE]: 2,
};

/** Per-queue defaults: retries with exponential backoff; the lease is `expireInSeconds`, extended by workers. */
const QUEUE_OPTIONS: Record<QueueNameValue, PgBoss.Queue> = {
  [QueueName.FIT_PREDICTOR]: {
    name: QueueName.FIT_PREDICTOR,
    retryLimit: QUEUE_RETRY_LIMIT[QueueName.FIT_PREDICTOR],
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 30 * 60,
  },
  [QueueName.TRAIN]: {
    name: QueueName.TRAIN,
    retryLimit: QUEUE_RETRY_LIMIT[QueueName.TRAIN],
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
  },
  [QueueName.PUBLISH_RELEASE]: {
    name: QueueName.PUBLISH_RELEASE,
    retryLimit: QUEUE_RETRY_LIMIT[QueueName.PUBLISH_RELEASE],
    retryDelay: 5,
    retryBackoff: true,
    // Long enough for a whole store: publishing writes files, it renews no lease.
    expireInSeconds: 60 * 60,
  },
};

type Executor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };

/** pg-boss over the store's own connection pool: the same one on PostgreSQL, the serialised PGlite session otherwise. */
function poolExecutor(store: Store): Executor {
  const pool = (
    store.dataSource.driver as unknown as {
      master: { query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };
    }
  ).master;
  return { executeSql: (text, values) => pool.query(text, values) };
}

/** Runs pg-boss statements inside a caller's transaction, so a job and its domain row commit together. */
export function transactionExecutor(manager: EntityManager): Executor {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('transactionExecutor needs a transactional EntityManager');
  return {
    executeSql: async (text, values) => {
      const result = await runner.query(text, values, true);
      return { rows: (result.records ?? []) as Record<string, unknown>[] };
    },
  };
}

/**
 * The job queue: pg-boss 10 (the last line for Node 20) in the store's database, on PostgreSQL and on PGlite alike
 * (pg-boss takes a `db.executeSql`; on PGlite that is the serialised session, so its SKIP LOCKED claims and
 * advisory-locked migrations see one consistent session).
 *
 * pg-boss 10 has no heartbeat and no "give back"; two small statements in this file add them ({@link extendLease},
 * {@link releaseJob}). They touch only `state`, `started_on` and `expire_in` of one active job, the columns pg-boss's
 * own expiry check reads, so its guarantees (one claimer per job, retries with backoff after a lapsed lease) hold.
 */
export class JobQueue {
  private constructor(
    readonly boss: PgBoss,
    private readonly store: Store,
  ) {}

  static async open(store: Store, options: OpenJobQueueOptions = {}): Promise<JobQueue> {
    const boss = new PgBoss({
      db: poolExecutor(store),
      schema: QUEUE_SCHEMA,
      supervise: options.supervise ?? false,
      schedule: false,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
      monitorStateIntervalSeconds: 60,
    } as PgBoss.ConstructorOptions);
    const queue = new JobQueue(boss, store);
    boss.on(
      'error',
      options.onError ?? ((error: Error) => process.stderr.write(`nashub: job queue: ${error.message}\n`)),
    );
    await boss.start();
    for (const config of Object.values(QUEUE_OPTIONS)) {
      if (!(await boss.getQueue(config.name))) await boss.createQueue(config.name, config);
    }
    return queue;
  }

  /** Enqueues within `manager`'s transaction when given. */
  async send<T extends object>(
    name: QueueNameValue,
    data: T,
    options: { id?: string; priority?: number; expireInSeconds?: number; manager?: EntityManager } = {},
  ): Promise<string> {
    const { manager, ...rest } = options;
    const sendOptions: PgBoss.SendOptions & { db?: Executor } = { ...rest };
    if (manager) sendOptions.db = transactionExecutor(manager);
    const id = await this.boss.send(name, data, sendOptions);
    if (!id) throw new Error(`pg-boss did not create the ${name} job`);
    return id;
  }

  /** Enqueues many jobs of one queue in one statement, within `manager`'s transaction (queue defaults apply). */
  async sendMany<T extends object>(
    name: QueueNameValue,
    jobs: ReadonlyArray<{ id: string; data: T; priority?: number }>,
    manager: EntityManager,
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      jobs.map((job) => ({ id: job.id, name, data: job.data, priority: job.priority })),
      { db: transactionExecutor(manager) } as PgBoss.InsertOptions,
    );
  }

  /** Claims the next job of a queue (highest priority, then oldest), or null. */
  async claim<T>(name: QueueNameValue): Promise<ClaimedJob<T> | null> {
    const [job] = await this.boss.fetch<T>(name, { batchSize: 1, includeMetadata: true });
    if (!job) return null;
    return {
      id: job.id,
      name,
      data: job.data,
      retryCount: (job as unknown as { retryCount?: number }).retryCount ?? 0,
    };
  }

  async complete(name: QueueNameValue, id: string, output?: object): Promise<void> {
    await this.boss.complete(name, id, output);
  }

  /** Fails a claim; pg-boss retries it with backoff until the queue's retry limit. */
  async fail(name: QueueNameValue, id: string, error: Error): Promise<void> {
    await this.boss.fail(name, id, { message: error.message });
  }

  /** pg-boss's view of a job: created, retry, active, completed, cancelled, failed. */
  async state(name: QueueNameValue, id: string): Promise<string | null> {
    const job = await this.boss.getJobById(name, id);
    return job?.state ?? null;
  }

  /** Heartbeat: the lease of an active job runs `seconds` from now. Inside the caller's transaction when given. */
  async extendLease(id: string, seconds: number, manager?: EntityManager): Promise<void> {
    await (manager ?? this.store.dataSource.manager).query(
      `UPDATE ${QUEUE_SCHEMA}.job SET expire_in = (now() - started_on) + make_interval(secs => $2)
        WHERE id = $1 AND state = 'active'`,
      [id, seconds],
    );
  }

  /**
   * Gives an active job back untouched (no retry spent): a worker that stops between epochs. Its lease goes back to
   * the queue's default, since heartbeats lengthened it.
   */
  async releaseJob(id: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.store.dataSource.manager).query(
      `UPDATE ${QUEUE_SCHEMA}.job j SET state = 'created', started_on = NULL, start_after = now(),
              expire_in = make_interval(secs => q.expire_seconds)
         FROM ${QUEUE_SCHEMA}.queue q
        WHERE j.id = $1 AND j.state = 'active' AND q.name = j.name`,
      [id],
    );
  }

  /** Stops pg-boss's timers; the store stays open (its owner closes it). */
  async stop(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, close: false });
  }
}
