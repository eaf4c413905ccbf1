import { ErrorCode, NashubError, isMetricName, type MetricName } from '../../core';

/** A key read from a column, or fixed for the whole file. */
export type ColumnOrValue = { column: string } | { value: string | number };

/** A wide layout: every header matching `pattern` is one metric of one (dataset, protocol, seed). */
export interface WideRule {
  /** Regular expression over header names; named groups `metric`, `dataset`, `protocol`, `seed` pick the key. */
  pattern: string;
  /** Fixed parts of the key when the pattern has no such group; `trainSeconds` is allowed besides the metrics. */
  metric?: MetricName | 'trainSeconds';
  dataset?: string;
  protocol?: string;
  /** Translations of captured group values, e.g. `{ "protocol": { "": "hp=200", "_12ep": "hp=12" } }`. */
  values?: Partial<Record<'metric' | 'dataset' | 'protocol', Record<string, string>>>;
}

/** A protocol a mapping declares, created when missing (its epochs must agree with a stored one). */
export interface ProtocolDeclaration {
  epochs: number;
  hyperparameters?: Record<string, unknown>;
  description?: string;
}

/** How the columns of a publisher's table become runs; see docs/import-mappings.md. */
export interface ImportMapping {
  /** Column with the architecture text in the space's grammar. */
  arch: string;
  /**
   * Column with the architecture's id in another table, and that id's scheme (e.g. `nb201-index`). With `optional`,
   * an empty cell means the architecture has none (a release mixes spaces and cells with and without one).
   */
  externalId?: { column: string; scheme: string; optional?: boolean };
  /** Column with the architecture's id as the writer computed it; a row whose architecture has another id is bad. */
  archId?: string;
  dataset?: ColumnOrValue;
  protocol?: ColumnOrValue;
  /** Training seed; when absent and `seedMean` is not set, the CLI's `--seed`. */
  seed?: ColumnOrValue;
  /**
   * `true`: rows are published means over seeds (NB201's summary table), not one seed's run. `"whenSeedEmpty"`: rows
   * with a seed are that seed's run, rows with an empty seed cell are means (a release holds both).
   */
  seedMean?: boolean | 'whenSeedEmpty';
  /** With `seedMean`: how many seeds each value averages, when the file says (with `"whenSeedEmpty"` it may be empty). */
  seedCount?: ColumnOrValue;
  /** Long curve layout: the column with the epoch (1-based) each row reports. */
  epoch?: string;
  /** Long curve layout: the column with each epoch's wall time in seconds. */
  epochSeconds?: string;
  /** Scale of accuracies in the file; stored as percent. */
  accuracyScale: 'percent' | 'fraction';
  /** Long layout: metric → column. */
  metrics?: Partial<Record<MetricName, string>>;
  /** Column with the run's total training time in seconds. */
  trainSeconds?: string;
  /** Wide layouts. */
  wide?: WideRule[];
  /** Curve layout: metric → column holding a JSON array (index i = epoch i + 1). */
  curves?: Partial<Record<MetricName, string>>;
  /** Column with each run's source (`IMPORTED`/`TRAINED`), as releases carry it; default IMPORTED. */
  source?: string;
  /** Protocols the file uses, created if missing. */
  protocols?: Record<string, ProtocolDeclaration>;
  /** A row without any value still names a run (or epoch) to store; by default such a row is bad. */
  keepEmptyRows?: boolean;
  /** Only rows whose columns hold exactly these values are imported; the rest are skipped (e.g. `{ "space": "nb201" }`). */
  where?: Record<string, string>;
}

/** Command-line defaults for keys the mapping leaves out. */
export interface MappingDefaults {
  dataset?: string;
  protocol?: string;
  seed?: number;
}

const KEYS = new Set([
  'arch', 'archId', 'externalId', 'dataset', 'protocol', 'seed', 'seedMean', 'seedCount', 'epoch', 'epochSeconds', 'accuracyScale', 'metrics',
  'trainSeconds', 'wide', 'curves', 'source', 'protocols', 'keepEmptyRows', 'where', '$comment',
]);

