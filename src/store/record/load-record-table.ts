import type { EntityManager } from 'typeorm';
import type { MetricName } from '../../core';
import { fnv1a } from './fnv1a';
import { METRIC_COLUMNS } from './run-values';
import type { SeedChoice } from './seed-choice';

/** Options of {@link loadRecordTable}. */
export interface RecordTableQuery {
  space: string;
  datasetId: number;
  protocolId: number;
  /** Metrics to read, one column each, in this order. */
  metrics: readonly MetricName[];
  choice: SeedChoice;
  /** The protocol's last epoch: the table reads final values, and RANDOM's pick is keyed by it as `loadRecords`' is. */
  lastEpoch: number;
  /** Stored hashes to read (absent ones are left out), or null for the stored table in architecture-id order. */
  hashes: readonly string[] | null;
  /** Whole-table mode only: architectures with an id above this one (the previous page's last). */
  afterId: number;
  /** Whole-table mode only: most architectures to return. */
  limit: number;
}

/** One page of a record table: parallel arrays, one entry per architecture with a COMPLETE run of the target. */
export interface RecordTablePage {
  /** Architecture row ids (the whole-table cursor). */
  rowIds: number[];
  hashes: string[];
  archs: string[];
  /** Per metric, values aligned with `hashes`; null where not measured. */
  columns: Array<Array<number | null>>;
}

/**
 * MEAN's value of run column `column` (of runs `r` grouped by target) in SQL: the mean over the seeded runs, summed in
 * seed order, or the published seed mean (the run with no seed) where no seeded run measured it. The export's MEAN rows
 * use it too, so `table` and `/export?seeds=MEAN` give the same numbers.
 */
export function seedMeanSql(column: string): string {
  return `coalesce(avg(${column} ORDER BY r.seed) FILTER (WHERE r.seed IS NOT NULL), max(${column}) FILTER (WHERE r.seed IS NULL))`;
}

/**
 * Final-epoch values of many architectures as columns, in one statement, with `loadRecords`' seed choice semantics:
 * MEAN is the mean over seeded runs (summed in seed order, as `loadRecords` sums), else the published seed mean;
 * SEED is that seed's run; RANDOM picks the same seed `loadRecords` picks, from the seeds aggregated in seed order.
 */
export async function loadRecordTable(manager: EntityManager, query: RecordTableQuery): Promise<RecordTablePage> {
  const { choice, metrics } = query;
  const columns = metrics.map((m) => `r.${METRIC_COLUMNS[m]}`);
  const seeded = 'r.seed IS NOT NULL';
  let select: string[];
  const params: unknown[] = [query.space, query.datasetId, query.protocolId];
  if (choice.mode === 'MEAN') {
    select = columns.map(seedMeanSql);
  } else if (choice.mode === 'SEED') {
    params.push(choice.seed);
    select = columns.map((c) => `max(${c}) FILTER (WHERE r.seed = $${params.length})`);
  } else {
    select = [
      `array_agg(r.seed ORDER BY r.seed) FILTER (WHERE ${seeded})`,
      ...columns.map((c) => `array_agg(${c} ORDER BY r.seed) FILTER (WHERE ${seeded})`),
    ];
  }
  let where: string;
  let tail = '';
  if (query.hashes !== null) {
    params.push(query.hashes);
    where = `a.hash = ANY($${params.length}::text[])`;
  } else {
    params.push(query.afterId, query.limit);
    where = `a.id > $${params.length - 1}`;
    tail = `ORDER BY a.id LIMIT $${params.length}`;
  }
  const rows: Array<{ id: number; hash: string; arch: string } & Record<string, unknown>> = await manager.query(
    `SELECT a.id, a.hash, a.arch, ${select.map((s, i) => `${s} AS v${i}`).join(', ')}
       FROM architecture a JOIN run r ON r.architecture_id = a.id
      WHERE a.space = $1 AND ${where} AND r.dataset_id = $2 AND r.protocol_id = $3 AND r.status = 'COMPLETE'
      GROUP BY a.id ${tail}`,
    params,
  );
  const page: RecordTablePage = {
    rowIds: rows.map((r) => r.id),
    hashes: rows.map((r) => r.hash),
    archs: rows.map((r) => r.arch),
    columns: metrics.map(() => new Array<number | null>(rows.length)),
  };
  rows.forEach((row, i) => {
    if (choice.mode !== 'RANDOM') {
      metrics.forEach((_, m) => (page.columns[m][i] = row[`v${m}`] as number | null));
      return;
    }
    const seeds = (row.v0 as number[] | null) ?? [];
    const key = `${choice.clientSeed}:${row.id}:${query.datasetId}:${query.protocolId}:${query.lastEpoch}`;
    const pick = seeds.length > 0 ? fnv1a(key) % seeds.length : -1;
    metrics.forEach((_, m) => (page.columns[m][i] = pick < 0 ? null : ((row[`v${m + 1}`] as number[])[pick] ?? null)));
  });
  return page;
}
