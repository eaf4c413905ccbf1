import {
  ACCURACY_METRICS,
  MAX_NAME_LENGTH,
  echoName,
  isNashubError,
  isMetricName,
  textProblem,
  type SearchSpace,
} from '../../core';
import type { ColumnOrValue, ImportMapping, WideRule } from './import-mapping';
import type { ArchitectureRecord, Observation, ValueName } from './observation';
import { RowError } from './row-error';
import type { TableRow } from './table-reader';

/** Options of {@link createRowNormalizer}. */
export interface RowNormalizerOptions {
  space: SearchSpace;
  mapping: ImportMapping;
  /** The table's columns, to resolve wide rules once. */
  columns: string[];
  /** Epochs of every known protocol; a row naming another protocol is bad. */
  protocolEpochs: ReadonlyMap<string, number>;
}

interface WideColumn {
  column: string;
  value: ValueName;
  dataset?: string;
  protocol?: string;
  seed?: string;
}

const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Builds the function that turns one table row into observations, or throws RowError with the reason. */
export function createRowNormalizer(options: RowNormalizerOptions): (row: TableRow) => Observation[] {
  const { space, mapping, protocolEpochs } = options;
  const archCache = new Map<string, ArchitectureRecord>();
  const wideColumns = resolveWideColumns(mapping.wide ?? [], options.columns);

  const canonical = (text: string): ArchitectureRecord => {
    let record = archCache.get(text);
    if (!record) {
      try {
        const arch = space.parse(text);
        const cost = space.cost(arch);
        record = {
          hash: space.id(arch),
          arch: space.format(arch),
          isoClass: space.isoClass(arch),
          paramsM: cost.paramsM,
          flopsM: cost.flopsM,
        };
      } catch (error) {
        if (isNashubError(error)) throw new RowError(`invalid architecture: ${error.message}`, mapping.arch);
        throw error;
      }
      if (archCache.size < 1_000_000) archCache.set(text, record);
    }
    return record;
  };

  return (row) => {
    const values = row.values;
    const parseError = Object.entries(values).find(([key]) => key.startsWith('\u0000'));
    if (parseError) throw new RowError(String(parseError[1]));
    const archText = cell(values, mapping.arch);
    if (archText === undefined) throw new RowError(`missing architecture in column "${mapping.arch}"`, mapping.arch);
    const architecture = canonical(String(archText));
    if (mapping.archId !== undefined) checkArchId(values, mapping.archId, architecture);
    const externalId = mapping.externalId ? readExternalId(values, mapping.externalId) : null;
    const base = {
      line: row.line,
      architecture,
      externalId,
      dataset: mapping.dataset ? pick(values, mapping.dataset, 'dataset') : undefined,
      protocol: mapping.protocol ? pick(values, mapping.protocol, 'protocol') : undefined,
      ...readSeed(values, mapping),
      source: readSource(values, mapping.source),
    };

    const groups = new Map<string, Observation>();
    const observation = (
      dataset: string | undefined,
      protocol: string | undefined,
      seed: number | null,
      epoch: number | null,
    ) => {
      const key = `${dataset}\u0000${protocol}\u0000${seed}\u0000${epoch}`;
      let found = groups.get(key);
      if (!found) {
        const datasetName = checkDataset(dataset);
        const protocolName = checkProtocol(protocol, protocolEpochs);
        if (epoch !== null && epoch > protocolEpochs.get(protocolName)!) {
          throw new RowError(
            `epoch ${epoch} is beyond protocol ${protocolName}'s ${protocolEpochs.get(protocolName)} epochs`,
            mapping.epoch,
          );
        }
        found = { ...base, dataset: datasetName, protocol: protocolName, seed, epoch, values: {} };
        groups.set(key, found);
      }
      return found;
    };

    const rowEpoch = mapping.epoch ? integer(cell(values, mapping.epoch), 'epoch', 1, 100_000) : null;
    if (mapping.metrics || mapping.trainSeconds || mapping.epochSeconds) {
      const target = observation(base.dataset, base.protocol, base.seed, rowEpoch);
      for (const [metric, column] of Object.entries(mapping.metrics ?? {}))
        setValue(target, metric as ValueName, cell(values, column!), column!, mapping);
      if (mapping.trainSeconds)
        setValue(target, 'trainSeconds', cell(values, mapping.trainSeconds), mapping.trainSeconds, mapping);
      if (mapping.epochSeconds)
        setValue(target, 'epochSeconds', cell(values, mapping.epochSeconds), mapping.epochSeconds, mapping);
    }
    for (const wide of wideColumns) {
      const seed = wide.seed !== undefined ? integer(wide.seed, 'seed', -(2 ** 31), 2 ** 31 - 1) : base.seed;
      const raw = cell(values, wide.column);
      if (raw === undefined) continue;
      setValue(
        observation(wide.dataset ?? base.dataset, wide.protocol ?? base.protocol, seed, rowEpoch),
        wide.value,
        raw,
        wide.column,
        mapping,
      );
    }
    for (const [metric, column] of Object.entries(mapping.curves ?? {})) {
      const curve = readCurve(cell(values, column!), column!);
      curve.forEach((point, i) =>
        setValue(
          observation(base.dataset, base.protocol, base.seed, i + 1),
          metric as ValueName,
          point,
          column!,
          mapping,
        ),
      );
    }
    const out = [...groups.values()].filter((o) => mapping.keepEmptyRows || Object.keys(o.values).length > 0);
    if (out.length === 0) throw new RowError('row holds no value for any mapped metric');
    return out;
  };
}