/** Checks a parsed mapping file and fills CLI defaults; throws MAPPING_INVALID naming the field at fault. */
export function resolveMapping(raw: unknown, defaults: MappingDefaults = {}): ImportMapping {
  if (!isObject(raw)) throw invalid('', 'the mapping must be a JSON object');
  for (const key of Object.keys(raw)) if (!KEYS.has(key)) throw invalid(key, `unknown mapping key "${key}"`);
  const mapping = { ...raw } as Record<string, unknown>;
  if (typeof mapping.arch !== 'string' || !mapping.arch) throw invalid('arch', 'names no column');
  if (mapping.accuracyScale !== 'percent' && mapping.accuracyScale !== 'fraction') {
    throw invalid('accuracyScale', 'must be "percent" (0-100) or "fraction" (0-1)');
  }
  mapping.dataset ??= defaults.dataset === undefined ? undefined : { value: defaults.dataset };
  mapping.protocol ??= defaults.protocol === undefined ? undefined : { value: defaults.protocol };
  if (mapping.seedMean !== undefined && typeof mapping.seedMean !== 'boolean' && mapping.seedMean !== 'whenSeedEmpty') {
    throw invalid('seedMean', 'must be true, false or "whenSeedEmpty"');
  }
  if (mapping.seed === undefined && !mapping.seedMean && defaults.seed !== undefined) mapping.seed = { value: defaults.seed };
  for (const key of ['dataset', 'protocol', 'seed', 'seedCount'] as const) checkColumnOrValue(mapping, key);
  if (mapping.seed !== undefined && mapping.seedMean === true) throw invalid('seedMean', 'a row is either one seed or a mean over seeds, not both');
  if (mapping.seedMean === 'whenSeedEmpty' && !(isObject(mapping.seed) && 'column' in mapping.seed)) {
    throw invalid('seed', 'seedMean "whenSeedEmpty" needs a seed column');
  }
  if (mapping.seedCount !== undefined && !mapping.seedMean) throw invalid('seedCount', 'only seed means (seedMean: true) have a seed count');
  if (mapping.seed === undefined && !mapping.seedMean) throw invalid('seed', 'no seed column, seedMean or --seed given');
  checkMetricMap(mapping, 'metrics');
  checkMetricMap(mapping, 'curves');
  if (mapping.externalId !== undefined) {
    const ext = mapping.externalId;
    if (!isObject(ext) || typeof ext.column !== 'string' || typeof ext.scheme !== 'string' || !ext.scheme || !['undefined', 'boolean'].includes(typeof ext.optional)) {
      throw invalid('externalId', 'must be { "column": ..., "scheme": ..., "optional"?: true|false }');
    }
  }
  for (const key of ['archId', 'epoch', 'epochSeconds', 'trainSeconds', 'source'] as const) {
    if (mapping[key] !== undefined && typeof mapping[key] !== 'string') throw invalid(key, 'must name a column');
  }
  if (mapping.epochSeconds !== undefined && mapping.epoch === undefined) throw invalid('epochSeconds', 'needs an epoch column (long curve layout)');
  if (mapping.keepEmptyRows !== undefined && typeof mapping.keepEmptyRows !== 'boolean') throw invalid('keepEmptyRows', 'must be true or false');
  checkWhere(mapping);
  checkWide(mapping);
  checkProtocols(mapping);
  const hasValues = mapping.metrics || mapping.wide || mapping.curves || mapping.trainSeconds || mapping.epochSeconds;
  if (!hasValues) throw invalid('metrics', 'the mapping names no metric, wide rule or curve column');
  if (mapping.wide === undefined) {
    if (mapping.dataset === undefined) throw invalid('dataset', 'no dataset column or --dataset given');
    if (mapping.protocol === undefined) throw invalid('protocol', 'no protocol column or --protocol given');
  }
  return mapping as unknown as ImportMapping;
}

