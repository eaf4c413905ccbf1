import type { EntityManager } from 'typeorm';
import type { MetricName } from '../../core';
import { METRIC_COLUMNS } from '../record/run-values';

/** Options of {@link loadProtocolValues}. */
export interface ProtocolValuesQuery {
  space: string;
  datasetId: number;
  protocolId: number;
  /** The metric to read at the protocol's last epoch (the run row's final value). */
  metric: MetricName;
  /** Only these architecture hashes (default: every architecture with a COMPLETE run). */
  hashes?: readonly string[];
}

/** One architecture's final metric and training time under a protocol. */
export interface ProtocolValue {
  hash: string;
  /** Mean over seeded runs, else the published seed mean (as records read with seed choice MEAN). */
  value: number;
  /** Mean training seconds over seeded runs that have them, else the published mean's; null when none says. */
  trainSeconds: number | null;
}

/**
 * The final metric and training seconds of every architecture of (space, dataset, protocol) with a COMPLETE run, in
 * one statement: what a simulated search loads once into memory (NB201: 15,625 rows per protocol). Architectures whose
 * runs lack the metric are left out.
 */
export async function loadProtocolValues(manager: EntityManager, query: ProtocolValuesQuery): Promise<ProtocolValue[]> {
  const column = METRIC_COLUMNS[query.metric];
  const params: unknown[] = [query.space, query.datasetId, query.protocolId];
  let filter = '';
  if (query.hashes !== undefined) {
    params.push([...new Set(query.hashes)]);
    filter = 'AND a.hash = ANY($4::text[])';
  }
  const rows: Array<{ hash: string; value: number | null; train_seconds: number | null }> = await manager.query(
    `SELECT a.hash,
            coalesce(avg(r.${column}) FILTER (WHERE r.seed IS NOT NULL), max(r.${column}) FILTER (WHERE r.seed IS NULL)) AS value,
            coalesce(avg(r.train_seconds) FILTER (WHERE r.seed IS NOT NULL), max(r.train_seconds) FILTER (WHERE r.seed IS NULL)) AS train_seconds
       FROM run r JOIN architecture a ON a.id = r.architecture_id
      WHERE a.space = $1 AND r.dataset_id = $2 AND r.protocol_id = $3 AND r.status = 'COMPLETE' ${filter}
      GROUP BY a.hash
      ORDER BY a.hash`,
    params,
  );
  return rows
    .filter((r) => r.value !== null)
    .map((r) => ({
      hash: r.hash,
      value: Number(r.value),
      trainSeconds: r.train_seconds === null ? null : Number(r.train_seconds),
    }));
}
