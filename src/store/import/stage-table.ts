import type { EntityManager } from 'typeorm';
import { VALUE_NAMES, type Observation } from './observation';
import { columnName } from '../column-name';

/** snake_case staging columns of the value names, in VALUE_NAMES order. */
export const VALUE_COLUMNS = VALUE_NAMES.map(columnName);

const KEY_COLUMNS: Array<[string, string]> = [
  ['line', 'integer'],
  ['arch_hash', 'text'],
  ['arch', 'text'],
  ['iso_class', 'text'],
  ['params_m', 'double precision'],
  ['flops_m', 'double precision'],
  ['ext_scheme', 'text'],
  ['ext_id', 'text'],
  ['dataset', 'text'],
  ['protocol', 'text'],
  ['seed', 'integer'],
  ['seed_count', 'integer'],
  ['source', 'text'],
  ['epoch', 'integer'],
];
const COLUMNS: Array<[string, string]> = [
  ...KEY_COLUMNS,
  ...VALUE_COLUMNS.map((c): [string, string] => [c, 'double precision']),
];

/**
 * Creates the transaction's staging table (dropped at commit or rollback). A previous file's staging tables in the same
 * transaction (a release imports several files in one) are dropped first, with the merge's working tables.
 */
export async function createStageTable(manager: EntityManager): Promise<void> {
  await manager.query('DROP TABLE IF EXISTS pg_temp.import_stage, pg_temp.import_run, pg_temp.import_epoch');
  await manager.query(
    `CREATE TEMP TABLE import_stage (${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')},
       architecture_id integer, dataset_id integer, protocol_id integer) ON COMMIT DROP`,
  );
}

/**
 * Appends observations with one statement: one array parameter per column, unnested server-side, so a chunk of any
 * size costs one round trip and no per-row SQL text.
 */
export async function appendToStage(manager: EntityManager, observations: readonly Observation[]): Promise<void> {
  if (observations.length === 0) return;
  const columns: unknown[][] = COLUMNS.map(() => new Array(observations.length));
  observations.forEach((o, i) => {
    const row = [
      o.line,
      o.architecture.hash,
      o.architecture.arch,
      o.architecture.isoClass,
      o.architecture.paramsM,
      o.architecture.flopsM,
      o.externalId?.scheme ?? null,
      o.externalId?.id ?? null,
      o.dataset,
      o.protocol,
      o.seed,
      o.seedCount,
      o.source,
      o.epoch,
      ...VALUE_NAMES.map((name) => o.values[name] ?? null),
    ];
    row.forEach((value, c) => (columns[c][i] = value));
  });
  const selects = COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  await manager.query(
    `INSERT INTO import_stage (${COLUMNS.map(([name]) => name).join(', ')}) SELECT * FROM unnest(${selects})`,
    columns,
  );
}
