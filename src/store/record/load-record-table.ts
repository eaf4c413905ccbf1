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
  /** Canonical texts, whole-table mode only (empty when `hashes` were asked for: the caller has the texts). */
  archs: string[];
  /** Per metric, values aligned with `hashes`; null where not measured. */
  columns: Array<Array<number | null>>;
}

/**
 * Final-epoch values of many architectures as columns, in one statement, with `loadRecords`' seed choice semantics:
 * MEAN is the mean over seeded runs (summed in seed order, as `loadRecords` sums), else the published seed mean, read
 * from the seed means the store keeps (`run_seed_mean`);
 * SEED is that seed's run; RANDOM picks the same seed `loadRecords` picks, from the seeds aggregated in seed order.
 */
export async function loadRecordTable(manager: EntityManager, query: RecordTableQuery): Promise<RecordTablePage> {
  const rows = query.choice.mode === 'MEAN' ? await queryKeptMeans(manager, query) : await queryRuns(manager, query);
  return toPage(rows, query);
}

type TableRow = { id: number; hash: string; arch?: string } & Record<string, unknown>;

/** Where the page's architectures are: the stored hashes asked for, or the next `limit` after `afterId`. */
function pageScope(query: RecordTableQuery, params: unknown[], id: string): { where: string; tail: string } {
  if (query.hashes !== null) {
    params.push(query.hashes);
    return { where: `a.hash = ANY($${params.length}::text[])`, tail: '' };
  }
  params.push(query.afterId, query.limit);
  return { where: `${id} > $${params.length - 1}`, tail: `ORDER BY ${id} LIMIT $${params.length}` };
}

/**
 * MEAN from the seed means the store keeps (`run_seed_mean`, the triggers' aggregation of the same runs): narrow rows
 * by primary key, no runs read. The architecture text is read only in whole-table mode (with `archs` the caller has it).
 */
async function queryKeptMeans(manager: EntityManager, query: RecordTableQuery): Promise<TableRow[]> {
  const params: unknown[] = [query.space, query.datasetId, query.protocolId];
  const { where, tail } = pageScope(query, params, 's.architecture_id');
  const values = query.metrics.map((m, i) => `s.${METRIC_COLUMNS[m]} AS v${i}`);
  return manager.query(
    `SELECT a.id, a.hash, ${query.hashes === null ? 'a.arch, ' : ''}${values.join(', ')}
       FROM run_seed_mean s JOIN architecture a ON a.id = s.architecture_id
      WHERE s.dataset_id = $2 AND s.protocol_id = $3 AND s.runs > 0 AND a.space = $1 AND ${where} ${tail}`,
    params,
  );
}

/** SEED and RANDOM from the runs: that seed's values, or every seed's in seed order for RANDOM to pick from. */
async function queryRuns(manager: EntityManager, query: RecordTableQuery): Promise<TableRow[]> {
  const { choice } = query;
  const columns = query.metrics.map((m) => `r.${METRIC_COLUMNS[m]}`);
  const seeded = 'r.seed IS NOT NULL';
  const params: unknown[] = [query.space, query.datasetId, query.protocolId];
  let select: string[];
  if (choice.mode === 'SEED') {
    params.push(choice.seed);
    select = columns.map((c) => `max(${c}) FILTER (WHERE r.seed = $${params.length})`);
  } else {
    select = [
      `array_agg(r.seed ORDER BY r.seed) FILTER (WHERE ${seeded})`,
      ...columns.map((c) => `array_agg(${c} ORDER BY r.seed) FILTER (WHERE ${seeded})`),
    ];
  }
  const { where, tail } = pageScope(query, params, 'a.id');
  return manager.query(
    `SELECT a.id, a.hash, a.arch, ${select.map((s, i) => `${s} AS v${i}`).join(', ')}
       FROM architecture a JOIN run r ON r.architecture_id = a.id
      WHERE a.space = $1 AND ${where} AND r.dataset_id = $2 AND r.protocol_id = $3 AND r.status = 'COMPLETE'
      GROUP BY a.id ${tail}`,
    params,
  );
}

function toPage(rows: TableRow[], query: RecordTableQuery): RecordTablePage {
  const { choice, metrics } = query;
  const page: RecordTablePage = {
    rowIds: rows.map((r) => r.id),
    hashes: rows.map((r) => r.hash),
    archs: query.hashes === null ? rows.map((r) => r.arch!) : [],
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
