import type { DataSource } from 'typeorm';
import { QUEUE_SCHEMA } from '../queue';
import { JobEventKind, notifyJobEvent } from './job-event';
import { rowsOf } from '../rows-of';
import { TrainingJobStatus, type TrainingJobStatusValue } from './training-job-status';

/**
 * Brings job rows in line with pg-boss after a worker vanished without a word (killed, machine lost): pg-boss's
 * maintenance fails an active job whose lease lapsed and schedules its retry, but no worker is left to update the row.
 * A RUNNING row whose pg-boss job waits for a retry turns QUEUED ("lease lapsed"); a QUEUED or RUNNING row whose pg-boss
 * job has failed for good turns FAILED, its run FAILED. Each change sends its event. Returns the ids changed.
 */
export async function reconcileTrainingJobs(dataSource: DataSource): Promise<string[]> {
  return dataSource.transaction(async (manager) => {
    const boss = `SELECT id, state, output FROM ${QUEUE_SCHEMA}.job WHERE name = 'train' AND state IN ('retry', 'failed')
                  UNION ALL
                  SELECT id, state, output FROM ${QUEUE_SCHEMA}.archive WHERE name = 'train' AND state = 'failed'`;
    // Lock the candidate rows first, then read pg-boss again in a second statement (a new snapshot under READ
    // COMMITTED): a claim that committed while we waited for a lock is then seen as active and left alone.
    const locked: Array<{ id: string }> = await manager.query(
      `SELECT t.id FROM training_job t WHERE t.status IN ('RUNNING', 'QUEUED') AND t.id IN (SELECT id FROM (${boss}) b) ORDER BY t.id FOR UPDATE OF t`,
    );
    if (locked.length === 0) return [];
    const changed = rowsOf<{
      id: string;
      status: TrainingJobStatusValue;
      error: string;
      epochs_done: number;
      total_epochs: number;
      run_id: number | null;
    }>(
      await manager.query(
        `WITH boss AS (${boss})
         UPDATE training_job t
            SET status = CASE WHEN b.state = 'failed' THEN 'FAILED' ELSE 'QUEUED' END,
                error = 'lease lapsed: ' || coalesce(b.output->>'message', 'the worker stopped answering'),
                worker = NULL, updated_at = now(),
                finished_at = CASE WHEN b.state = 'failed' THEN now() END,
                checkpoint = CASE WHEN b.state = 'failed' THEN NULL ELSE t.checkpoint END
           FROM boss b
          WHERE b.id = t.id AND t.id = ANY($1::uuid[]) AND (t.status = 'RUNNING' OR (t.status = 'QUEUED' AND b.state = 'failed'))
         RETURNING t.id, t.status, t.error, t.epochs_done, t.total_epochs, t.run_id`,
        [locked.map((r) => r.id)],
      ),
    );
    for (const job of changed) {
      if (job.status === TrainingJobStatus.FAILED && job.run_id !== null)
        await manager.query(`UPDATE run SET status = 'FAILED' WHERE id = $1 AND status = 'RUNNING'`, [job.run_id]);
      await notifyJobEvent(manager, {
        jobId: job.id,
        kind: job.status === TrainingJobStatus.FAILED ? JobEventKind.FINISHED : JobEventKind.RETRYING,
        status: job.status,
        epochsDone: job.epochs_done,
        totalEpochs: job.total_epochs,
        epoch: null,
        error: job.error,
      });
    }
    return changed.map((job) => job.id);
  });
}