function resolveWideColumns(rules: WideRule[], columns: string[]): WideColumn[] {
  const out: WideColumn[] = [];
  for (const column of columns) {
    for (const rule of rules) {
      const match = new RegExp(`^(?:${rule.pattern})$`).exec(column);
      if (!match) continue;
      const group = (name: 'metric' | 'dataset' | 'protocol') => {
        if (!match.groups || !(name in match.groups)) return rule[name];
        const captured = match.groups[name] ?? '';
        return rule.values?.[name]?.[captured] ?? captured;
      };
      const value = group('metric');
      if (!isMetricName(value) && value !== 'trainSeconds') continue;
      out.push({ column, value, dataset: group('dataset'), protocol: group('protocol'), seed: match.groups?.seed });
      break;
    }
  }
  return out;
}

function cell(values: Record<string, unknown>, column: string): unknown {
  const value = values[column];
  return value === '' || value === null ? undefined : value;
}

function pick(values: Record<string, unknown>, spec: ColumnOrValue, what: string): string {
  if ('value' in spec) return String(spec.value);
  const value = cell(values, spec.column);
  if (value === undefined) throw new RowError(`missing ${what} in column "${spec.column}"`, spec.column);
  return String(value).trim();
}

function integer(raw: unknown, what: string, min: number, max: number): number {
  const value = typeof raw === 'bigint' ? Number(raw) : Number(raw);
  if (raw === undefined || typeof raw === 'boolean' || !Number.isInteger(value) || value < min || value > max) {
    throw new RowError(
      `${what} must be an integer in ${min}..${max}, got ${JSON.stringify(raw === undefined ? null : String(raw))}`,
    );
  }
  return value;
}

/** The row's seed, or null for a mean over seeds, and the mean's seed count when the file gives one. */
function readSeed(
  values: Record<string, unknown>,
  mapping: ImportMapping,
): { seed: number | null; seedCount: number | null } {
  const { seed: seedSpec, seedCount: countSpec } = mapping;
  const count = () => (countSpec ? integer(pick(values, countSpec, 'seedCount'), 'seedCount', 1, 10_000) : null);
  if (mapping.seedMean === true || !seedSpec) return { seed: null, seedCount: count() };
  if (mapping.seedMean === 'whenSeedEmpty' && 'column' in seedSpec) {
    const hasCount = countSpec !== undefined && ('value' in countSpec || cell(values, countSpec.column) !== undefined);
    if (cell(values, seedSpec.column) === undefined) return { seed: null, seedCount: hasCount ? count() : null };
    if (hasCount)
      throw new RowError(`a run of one seed (column "${seedSpec.column}") has no seed count`, seedSpec.column);
  }
  return { seed: integer(pick(values, seedSpec, 'seed'), 'seed', -(2 ** 31), 2 ** 31 - 1), seedCount: null };
}

