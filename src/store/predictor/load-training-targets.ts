import type { EntityManager } from 'typeorm';
import type { MetricName } from '../../core';
import { METRIC_COLUMNS } from '../record/run-values';

/** Labelled architectures for fitting a predictor. */
export interface TrainingTargets {
  /** Architecture strings as stored (the space's canonical form). */
  archs: string[];
  hashes: string[];
  /** The metric per architecture: the mean over seeded runs, else the published seed mean; NaN when missing. */
  targets: number[];
}

/**
 * The metric of every architecture of (space, dataset, protocol) with a COMPLETE run, at an epoch (null: the final
 * value on the run row), ordered by hash so that a training set's hash is stable.
 */
export async function loadTrainingTargets(
  manager: EntityManager,
  target: { space: string; datasetId: number; protocolId: number; metric: MetricName; epoch: number | null },
): Promise<TrainingTargets> {
  const column = METRIC_COLUMNS[target.metric];
  const value = target.epoch === null ? `r.${column}` : `c.${column}[${Number(target.epoch)}]`;
  const join = target.epoch === null ? '' : 'LEFT JOIN run_curve c ON c.run_id = r.id';
  const rows: Array<{ hash: string; arch: string; value: number | null }> = await manager.query(
    `SELECT a.hash, a.arch,
            coalesce(avg(${value}) FILTER (WHERE r.seed IS NOT NULL), max(${value}) FILTER (WHERE r.seed IS NULL)) AS value
       FROM run r JOIN architecture a ON a.id = r.architecture_id ${join}
      WHERE a.space = $1 AND r.dataset_id = $2 AND r.protocol_id = $3 AND r.status = 'COMPLETE'
      GROUP BY a.hash, a.arch
      ORDER BY a.hash`,
    [target.space, target.datasetId, target.protocolId],
  );
  return {
    archs: rows.map((r) => r.arch),
    hashes: rows.map((r) => r.hash),
    targets: rows.map((r) => (r.value === null ? Number.NaN : Number(r.value))),
  };
}
