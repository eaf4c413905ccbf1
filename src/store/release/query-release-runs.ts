import type { EntityManager } from 'typeorm';
import { METRIC_COLUMNS, RELEASE_EXTERNAL_ID, type ReleaseRow } from './release-columns';
import type { ReleaseFilter, ReleaseProtocol } from './release-manifest';
import { ValueKind } from './release-origin';

/** A released run: its records row, and the id its curve is read by. */
export interface ReleaseRun {
  runId: number;
  row: ReleaseRow;
}

/**
 * Complete runs matching the filter as records rows, sorted by (space, arch_id, dataset, protocol, seed NULLS FIRST).
 * Text sorts by bytes (COLLATE "C") so the order, hence the files, never depends on the server's locale.
 */
export async function queryReleaseRuns(manager: EntityManager, filter: ReleaseFilter): Promise<ReleaseRun[]> {
  const rows: Array<ReleaseRow & { run_id: number }> = await manager.query(
    `SELECT r.id AS run_id, ${ROW_COLUMNS} FROM run r ${JOINS} ${externalIds('$4', '')} WHERE ${FILTER} ORDER BY ${ORDER}`,
    [filter.space, filter.dataset, filter.protocol, RELEASE_EXTERNAL_ID.scheme],
  );
  return rows.map(({ run_id, ...row }) => ({ runId: run_id, row }));
}

/** The runs {@link queryReleaseRuns} reads, in its order, as ids only: what an export pages through. */
export interface ReleaseRunOrder {
  runIds: number[];
  architectureIds: number[];
}

/**
 * {@link queryReleaseRuns}' runs and order in one statement that reads ids only (8 bytes a row). The architectures are
 * ranked by (space, hash) first, so the runs sort by an integer instead of their hash text: sorting 70,000 NB201 runs
 * by hash spilled to disk at the default work_mem and took 2-3 times as long.
 */
export async function queryReleaseRunOrder(manager: EntityManager, filter: ReleaseFilter): Promise<ReleaseRunOrder> {
  const rows: Array<{ id: number; architecture_id: number }> = await manager.query(
    `WITH ranked AS (SELECT id, row_number() OVER (ORDER BY space COLLATE "C", hash COLLATE "C") AS rank
                       FROM architecture WHERE $1::text IS NULL OR space = $1)
     SELECT r.id, r.architecture_id FROM run r JOIN ranked k ON k.id = r.architecture_id ${JOINS}
      WHERE ${FILTER}
      ORDER BY k.rank, d.name COLLATE "C", p.name COLLATE "C", r.seed NULLS FIRST`,
    [filter.space, filter.dataset, filter.protocol],
  );
  return { runIds: rows.map((r) => r.id), architectureIds: rows.map((r) => r.architecture_id) };
}

/** Records rows of these runs (ids from {@link queryReleaseRunOrder}), in that order, with the same columns. */
export async function queryReleaseRowsById(
  manager: EntityManager,
  runIds: readonly number[],
  architectureIds: readonly number[],
): Promise<ReleaseRow[]> {
  return manager.query(
    `SELECT ${ROW_COLUMNS}
       FROM unnest($2::int[]) WITH ORDINALITY AS o(run_id, i) JOIN run r ON r.id = o.run_id ${JOINS}
       ${externalIds('$1', 'AND architecture_id = ANY($3::int[])')}
      -- Redundant with the joins, but they let the planner fetch the page's rows by index (a merge join scanned the
      -- whole run index for every page: 4-6 times slower on NB201).
      WHERE r.id = ANY($2::int[]) AND a.id = ANY($3::int[])
      ORDER BY o.i`,
    [RELEASE_EXTERNAL_ID.scheme, runIds, [...new Set(architectureIds)]],
  );
}

/** Where a seed-mean page starts: after the row with this (space, arch_id, dataset, protocol), in the release order. */
export interface ReleaseMeanCursor {
  space: string;
  archId: string;
  dataset: string;
  protocol: string;
}

/** Options of {@link queryReleaseMeanPage}. */
export interface ReleaseMeanPageQuery {
  filter: ReleaseFilter;
  /** Value columns to read (metric or `train_seconds` names); the rows leave the others out. */
  columns: readonly string[];
  /** The previous page's last row, or null for the first page. */
  after: ReleaseMeanCursor | null;
  /** Most rows to read. */
  limit: number;
}

/**
 * One page of the seed-mean records rows of the filter, in the release order (space, arch_id, dataset, protocol): one
 * row per (architecture, dataset, protocol) with a complete run, holding the seed mean `record` and `table` read, from
 * the seed means the store keeps (`run_seed_mean`: the mean over seeded runs, else the published mean, metric by
 * metric), `seed` empty, `seed_count` the seeded runs averaged (else the published mean's count), `source` the runs'
 * source or `MIXED` where they differ. Pages are keyed by their last row (keyset), so each is one statement and no
 * statement reads the whole order first.
 */
