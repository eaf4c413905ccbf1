import type { DataSource } from 'typeorm';
import { AdvisoryLockClass, holdConnection } from '../held-connection';

/** A held claim on driving a search run; released by {@link SearchRunDriverClaim.release} or by its connection's end. */
export interface SearchRunDriverClaim {
  /** Aborted when the claim's connection fails (the lock went with it): the driver must stop. */
  readonly lost: AbortSignal;
  /** Gives the run up (unlocks and returns the connection to the pool). */
  release(): Promise<void>;
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
  const held = await holdConnection(dataSource);
  const key = [AdvisoryLockClass.SEARCH_RUN_DRIVER, runId];
  try {
    const [{ claimed }] = (await held.runner.query(`SELECT pg_try_advisory_lock($1, $2) AS claimed`, key)) as Array<{
      claimed: boolean;
    }>;
    if (!claimed) {
      await held.release();
      return null;
    }
  } catch (error) {
    await held.release();
    throw error;
  }
  return {
    lost: held.lost,
    release: async () => {
      try {
        if (!held.lost.aborted) await held.runner.query(`SELECT pg_advisory_unlock($1, $2)`, key);
      } finally {
        await held.release();
      }
    },
  };
}
