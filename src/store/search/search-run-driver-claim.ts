import type { DataSource } from 'typeorm';

/** The advisory-lock class of search run drivers ("nash" in ASCII): the run's id is the lock's object id. */
const DRIVER_LOCK_CLASS = 0x6e617368;

/** A held claim on driving a search run; released by {@link SearchRunDriverClaim.release} or by its connection's end. */
export interface SearchRunDriverClaim {
  /** Aborted when the claim's connection fails (the lock went with it): the driver must stop. */
  readonly lost: AbortSignal;
  /** Gives the run up (unlocks and returns the connection to the pool). */
  release(): Promise<void>;
}

/** The pg client under a query runner, as far as a claim listens to it. */
interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Claims the right to drive a TRAINING search run (PostgreSQL): a session-level advisory lock on a connection of its
 * own, held while the driver runs. One API process of a fleet drives a run; when that process dies its connection ends,
 * PostgreSQL drops the lock, and another process's next claim takes the run over. Null when another session holds it.
 */
export async function tryClaimSearchRunDriver(
  dataSource: DataSource,
  runId: number,
): Promise<SearchRunDriverClaim | null> {
  const runner = dataSource.createQueryRunner();
  const lost = new AbortController();
  // A pooled connection that is checked out has no error listener of the pool's: without one, the connection's end
  // (a terminated backend, a failover) would be an unhandled 'error' event that ends the process.
  const onError = (error: Error) => lost.abort(error);
  let client: ErrorEmitter | null = null;
  try {
    client = (await runner.connect()) as ErrorEmitter;
    client.on('error', onError);
    const [{ claimed }] = (await runner.query(`SELECT pg_try_advisory_lock($1, $2) AS claimed`, [
      DRIVER_LOCK_CLASS,
      runId,
    ])) as Array<{ claimed: boolean }>;
    if (!claimed) {
      client.removeListener('error', onError);
      await runner.release();
      return null;
    }
  } catch (error) {
    client?.removeListener('error', onError);
    await runner.release();
    throw error;
  }
  const held = client;
  return {
    lost: lost.signal,
    release: async () => {
      try {
        if (!lost.signal.aborted) await runner.query(`SELECT pg_advisory_unlock($1, $2)`, [DRIVER_LOCK_CLASS, runId]);
      } finally {
        held.removeListener('error', onError);
        await runner.release();
      }
    },
  };
}
