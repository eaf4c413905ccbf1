import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import { METRIC_COLUMNS } from './run-values';

/** Metric values of (run, epoch) pairs in one statement, keyed `runId:epoch`; missing epochs are absent. */
export async function loadCurvePoints(
  manager: EntityManager,
  pairs: ReadonlyArray<{ runId: number; epoch: number }>,
): Promise<Map<string, Partial<Record<MetricName, number | null>>>> {
  const out = new Map<string, Partial<Record<MetricName, number | null>>>();
  if (pairs.length === 0) return out;
  const rows: Array<Record<string, number | null> & { run_id: number; epoch: number }> = await manager.query(
    `SELECT k.r AS run_id, k.ep AS epoch, ${METRICS.map((m) => `c.${METRIC_COLUMNS[m]}[k.ep] AS ${METRIC_COLUMNS[m]}`).join(', ')}
       FROM unnest($1::int[], $2::int[]) AS k(r, ep) JOIN run_curve c ON c.run_id = k.r`,
    [pairs.map((p) => p.runId), pairs.map((p) => p.epoch)],
  );
  for (const row of rows)
    out.set(`${row.run_id}:${row.epoch}`, Object.fromEntries(METRICS.map((m) => [m, row[METRIC_COLUMNS[m]]])));
  return out;
}