function checkArchId(values: Record<string, unknown>, column: string, architecture: ArchitectureRecord): void {
  const id = cell(values, column);
  if (id === undefined) throw new RowError(`missing architecture id in column "${column}"`, column);
  if (String(id) !== architecture.hash) {
    throw new RowError(
      `architecture id ${JSON.stringify(String(id))} in column "${column}" differs from the id ${JSON.stringify(architecture.hash)} of its architecture`,
      column,
    );
  }
}

function readExternalId(values: Record<string, unknown>, spec: { column: string; scheme: string; optional?: boolean }) {
  const raw = cell(values, spec.column);
  if (raw === undefined && spec.optional) return null;
  if (raw === undefined) throw new RowError(`missing external id in column "${spec.column}"`, spec.column);
  const id = String(raw).trim();
  if (textProblem(id, MAX_NAME_LENGTH))
    throw new RowError(
      `external id ${JSON.stringify(echoName(id))} in column "${spec.column}" is not storable text (at most ${MAX_NAME_LENGTH} characters, no NUL, valid Unicode)`,
      spec.column,
    );
  return { scheme: spec.scheme, id };
}

function readSource(values: Record<string, unknown>, column: string | undefined): 'IMPORTED' | 'TRAINED' {
  if (!column) return 'IMPORTED';
  const raw = cell(values, column);
  if (raw === 'IMPORTED' || raw === 'TRAINED') return raw;
  throw new RowError(`source must be IMPORTED or TRAINED, got ${JSON.stringify(raw ?? null)}`, column);
}

function checkDataset(name: string | undefined): string {
  if (name === undefined) throw new RowError('no dataset for this value (mapping, wide rule or --dataset)');
  if (!DATASET_NAME.test(name))
    throw new RowError(`dataset name ${JSON.stringify(echoName(name))} is not a plain identifier`);
  return name;
}

function checkProtocol(name: string | undefined, known: ReadonlyMap<string, number>): string {
  if (name === undefined) throw new RowError('no protocol for this value (mapping, wide rule or --protocol)');
  if (!known.has(name))
    throw new RowError(`unknown protocol ${JSON.stringify(echoName(name))}: declare it in the mapping's "protocols"`);
  return name;
}

function readCurve(raw: unknown, column: string): unknown[] {
  if (raw === undefined) return [];
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new RowError(`column "${column}" is not a JSON array`, column);
    }
  }
  if (!Array.isArray(value)) throw new RowError(`column "${column}" is not an array`, column);
  return value;
}

function setValue(target: Observation, name: ValueName, raw: unknown, column: string, mapping: ImportMapping): void {
  if (raw === undefined) return;
  let value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value))
    throw new RowError(`${name} in column "${column}" is not a number: ${JSON.stringify(String(raw))}`, column);
  if (ACCURACY_METRICS.has(name as never)) {
    const [max, scale] = mapping.accuracyScale === 'percent' ? [100, 'percent (0-100)'] : [1, 'fraction (0-1)'];
    if (value < 0 || value > max)
      throw new RowError(
        `${name} ${value} in column "${column}" is outside the declared accuracy scale ${scale}`,
        column,
      );
    if (mapping.accuracyScale === 'fraction') value *= 100;
  } else if (value < 0) {
    throw new RowError(`${name} ${value} in column "${column}" is negative`, column);
  }
  const previous = target.values[name];
  if (previous !== undefined && previous !== value)
    throw new RowError(`two columns give ${name} different values (${previous} and ${value})`, column);
  target.values[name] = value;
}
