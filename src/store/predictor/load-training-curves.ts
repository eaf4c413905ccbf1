import type { EntityManager } from 'typeorm';
import type { MetricName } from '../../core';
import { METRIC_COLUMNS } from '../record/run-values';

/** One stored learning curve for fitting an extrapolator. */
export interface TrainingCurve {
  arch: string;
  hash: string;
  /** Values of epochs 1..n (index i = epoch i + 1); only complete curves without gaps are returned. */
  values: number[];
  /** The run's training-accuracy curve over the same epochs when it is complete too, else null. */
  trainValues: number[] | null;
}

/**
 * Full learning curves of a metric for (space, dataset, protocol): COMPLETE runs whose curve covers every epoch of the
 * protocol without a gap, one per run (several seeds of one architecture give several curves), ordered stably.
 */
export async function loadTrainingCurves(
  manager: EntityManager,
  target: { space: string; datasetId: number; protocolId: number; metric: MetricName; epochs: number },
): Promise<TrainingCurve[]> {
  const column = METRIC_COLUMNS[target.metric];
  const rows: Array<{ arch: string; hash: string; values: Array<number | null>; train: Array<number | null> | null }> =
    await manager.query(
      `SELECT a.arch, a.hash, c.${column} AS values, c.train_acc AS train
       FROM run r JOIN architecture a ON a.id = r.architecture_id JOIN run_curve c ON c.run_id = r.id
      WHERE a.space = $1 AND r.dataset_id = $2 AND r.protocol_id = $3 AND r.status = 'COMPLETE'
        AND cardinality(c.${column}) >= $4 AND array_position(c.${column}[1:$4], NULL) IS NULL
      ORDER BY a.hash, r.seed NULLS FIRST, r.id`,
      [target.space, target.datasetId, target.protocolId, target.epochs],
    );
  const complete = (v: Array<number | null> | null): v is number[] =>
    v !== null && v.length >= target.epochs && v.slice(0, target.epochs).every((x) => x !== null);
  return rows.map((r) => ({
    arch: r.arch,
    hash: r.hash,
    values: (r.values as number[]).slice(0, target.epochs).map(Number),
    trainValues: complete(r.train) ? r.train.slice(0, target.epochs).map(Number) : null,
  }));
}
