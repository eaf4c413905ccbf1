import type { DataSource, EntityManager } from 'typeorm';
import type { PredictorRow } from '../entity/predictor.entity';
import { AdvisoryLockClass, holdConnection } from '../held-connection';
import { QUEUE_SCHEMA, QueueName } from '../queue';
import { rowsOf } from '../rows-of';
import { insertPredictor, type NewPredictor } from './predictor-repository';

/** The reason a fit whose process ended before it finished is FAILED with. */
export const ABANDONED_FIT_REASON = 'the process fitting this predictor ended before the fit finished';

/** The reason a queued fit is FAILED with when the queue gave up on its job (its last attempt's worker died). */
export const GIVEN_UP_FIT_REASON =
  'the job queue gave up on this fit: its last attempt ended without finishing it (the worker was killed or lost)';

/** A predictor row inserted TRAINING by the process that fits it, and that process's claim on it. */
export interface ClaimedPredictorFit {
  row: PredictorRow;
  /** Gives the claim up: after the row is READY or FAILED. */
  release(): Promise<void>;
}

/**
 * Inserts a TRAINING predictor row for a fit in this process (PostgreSQL), holding a session-level advisory lock on it
 * that is taken in the insert's own transaction, so no other session ever sees the row without its claim. When the
 * process dies its connection ends and the lock with it; {@link failAbandonedFits} then fails the row instead of
 * leaving it TRAINING forever.
 */
export async function insertClaimedPredictor(dataSource: DataSource, p: NewPredictor): Promise<ClaimedPredictorFit> {
  const held = await holdConnection(dataSource);
  try {
    await held.runner.startTransaction();
    const row = await insertPredictor(held.runner.manager, { ...p, jobId: null });
    await held.runner.query(`SELECT pg_advisory_lock($1, $2)`, [AdvisoryLockClass.PREDICTOR_FIT, row.id]);
    await held.runner.commitTransaction();
    return {
      row,
      release: async () => {
        try {
          if (!held.lost.aborted)
            await held.runner.query(`SELECT pg_advisory_unlock($1, $2)`, [AdvisoryLockClass.PREDICTOR_FIT, row.id]);
        } finally {
          await held.release();
        }
      },
    };
  } catch (error) {
    if (held.runner.isTransactionActive) await held.runner.rollbackTransaction().catch(() => undefined);
    await held.release();
    throw error;
  }
}

/**
 * FAILS the TRAINING predictors whose fit can no longer finish, and answers their ids:
 * - fitted in a process (no queue job) that no live session claims: the process died (SIGKILL, a lost machine). On
 *   embedded PGlite the process that opened the folder is the only one, and its in-process fits start after this runs;
 * - queued, whose job the queue has given up on (`failed` or `cancelled`, in its table or its archive): the worker of
 *   its last attempt died, its lease lapsed, and no attempt is left to end the row. A queued fit with an attempt to
 *   come (`created`, `retry`, `active`) is the queue's.
 */
export async function failAbandonedFits(manager: EntityManager): Promise<number[]> {
  const result = await manager.query(
    `UPDATE predictor p SET status = 'FAILED', error = $2, finished_at = now()
      WHERE p.status = 'TRAINING' AND p.job_id IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM pg_locks l
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
             AND l.classid = $1::bigint::oid AND l.objid = p.id::bigint::oid
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
      RETURNING p.id`,
    [AdvisoryLockClass.PREDICTOR_FIT, ABANDONED_FIT_REASON],
  );
  return [...rowsOf(result), ...(await failGivenUpFits(manager))].map((row) => Number((row as { id: number }).id));
}

/** The queued half of {@link failAbandonedFits}: one cheap statement when no queued fit is TRAINING. */
async function failGivenUpFits(manager: EntityManager): Promise<unknown[]> {
  const [{ waiting }] = rowsOf(
    await manager.query(
      `SELECT to_regclass('${QUEUE_SCHEMA}.archive') IS NOT NULL
              AND EXISTS (SELECT 1 FROM predictor WHERE status = 'TRAINING' AND job_id IS NOT NULL) AS waiting`,
    ),
  ) as Array<{ waiting: boolean }>;
  if (!waiting) return [];
  return rowsOf(
    await manager.query(
      `UPDATE predictor p SET status = 'FAILED', error = $2, finished_at = now()
        WHERE p.status = 'TRAINING' AND p.job_id IS NOT NULL
          AND (EXISTS (SELECT 1 FROM ${QUEUE_SCHEMA}.job j
                        WHERE j.name = $1 AND j.id = p.job_id AND j.state IN ('failed', 'cancelled'))
               OR EXISTS (SELECT 1 FROM ${QUEUE_SCHEMA}.archive a
                           WHERE a.name = $1 AND a.id = p.job_id AND a.state IN ('failed', 'cancelled')))
        RETURNING p.id`,
      [QueueName.FIT_PREDICTOR, GIVEN_UP_FIT_REASON],
    ),
  );
}
