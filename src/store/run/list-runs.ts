import type { EntityManager } from 'typeorm';
import { METRICS, type MetricName } from '../../core';
import type { RunEntity } from '../entity/run.entity';
import { METRIC_COLUMNS } from '../record/run-values';

/** Which runs to list; every field narrows. */
export interface RunFilter {
  space?: string;
  datasetId?: number;
  protocolId?: number;
  source?: RunEntity['source'];
  architectureId?: number;
  seed?: number;
}

/** A run as listed: fields of its entity, the names it joins, and its final metric values. */
export type RunRow = Pick<
  RunEntity,
  'id' | 'architectureId' | 'seed' | 'seedCount' | 'source' | 'status' | 'trainSeconds'
> & {
  space: string;
  hash: string;
  arch: string;
  dataset: string;
  protocol: string;
  values: Record<MetricName, number | null>;
};

/** Runs after a run id, by id, with the total matching count (Relay paging over a stable key). */
export async function listRuns(
  manager: EntityManager,
  filter: RunFilter,
  page: { first: number; afterId: number | null },
): Promise<{ rows: RunRow[]; totalCount: number; hasNextPage: boolean }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.space !== undefined) add('a.space = ?', filter.space);
  if (filter.datasetId !== undefined) add('r.dataset_id = ?', filter.datasetId);
  if (filter.protocolId !== undefined) add('r.protocol_id = ?', filter.protocolId);
  if (filter.source !== undefined) add('r.source = ?', filter.source);
  if (filter.architectureId !== undefined) add('r.architecture_id = ?', filter.architectureId);
  if (filter.seed !== undefined) add('r.seed = ?', filter.seed);
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const from = RUN_ROW_FROM;
  const total: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n ${from} ${whereSql}`, params);
  const pageParams = [...params, page.afterId ?? 0, page.first + 1];
  const pageWhere = `${whereSql ? `${whereSql} AND` : 'WHERE'} r.id > $${params.length + 1}`;
  const rows: Array<Record<string, unknown>> = await manager.query(
    `SELECT ${RUN_ROW_COLUMNS} ${from} ${pageWhere} ORDER BY r.id LIMIT $${params.length + 2}`,
    pageParams,
  );
  return {
    totalCount: total[0].n,
    hasNextPage: rows.length > page.first,
    rows: rows.slice(0, page.first).map(toRunRow),
  };
}

/** The columns of a {@link RunRow}, selected from {@link RUN_ROW_FROM}. */
export const RUN_ROW_COLUMNS = `r.id, a.space, r.architecture_id, a.hash, a.arch, d.name AS dataset, p.name AS protocol, r.seed, r.seed_count,
  r.source, r.status, r.train_seconds, ${METRICS.map((m) => `r.${METRIC_COLUMNS[m]}`).join(', ')}`;

/** Runs with their architecture, dataset and protocol names. */
export const RUN_ROW_FROM =
  'FROM run r JOIN architecture a ON a.id = r.architecture_id JOIN dataset d ON d.id = r.dataset_id JOIN protocol p ON p.id = r.protocol_id';

/** Maps a raw row of {@link RUN_ROW_COLUMNS}. */
export function toRunRow(r: Record<string, unknown>): RunRow {
  return {
    id: r.id as number,
    space: r.space as string,
    architectureId: r.architecture_id as number,
    hash: r.hash as string,
    arch: r.arch as string,
    dataset: r.dataset as string,
    protocol: r.protocol as string,
    seed: r.seed as number | null,
    seedCount: r.seed_count as number | null,
    source: r.source as RunEntity['source'],
    status: r.status as RunEntity['status'],
    trainSeconds: r.train_seconds as number | null,
    values: Object.fromEntries(METRICS.map((m) => [m, r[METRIC_COLUMNS[m]] as number | null])) as Record<
      MetricName,
      number | null
    >,
  };
}
