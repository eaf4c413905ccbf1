import type { EntityManager } from 'typeorm';
import { METRIC_COLUMNS, RELEASE_EXTERNAL_ID, type ReleaseRow } from './release-columns';
import type { ReleaseFilter, ReleaseProtocol } from './release-manifest';

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
  const rows: Array<ReleaseRow & { run_id: number }> = await manager.query(releaseRunsSql(''), [
    filter.space,
    filter.dataset,
    filter.protocol,
    RELEASE_EXTERNAL_ID.scheme,
  ]);
  return rows.map(({ run_id, ...row }) => ({ runId: run_id, row }));
}

/**
 * The next `limit` rows of {@link queryReleaseRuns} after the row `after` (from the start when null), in one statement
 * of the same SQL: an export streams the records table page by page with the same rows in the same order.
 */
export async function queryReleaseRunPage(
  manager: EntityManager,
  filter: ReleaseFilter,
  after: ReleaseRow | null,
  limit: number,
): Promise<ReleaseRun[]> {
  // The sort key as a row value: seed NULLS FIRST is (seed IS NOT NULL, coalesce(seed, 0)) ascending.
  const keyset = after
    ? `AND (a.space COLLATE "C", a.hash COLLATE "C", d.name COLLATE "C", p.name COLLATE "C", r.seed IS NOT NULL,
            coalesce(r.seed, 0)) > ($5, $6, $7, $8, $9, $10)`
    : '';
  const params = [filter.space, filter.dataset, filter.protocol, RELEASE_EXTERNAL_ID.scheme];
  if (after) params.push(...[after.space, after.arch_id, after.dataset, after.protocol].map(String));
  const rows: Array<ReleaseRow & { run_id: number }> = await manager.query(
    `${releaseRunsSql(keyset)} LIMIT ${Number(limit)}`,
    after ? [...params, after.seed !== null, after.seed ?? 0] : params,
  );
  return rows.map(({ run_id, ...row }) => ({ runId: run_id, row }));
}

/** The records rows' statement: $1..$3 the filter, $4 the external-id scheme, `keyset` a further condition. */
function releaseRunsSql(keyset: string): string {
  return `SELECT r.id AS run_id, a.space, a.arch, a.hash AS arch_id, x.external_id AS ${RELEASE_EXTERNAL_ID.column},
            d.name AS dataset, p.name AS protocol, p.epochs AS protocol_epochs, r.seed, r.seed_count, r.source,
            ${METRIC_COLUMNS.map((c) => `r.${c}`).join(', ')}, r.train_seconds
       FROM run r
       JOIN architecture a ON a.id = r.architecture_id
       JOIN dataset d ON d.id = r.dataset_id
       JOIN protocol p ON p.id = r.protocol_id
       -- A join, not a per-row subquery: PGlite never analyses, and its plan for the subquery is quadratic.
       LEFT JOIN (SELECT architecture_id, min(external_id COLLATE "C") AS external_id FROM architecture_external_id
                   WHERE scheme = $4 GROUP BY architecture_id) x ON x.architecture_id = a.id
      WHERE r.status = 'COMPLETE'
        AND ($1::text IS NULL OR a.space = $1) AND ($2::text IS NULL OR d.name = $2) AND ($3::text IS NULL OR p.name = $3)
        ${keyset}
      ORDER BY a.space COLLATE "C", a.hash COLLATE "C", d.name COLLATE "C", p.name COLLATE "C", r.seed NULLS FIRST`;
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
