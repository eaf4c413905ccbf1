import type { EntityManager } from 'typeorm';
import { ErrorCode, NashubError } from '../../core';
import { BAD_ROW_REPORT_LIMIT, type BadRow } from './bad-row';
import { VALUE_NAMES } from './observation';
import { VALUE_COLUMNS } from './stage-table';

/** Options of {@link mergeStage}. */
export interface MergeStageOptions {
  /** Space of every staged architecture. */
  space: string;
  /** Overwrite stored values that the file changes (`--replace`); otherwise such a file is refused. */
  replace: boolean;
  /** import_batch row the new runs point to. */
  batchId: number;
}

/** What a merge changed. */
export interface MergeCounts {
  architecturesAdded: number;
  datasetsAdded: number;
  runsAdded: number;
  runsUpdated: number;
  epochsAdded: number;
  epochsUpdated: number;
}

const RUN_VALUES = VALUE_COLUMNS.filter((c) => c !== 'epoch_seconds');
const EPOCH_VALUES = VALUE_COLUMNS.filter((c) => c !== 'train_seconds');
const RUN_KEY =
  'r.architecture_id = i.architecture_id AND r.dataset_id = i.dataset_id AND r.protocol_id = i.protocol_id AND r.seed IS NOT DISTINCT FROM i.seed';
const label = (column: string) => VALUE_NAMES[VALUE_COLUMNS.indexOf(column)];

/** Rejected rows found by set-based checks on the staged file (in-file duplicates, external-id clashes). */
export async function findStagedBadRows(
  manager: EntityManager,
  space: string,
): Promise<{ rows: BadRow[]; total: number }> {
  const differing = ['seed_count', 'source', ...VALUE_COLUMNS]
    .map((c) => `CASE WHEN count(DISTINCT ${c}) > 1 THEN '${label(c) ?? c}' END`)
    .join(', ');
  const rows: Array<{ line: number; reason: string; total: string | number }> = await manager.query(
    `WITH bad AS (
       SELECT max(line) AS line,
              'same run' || CASE WHEN epoch IS NULL THEN '' ELSE ' and epoch ' || epoch END || ' as line ' || min(line) ||
              ' with a different ' || array_to_string(array_remove(ARRAY[${differing}], NULL), ', ') AS reason
         FROM import_stage
        GROUP BY arch_hash, dataset, protocol, seed, epoch
       HAVING ${['seed_count', 'source', ...VALUE_COLUMNS].map((c) => `count(DISTINCT ${c}) > 1`).join(' OR ')}
       UNION ALL
       SELECT max(line), 'external id ' || ext_scheme || ':' || ext_id || ' names two architectures (also line ' || min(line) || ')'
         FROM import_stage WHERE ext_id IS NOT NULL
        GROUP BY ext_scheme, ext_id HAVING count(DISTINCT arch_hash) > 1
       UNION ALL
       SELECT min(s.line), 'external id ' || s.ext_scheme || ':' || s.ext_id || ' already names another architecture'
         FROM import_stage s
         JOIN architecture_external_id e ON e.scheme = s.ext_scheme AND e.external_id = s.ext_id
         JOIN architecture a ON a.id = e.architecture_id
        WHERE a.space <> $1 OR a.hash <> s.arch_hash
        GROUP BY s.ext_scheme, s.ext_id)
     SELECT line, reason, count(*) OVER () AS total FROM bad ORDER BY line LIMIT ${BAD_ROW_REPORT_LIMIT}`,
    [space],
  );
  return { rows: rows.map(({ line, reason }) => ({ line, reason })), total: Number(rows[0]?.total ?? 0) };
}

