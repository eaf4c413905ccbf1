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

/**
 * The architectures with a complete run in the filter, in the release order (space, arch_id), as ids: what a seed-mean
 * export pages through.
 */
export async function queryReleaseArchitectureOrder(manager: EntityManager, filter: ReleaseFilter): Promise<number[]> {
  const rows: Array<{ id: number }> = await manager.query(
    `SELECT a.id FROM architecture a
      WHERE ($3::text IS NULL OR a.space = $3)
        AND EXISTS (SELECT 1 FROM run_seed_mean s ${MEAN_JOINS} WHERE s.architecture_id = a.id AND ${MEAN_FILTER})
      ORDER BY a.space COLLATE "C", a.hash COLLATE "C"`,
    [filter.dataset, filter.protocol, filter.space],
  );
  return rows.map((r) => r.id);
}

/**
 * One records row per (architecture, dataset, protocol) of these architectures (ids from
 * {@link queryReleaseArchitectureOrder}) with a complete run in the filter, in the release order: the seed mean
 * `record` and `table` read, from the seed means the store keeps (`run_seed_mean`: the mean over seeded runs, else the
 * published mean, metric by metric), `seed` empty, `seed_count` the seeded runs averaged (else the published mean's
 * count), `source` the runs' source or `MIXED` where they differ. Only `columns` (metric or `train_seconds` names) are
 * read; the rows leave the others out.
 */
export async function queryReleaseMeanRows(
  manager: EntityManager,
  filter: ReleaseFilter,
  architectureIds: readonly number[],
  columns: readonly string[],
): Promise<ReleaseRow[]> {
  // Unread columns are left out of the rows: the writers write a missing value as null.
  const means = [...METRIC_COLUMNS, 'train_seconds'].filter((c) => columns.includes(c));
  return manager.query(
    `SELECT a.space, a.arch, a.hash AS arch_id, x.external_id AS ${RELEASE_EXTERNAL_ID.column},
            d.name AS dataset, p.name AS protocol, p.epochs AS protocol_epochs, NULL::int AS seed,
            '${ValueKind.SEED_MEAN}' AS value_kind, ${['seed_count', 'source', ...means].map((c) => `s.${c}`).join(', ')}
       FROM unnest($3::int[]) WITH ORDINALITY AS o(architecture_id, i)
       JOIN run_seed_mean s ON s.architecture_id = o.architecture_id
       ${MEAN_JOINS}
       JOIN architecture a ON a.id = o.architecture_id
       ${externalIds('$4', 'AND architecture_id = ANY($3::int[])')}
      WHERE ${MEAN_FILTER}
      ORDER BY o.i, d.name COLLATE "C", p.name COLLATE "C"`,
    [filter.dataset, filter.protocol, architectureIds, RELEASE_EXTERNAL_ID.scheme],
  );
}

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