/** Every column a mapping reads directly (wide rules match headers by pattern instead). */
export function mappedColumns(mapping: ImportMapping): Array<{ field: string; column: string }> {
  const out: Array<{ field: string; column: string }> = [{ field: 'arch', column: mapping.arch }];
  if (mapping.archId) out.push({ field: 'archId', column: mapping.archId });
  if (mapping.externalId) out.push({ field: 'externalId.column', column: mapping.externalId.column });
  for (const key of ['dataset', 'protocol', 'seed', 'seedCount'] as const) {
    const spec = mapping[key];
    if (spec && 'column' in spec) out.push({ field: `${key}.column`, column: spec.column });
  }
  if (mapping.epoch) out.push({ field: 'epoch', column: mapping.epoch });
  if (mapping.epochSeconds) out.push({ field: 'epochSeconds', column: mapping.epochSeconds });
  if (mapping.trainSeconds) out.push({ field: 'trainSeconds', column: mapping.trainSeconds });
  if (mapping.source) out.push({ field: 'source', column: mapping.source });
  for (const group of ['metrics', 'curves'] as const) {
    for (const [metric, column] of Object.entries(mapping[group] ?? {})) out.push({ field: `${group}.${metric}`, column: column! });
  }
  for (const column of Object.keys(mapping.where ?? {})) out.push({ field: `where.${column}`, column });
  return out;
}

function checkColumnOrValue(mapping: Record<string, unknown>, key: string): void {
  const spec = mapping[key];
  if (spec === undefined) return;
  if (typeof spec === 'string') {
    mapping[key] = { column: spec };
    return;
  }
  const ok = isObject(spec) && ((typeof spec.column === 'string' && spec.column) || typeof spec.value === 'string' || typeof spec.value === 'number');
  if (!ok) throw invalid(key, 'must be a column name, { "column": ... } or { "value": ... }');
}

function checkMetricMap(mapping: Record<string, unknown>, key: 'metrics' | 'curves'): void {
  const map = mapping[key];
  if (map === undefined) return;
  if (!isObject(map)) throw invalid(key, 'must map metric names to columns');
  for (const [metric, column] of Object.entries(map)) {
    if (!isMetricName(metric)) throw invalid(`${key}.${metric}`, `unknown metric "${metric}"`);
    if (typeof column !== 'string' || !column) throw invalid(`${key}.${metric}`, 'must name a column');
  }
}

function checkWide(mapping: Record<string, unknown>): void {
  if (mapping.wide === undefined) return;
  if (!Array.isArray(mapping.wide) || mapping.wide.length === 0) throw invalid('wide', 'must be a non-empty list of rules');
  mapping.wide.forEach((rule: unknown, i) => {
    const field = `wide[${i}]`;
    if (!isObject(rule) || typeof rule.pattern !== 'string') throw invalid(field, 'needs a "pattern"');
    let groups: string[];
    try {
      groups = namedGroups(rule.pattern);
    } catch (error) {
      throw invalid(`${field}.pattern`, `is not a regular expression: ${(error as Error).message}`);
    }
    if (!groups.includes('metric') && !isMetricName(rule.metric) && rule.metric !== 'trainSeconds') throw invalid(`${field}.metric`, 'needs a metric group or a fixed metric name');
    if (!groups.includes('dataset') && typeof rule.dataset !== 'string' && mapping.dataset === undefined) throw invalid(`${field}.dataset`, 'needs a dataset group, a fixed dataset or --dataset');
    if (!groups.includes('protocol') && typeof rule.protocol !== 'string' && mapping.protocol === undefined) throw invalid(`${field}.protocol`, 'needs a protocol group, a fixed protocol or --protocol');
  });
}

/** Named capture groups of a pattern; throws SyntaxError for an invalid one. */
function namedGroups(pattern: string): string[] {
  new RegExp(pattern);
  return [...pattern.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((match) => match[1]);
}

function checkWhere(mapping: Record<string, unknown>): void {
  if (mapping.where === undefined) return;
  if (!isObject(mapping.where) || Object.values(mapping.where).some((v) => typeof v !== 'string')) throw invalid('where', 'must map column names to values (strings)');
}

function checkProtocols(mapping: Record<string, unknown>): void {
  if (mapping.protocols === undefined) return;
  if (!isObject(mapping.protocols)) throw invalid('protocols', 'must map protocol names to { "epochs": N }');
  for (const [name, decl] of Object.entries(mapping.protocols)) {
    if (!isObject(decl) || !Number.isInteger(decl.epochs) || (decl.epochs as number) < 1) {
      throw invalid(`protocols.${name}.epochs`, 'must be a positive integer');
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, problem: string): NashubError {
  return new NashubError(ErrorCode.MAPPING_INVALID, `mapping ${field ? `field ${field} ` : ''}${problem}`, { details: { field } });
}