/** Writes the staged file into the store: datasets, architectures, external ids, runs, epochs. */
export async function mergeStage(manager: EntityManager, options: MergeStageOptions): Promise<MergeCounts> {
  const datasetsAdded = await count(
    manager,
    `INSERT INTO dataset (name) SELECT DISTINCT dataset FROM import_stage ON CONFLICT (name) DO NOTHING RETURNING id`,
  );
  const architecturesAdded = await count(
    manager,
    `INSERT INTO architecture (space, hash, arch, iso_class, params_m, flops_m)
     SELECT DISTINCT ON (arch_hash) $1, arch_hash, arch, iso_class, params_m, flops_m FROM import_stage ORDER BY arch_hash
     ON CONFLICT (space, hash) DO NOTHING RETURNING id`,
    [options.space],
  );
  await resolveKeys(manager, options.space);
  await manager.query(
    `INSERT INTO architecture_external_id (scheme, external_id, architecture_id)
     SELECT DISTINCT ext_scheme, ext_id, architecture_id FROM import_stage WHERE ext_id IS NOT NULL
     ON CONFLICT (scheme, external_id) DO NOTHING`,
  );

  // Final values come only from final columns: a curve's last point is a curve point (published curves and
  // summaries of the same runs may differ in the last digits).
  await manager.query(
    `CREATE TEMP TABLE import_run ON COMMIT DROP AS
     SELECT s.architecture_id, s.dataset_id, s.protocol_id, s.seed, max(s.seed_count) AS seed_count, min(s.source) AS source,
            min(s.line) AS line, ${RUN_VALUES.map((c) => `max(s.${c}) FILTER (WHERE s.epoch IS NULL) AS ${c}`).join(', ')}
       FROM import_stage s
      GROUP BY s.architecture_id, s.dataset_id, s.protocol_id, s.seed`,
  );
  await refuseChanges(
    manager,
    'run r JOIN import_run i ON ' + RUN_KEY,
    ['seed_count', ...RUN_VALUES],
    options.replace,
    'run',
  );
  const runsUpdated = await count(
    manager,
    `UPDATE run r SET seed_count = coalesce(i.seed_count, r.seed_count), ${RUN_VALUES.map((c) => `${c} = coalesce(i.${c}, r.${c})`).join(', ')}
       FROM import_run i
      WHERE ${RUN_KEY} AND (${changed(['seed_count', ...RUN_VALUES])})
     RETURNING r.id`,
  );
  const runsAdded = await count(
    manager,
    `INSERT INTO run (architecture_id, dataset_id, protocol_id, seed, seed_count, source, import_batch_id, ${RUN_VALUES.join(', ')})
     SELECT i.architecture_id, i.dataset_id, i.protocol_id, i.seed, i.seed_count, i.source, $1, ${RUN_VALUES.map((c) => `i.${c}`).join(', ')}
       FROM import_run i
      WHERE NOT EXISTS (SELECT 1 FROM run r WHERE ${RUN_KEY})
     RETURNING id`,
    [options.batchId],
  );

  await manager.query(
    `CREATE TEMP TABLE import_epoch ON COMMIT DROP AS
     SELECT r.id AS run_id, i.epoch, min(i.line) AS line, ${EPOCH_VALUES.map((c) => `max(i.${c}) AS ${c}`).join(', ')}
       FROM import_stage i JOIN run r ON ${RUN_KEY}
      WHERE i.epoch IS NOT NULL
      GROUP BY r.id, i.epoch`,
  );
  await refuseChanges(
    manager,
    'run_epoch r JOIN import_epoch i ON r.run_id = i.run_id AND r.epoch = i.epoch',
    EPOCH_VALUES,
    options.replace,
    'epoch',
  );
  const epochCounts: Array<{ added: number; updated: number }> = await manager.query(
    `SELECT count(*) FILTER (WHERE r.run_id IS NULL)::int AS added,
            count(*) FILTER (WHERE r.run_id IS NOT NULL AND (${changed(EPOCH_VALUES)}))::int AS updated
       FROM import_epoch i LEFT JOIN run_epoch r ON r.run_id = i.run_id AND r.epoch = i.epoch`,
  );
  const { added: epochsAdded, updated: epochsUpdated } = epochCounts[0];
  if (epochsAdded + epochsUpdated > 0) await writeCurves(manager);
  return { architecturesAdded, datasetsAdded, runsAdded, runsUpdated, epochsAdded, epochsUpdated };
}

/**
 * Rewrites the curve arrays of the runs the import touches: stored epochs merged with imported ones (imported values
 * win; changes were refused earlier unless --replace), gaps filled with NULL so index i stays epoch i + 1.
 */
