import type { DataSource } from 'typeorm';
import { rowsOf } from '../rows-of';

/**
 * Restarts a RUNNING job from epoch 0 in one transaction, when its checkpoint cannot be resumed (corrupt, or written
 * for other settings): the checkpoint and the run's curve are dropped, epochs done reset, and the reason kept as the
 * job's `error` so the API says what happened. Returns false when the attempt no longer owns the job.
 */
export async function restartTrainingJob(
  dataSource: DataSource,
  options: { jobId: string; worker: string; reason: string },
): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const rows = rowsOf<{ run_id: number }>(
      await manager.query(
        `UPDATE training_job SET epochs_done = 0, checkpoint = NULL, error = $3, updated_at = now()
          WHERE id = $1 AND worker = $2 AND status = 'RUNNING' RETURNING run_id`,
        [options.jobId, options.worker, options.reason.slice(0, 2000)],
      ),
    );
    if (rows.length === 0) return false;
    await manager.query(
      `UPDATE run_curve SET train_acc = NULL, valid_acc = NULL, test_acc = NULL, train_loss = NULL, valid_loss = NULL, test_loss = NULL,
              epoch_seconds = NULL WHERE run_id = $1`,
      [rows[0].run_id],
    );
    return true;
  });
}
