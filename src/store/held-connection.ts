import type { DataSource, QueryRunner } from 'typeorm';

/** The first key of PostgreSQL's two-key advisory locks, one per kind of claim (the second key is the row's id). */
export const AdvisoryLockClass = {
  /** A TRAINING search run's driver ("nash" in ASCII). */
  SEARCH_RUN_DRIVER: 0x6e617368,
  /** A predictor fitted in the process that inserted its row ("fitp"). */
  PREDICTOR_FIT: 0x66697470,
} as const;

/** A pooled connection kept out of the pool, e.g. to hold its session's advisory locks. */
export interface HeldConnection {
  /** Runs queries on the held connection. */
  readonly runner: QueryRunner;
  /** Aborted when the connection fails (its session, and every lock it held, are gone). */
  readonly lost: AbortSignal;
  /** Returns the connection to the pool. */
  release(): Promise<void>;
}

/** The pg client under a query runner, as far as a held connection listens to it. */
interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Takes a connection of its own from the pool (PostgreSQL; on embedded PGlite a held connection would block every
 * other query). A checked-out pg client has no error listener of the pool's: without one, the connection's end (a
 * terminated backend, a failover) would be an unhandled 'error' event that ends the process, so it gets one here.
 */
export async function holdConnection(dataSource: DataSource): Promise<HeldConnection> {
  const runner = dataSource.createQueryRunner();
  const lost = new AbortController();
  const onError = (error: Error) => lost.abort(error);
  let client: ErrorEmitter;
  try {
    client = (await runner.connect()) as ErrorEmitter;
  } catch (error) {
    await runner.release();
    throw error;
  }
  client.on('error', onError);
  return {
    runner,
    lost: lost.signal,
    release: async () => {
      client.removeListener('error', onError);
      await runner.release();
    },
  };
}