async function writeCurves(manager: EntityManager): Promise<void> {
  const arrays = EPOCH_VALUES.map(
    (c) => `CASE WHEN count(d.${c}) = 0 THEN NULL ELSE array_agg(d.${c} ORDER BY d.epoch) END AS ${c}`,
  );
  await manager.query(
    `WITH touched AS (SELECT DISTINCT run_id FROM import_epoch),
     merged AS (
       SELECT coalesce(i.run_id, r.run_id) AS run_id, coalesce(i.epoch, r.epoch) AS epoch,
              ${EPOCH_VALUES.map((c) => `coalesce(i.${c}, r.${c}) AS ${c}`).join(', ')}
         FROM import_epoch i
         FULL JOIN (SELECT * FROM run_epoch WHERE run_id IN (SELECT run_id FROM touched)) r
           ON r.run_id = i.run_id AND r.epoch = i.epoch),
     dense AS (
       SELECT n.run_id, g.epoch, ${EPOCH_VALUES.map((c) => `m.${c}`).join(', ')}
         FROM (SELECT run_id, max(epoch) AS last FROM merged GROUP BY run_id) n
        CROSS JOIN LATERAL generate_series(1, n.last) AS g(epoch)
         LEFT JOIN merged m ON m.run_id = n.run_id AND m.epoch = g.epoch)
     INSERT INTO run_curve (run_id, ${EPOCH_VALUES.join(', ')})
     SELECT d.run_id, ${arrays.join(', ')} FROM dense d GROUP BY d.run_id
     ON CONFLICT (run_id) DO UPDATE SET ${EPOCH_VALUES.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
  );
}

async function resolveKeys(manager: EntityManager, space: string): Promise<void> {
  await manager.query(
    `UPDATE import_stage s SET architecture_id = a.id, dataset_id = d.id, protocol_id = p.id
       FROM architecture a, dataset d, protocol p
      WHERE a.space = $1 AND a.hash = s.arch_hash AND d.name = s.dataset AND p.name = s.protocol`,
    [space],
  );
}

/** SQL true when the import gives a value that differs from the stored one (a new value for a null is a fill). */
function changed(columns: string[]): string {
  return columns.map((c) => `(i.${c} IS NOT NULL AND r.${c} IS DISTINCT FROM i.${c})`).join(' OR ');
}

async function refuseChanges(
  manager: EntityManager,
  join: string,
  columns: string[],
  replace: boolean,
  what: string,
): Promise<void> {
  if (replace) return;
  const conflict = (c: string) => `(i.${c} IS NOT NULL AND r.${c} IS NOT NULL AND r.${c} <> i.${c})`;
  const reasons = columns
    .map((c) => `CASE WHEN ${conflict(c)} THEN '${label(c) ?? c} ' || r.${c} || ' -> ' || i.${c} END`)
    .join(', ');
  const rows: Array<{ line: number; reason: string; total: string | number }> = await manager.query(
    `SELECT i.line, 'changes the stored ${what}: ' || array_to_string(array_remove(ARRAY[${reasons}], NULL), ', ') AS reason,
            count(*) OVER () AS total
       FROM ${join}
      WHERE ${columns.map(conflict).join(' OR ')}
      ORDER BY i.line LIMIT ${BAD_ROW_REPORT_LIMIT}`,
  );
  if (rows.length === 0) return;
  const total = Number(rows[0].total);
  throw new NashubError(
    ErrorCode.CONFLICT,
    `the file changes ${total} stored ${what} value set(s); nothing was written. Re-run with --replace to overwrite them`,
    { details: { conflicts: total, rows: rows.map(({ line, reason }) => ({ line, reason })) } },
  );
}

/** Runs a data-modifying statement with RETURNING and counts its rows (wrapped so every driver answers a SELECT). */
async function count(manager: EntityManager, sql: string, params?: unknown[]): Promise<number> {
  const rows: Array<{ n: number }> = await manager.query(
    `WITH changed AS (${sql}) SELECT count(*)::int AS n FROM changed`,
    params,
  );
  return rows[0].n;
}