export async function queryReleaseMeanPage(manager: EntityManager, query: ReleaseMeanPageQuery): Promise<ReleaseRow[]> {
  const { filter, after } = query;
  const means = [...METRIC_COLUMNS, 'train_seconds'].filter((c) => query.columns.includes(c));
  // The driver parses every field of every row: the constant columns are set here, and `arch` is read only where it
  // differs from `arch_id` (nb201's ids are their texts). The key columns are read as the sort keys of MEAN_ORDER
  // (COLLATE "C", the same text), so the sort holds each once: as plain columns besides the keys, every sorted row
  // held its hash, space, dataset and protocol twice, and a whole NB201 dataset-protocol table spilled 4.2 MB to disk
  // instead of 2.6 MB (52 against 67 ms in EXPLAIN ANALYZE).
  const rows: ReleaseRow[] = await manager.query(
    `SELECT a.space COLLATE "C" AS space, nullif(a.arch, a.hash) AS arch, a.hash COLLATE "C" AS arch_id,
            x.external_id AS ${RELEASE_EXTERNAL_ID.column}, d.name COLLATE "C" AS dataset,
            p.name COLLATE "C" AS protocol, p.epochs AS protocol_epochs,
            ${['seed_count', 'source', ...means].map((c) => `s.${c}`).join(', ')}
       FROM run_seed_mean s
       ${MEAN_JOINS}
       JOIN architecture a ON a.id = s.architecture_id
       ${externalIds('$4', '')}
      WHERE ${MEAN_FILTER} AND ($3::text IS NULL OR a.space = $3)
        AND ($5::text IS NULL OR (${MEAN_ORDER}) > ($5::text, $6::text, $7::text, $8::text))
      ORDER BY ${MEAN_ORDER}
      LIMIT $9`,
    [
      filter.dataset,
      filter.protocol,
      filter.space,
      RELEASE_EXTERNAL_ID.scheme,
      after?.space ?? null,
      after?.archId ?? null,
      after?.dataset ?? null,
      after?.protocol ?? null,
      query.limit,
    ],
  );
  for (const row of rows) {
    row.arch ??= row.arch_id;
    row.seed = null;
    row.value_kind = ValueKind.SEED_MEAN;
  }
  return rows;
}

/** The release order of seed-mean rows (`a`, `d`, `p` joined); text sorts by bytes. */
const MEAN_ORDER = `a.space COLLATE "C", a.hash COLLATE "C", d.name COLLATE "C", p.name COLLATE "C"`;

/** The dataset and protocol of a kept seed mean `s`. */
const MEAN_JOINS = `JOIN dataset d ON d.id = s.dataset_id JOIN protocol p ON p.id = s.protocol_id`;

/** Kept seed means with a record, of the filter's dataset ($1) and protocol ($2) (null matches all). */
const MEAN_FILTER = `s.runs > 0 AND ($1::text IS NULL OR d.name = $1) AND ($2::text IS NULL OR p.name = $2)`;

/**
 * The records row of a run `r` (with `a`, `d`, `p` and external id `x` joined), less its `origin`
 * (queryReleaseProvenance gives it). The store holds no imputed values: a value kind is a seed mean or a seed.
 */
const ROW_COLUMNS = `a.space, a.arch, a.hash AS arch_id, x.external_id AS ${RELEASE_EXTERNAL_ID.column},
       d.name AS dataset, p.name AS protocol, p.epochs AS protocol_epochs, r.seed, r.seed_count, r.source,
       CASE WHEN r.seed IS NULL THEN '${ValueKind.SEED_MEAN}' ELSE '${ValueKind.SINGLE_SEED}' END AS value_kind,
       ${METRIC_COLUMNS.map((c) => `r.${c}`).join(', ')}, r.train_seconds`;

const JOINS = `JOIN architecture a ON a.id = r.architecture_id
       JOIN dataset d ON d.id = r.dataset_id
       JOIN protocol p ON p.id = r.protocol_id`;

/** Released runs: complete, and in the filter ($1 space, $2 dataset, $3 protocol; null matches all). */
const FILTER = `r.status = 'COMPLETE'
        AND ($1::text IS NULL OR a.space = $1) AND ($2::text IS NULL OR d.name = $2) AND ($3::text IS NULL OR p.name = $3)`;

/** The release order; text sorts by bytes (COLLATE "C"). */
const ORDER = `a.space COLLATE "C", a.hash COLLATE "C", d.name COLLATE "C", p.name COLLATE "C", r.seed NULLS FIRST`;

/** The external-id join: the scheme is parameter `scheme`, `restrict` narrows the architectures read. */
function externalIds(scheme: string, restrict: string): string {
  // A join, not a per-row subquery: PGlite never analyses, and its plan for the subquery is quadratic.
  return `LEFT JOIN (SELECT architecture_id, min(external_id COLLATE "C") AS external_id FROM architecture_external_id
                   WHERE scheme = ${scheme} ${restrict} GROUP BY architecture_id) x ON x.architecture_id = a.id`;
}

/** The stored protocols of these names, sorted by name. */
export async function queryReleaseProtocols(
  manager: EntityManager,
  names: readonly string[],
): Promise<ReleaseProtocol[]> {
  return manager.query(
    `SELECT name, epochs, hyperparameters, description FROM protocol WHERE name = ANY($1::text[]) ORDER BY name COLLATE "C"`,
    [names],
  );
}
