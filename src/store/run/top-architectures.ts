import type { EntityManager } from 'typeorm';
import type { MetricName } from '../../core';
import { METRIC_COLUMNS } from '../record/run-values';

/** Options of {@link topArchitectures}. */
export interface TopOptions {
  space: string;
  datasetId: number;
  protocolId: number;
  metric: MetricName;
  k: number;
}

/** One ranked architecture. */
export interface TopRow {
  architectureId: number;
  hash: string;
  arch: string;
  /** Mean over seeds (or a published seed mean). */
  value: number;
  std: number | null;
  n: number | null;
}

/**
 * The k best stored architectures by a metric's seed mean at the protocol's last epoch (accuracies high first,
 * losses low first); a published seed mean stands in where no single-seed run exists.
 */
export async function topArchitectures(manager: EntityManager, options: TopOptions): Promise<TopRow[]> {
  const column = METRIC_COLUMNS[options.metric];
  const order = options.metric.endsWith('Loss') ? 'ASC' : 'DESC';
  const rows: Array<{
    architecture_id: number;
    hash: string;
    arch: string;
    value: number;
    std: number | null;
    n: number | null;
  }> = await manager.query(
    `WITH per_arch AS (
       SELECT r.architecture_id,
              coalesce(avg(r.${column}) FILTER (WHERE r.seed IS NOT NULL), max(r.${column}) FILTER (WHERE r.seed IS NULL)) AS value,
              CASE WHEN count(r.${column}) FILTER (WHERE r.seed IS NOT NULL) > 0
                   THEN stddev_pop(r.${column}) FILTER (WHERE r.seed IS NOT NULL) END AS std,
              coalesce(nullif(count(r.${column}) FILTER (WHERE r.seed IS NOT NULL), 0), max(r.seed_count)) AS n
         FROM run r
        WHERE r.dataset_id = $2 AND r.protocol_id = $3 AND r.status = 'COMPLETE'
        GROUP BY r.architecture_id)
     SELECT p.architecture_id, a.hash, a.arch, p.value, p.std, p.n::int AS n
       FROM per_arch p JOIN architecture a ON a.id = p.architecture_id
      WHERE a.space = $1 AND p.value IS NOT NULL
      ORDER BY p.value ${order}, a.hash
      LIMIT $4`,
    [options.space, options.datasetId, options.protocolId, options.k],
  );
  return rows.map((r) => ({
    architectureId: r.architecture_id,
    hash: r.hash,
    arch: r.arch,
    value: r.value,
    std: r.std,
    n: r.n,
  }));
}
