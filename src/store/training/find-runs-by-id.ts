import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import { METRIC_COLUMNS } from '../record/run-values';
import type { RunRow } from '../run/list-runs';

/** Runs by id, whatever their status (a job's run is RUNNING while it trains), in one statement. */
export async function findRunsById(manager: EntityManager, ids: readonly number[]): Promise<Map<number, RunRow>> {
  if (ids.length === 0) return new Map();
  const rows: Array<Record<string, unknown>> = await manager.query(
    `SELECT r.id, a.space, r.architecture_id, a.hash, a.arch, d.name AS dataset, p.name AS protocol, r.seed, r.seed_count,
            r.source, r.status, r.train_seconds, ${METRICS.map((m) => `r.${METRIC_COLUMNS[m]}`).join(', ')}
       FROM run r JOIN architecture a ON a.id = r.architecture_id JOIN dataset d ON d.id = r.dataset_id JOIN protocol p ON p.id = r.protocol_id
      WHERE r.id = ANY($1::int[])`,
    [[...new Set(ids)]],
  );
  return new Map(
    rows.map((r) => [
      r.id as number,
      {
        id: r.id as number,
        space: r.space as string,
        architectureId: r.architecture_id as number,
        hash: r.hash as string,
        arch: r.arch as string,
        dataset: r.dataset as string,
        protocol: r.protocol as string,
        seed: r.seed as number | null,
        seedCount: r.seed_count as number | null,
        source: r.source as 'IMPORTED' | 'TRAINED',
        status: r.status as string,
        trainSeconds: r.train_seconds as number | null,
        values: Object.fromEntries(METRICS.map((m) => [m, r[METRIC_COLUMNS[m]] as number | null])) as Record<MetricName, number | null>,
      },
    ]),
  );
}
