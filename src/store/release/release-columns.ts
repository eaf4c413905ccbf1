import { METRICS } from '../../core';
import { columnName } from '../column-name';

/** One column of a release table: the same name, order and type in its Parquet and CSV files. */
export interface ReleaseColumn {
  name: string;
  /** Parquet type; CSV writes the value as text, an empty cell for null. */
  type: 'STRING' | 'INT32' | 'DOUBLE';
  nullable: boolean;
  /** Parquet min/max statistics; off for architecture text, where they cost most of the write time and prune nothing. */
  statistics: boolean;
}

/** A row of a release table, keyed by column name. */
export type ReleaseRow = Record<string, string | number | null>;

const text = (name: string): ReleaseColumn => ({ name, type: 'STRING', nullable: false, statistics: true });
const archText = (name: string): ReleaseColumn => ({ name, type: 'STRING', nullable: false, statistics: false });
const int = (name: string, nullable: boolean): ReleaseColumn => ({ name, type: 'INT32', nullable, statistics: true });
const double = (name: string): ReleaseColumn => ({ name, type: 'DOUBLE', nullable: true, statistics: true });

/** Column names of the metrics, in core's METRICS order (`train_acc`, `valid_acc`, ..., `test_loss`). */
export const METRIC_COLUMNS: readonly string[] = METRICS.map(columnName);

/**
 * The external-id scheme a release carries, as column `nb201_index`: the official NAS-Bench-201 index, the only id
 * scheme the presets import. Other schemes stay in the store (a release is keyed by `arch_id`, not by them).
 */
export const RELEASE_EXTERNAL_ID = { scheme: 'nb201-index', column: 'nb201_index' } as const;

const RECORD_KEY_COLUMNS: readonly ReleaseColumn[] = [
  text('space'),
  archText('arch'),
  archText('arch_id'),
  { name: RELEASE_EXTERNAL_ID.column, type: 'STRING', nullable: true, statistics: true },
  text('dataset'),
  text('protocol'),
  int('protocol_epochs', false),
  int('seed', true),
  int('seed_count', true),
  text('source'),
];
const RECORD_VALUE_COLUMNS: readonly ReleaseColumn[] = [...METRIC_COLUMNS.map(double), double('train_seconds')];

/**
 * records.parquet / records.csv: one row per run with its final metrics; `seed` null is a mean over seeds. `origin` is
 * the id of the run's entry in the manifest's `provenance.origins`; `value_kind` says whether its values are a
 * published seed mean, a single seed or imputed (`SEED_MEAN`, `SINGLE_SEED`, `IMPUTED`).
 */
export const RECORD_COLUMNS: readonly ReleaseColumn[] = [
  ...RECORD_KEY_COLUMNS,
  text('origin'),
  text('value_kind'),
  ...RECORD_VALUE_COLUMNS,
];

/** The records columns of format `nashub-release/1`: no `origin` or `value_kind`. Such releases still import. */
export const RECORD_COLUMNS_V1: readonly ReleaseColumn[] = [...RECORD_KEY_COLUMNS, ...RECORD_VALUE_COLUMNS];

/** curves.parquet / curves.csv: one row per (run, epoch); `arch` is kept so the file imports on its own. */
export const CURVE_COLUMNS: readonly ReleaseColumn[] = [
  text('space'),
  archText('arch'),
  archText('arch_id'),
  text('dataset'),
  text('protocol'),
  int('seed', true),
  int('epoch', false),
  ...METRIC_COLUMNS.map(double),
  double('epoch_seconds'),
];
