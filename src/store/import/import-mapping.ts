import { z } from 'zod';
import {
  ErrorCode,
  METRICS,
  checkJsonText,
  checkName,
  parseWithSchema,
  schemaError,
  type MetricName,
} from '../../core';

const METRIC_NAMES = METRICS as readonly [MetricName, ...MetricName[]];
const column = z.string({ error: 'must name a column' });

/** A key read from a column, or fixed for the whole file; a bare string is a column name. */
const columnOrValueSchema = z.union(
  [
    z.string().transform((name) => ({ column: name })),
    z.object({ column: z.string().min(1) }),
    z.object({ value: z.union([z.string(), z.number()]) }),
  ],
  { error: 'must be a column name, { "column": ... } or { "value": ... }' },
);

/** A key read from a column, or fixed for the whole file. */
export type ColumnOrValue = { column: string } | { value: string | number };

const wideRuleSchema = z.object(
  {
    /** Regular expression over header names; named groups `metric`, `dataset`, `protocol`, `seed` pick the key. */
    pattern: z.string({ error: 'needs a "pattern"' }).superRefine((pattern, ctx) => {
      try {
        new RegExp(pattern);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `is not a regular expression: ${(error as Error).message}` });
      }
    }),
    /** Fixed parts of the key when the pattern has no such group; `trainSeconds` is allowed besides the metrics. */
    metric: z.enum([...METRIC_NAMES, 'trainSeconds'], { error: 'must be a metric name or "trainSeconds"' }).optional(),
    dataset: z.string().optional(),
    protocol: z.string().optional(),
    /** Translations of captured group values, e.g. `{ "protocol": { "": "hp=200", "_12ep": "hp=12" } }`. */
    values: z.partialRecord(z.enum(['metric', 'dataset', 'protocol']), z.record(z.string(), z.string())).optional(),
  },
  { error: 'must be a rule object' },
);

/** A wide layout: every header matching `pattern` is one metric of one (dataset, protocol, seed). */
export type WideRule = z.output<typeof wideRuleSchema>;

const protocolDeclarationSchema = z.object(
  {
    epochs: z
      .number({ error: 'must be a positive integer' })
      .int({ error: 'must be a positive integer' })
      .min(1, { error: 'must be a positive integer' }),
    hyperparameters: z.record(z.string(), z.unknown()).optional(),
    description: z.string().optional(),
  },
  { error: 'must be { "epochs": N, "hyperparameters"?: {...}, "description"?: "..." }' },
);

/** A protocol a mapping declares, created when missing (its epochs must agree with a stored one). */
export type ProtocolDeclaration = z.output<typeof protocolDeclarationSchema>;

const metricMapSchema = z.partialRecord(
  z.enum(METRIC_NAMES, { error: 'is not a metric name' }),
  z.string().min(1, { error: 'must name a column' }),
  {
    error: 'must map metric names to columns',
  },
);

/** The shape of a mapping file, field by field; {@link resolveMapping} then checks how the fields fit together. */
const importMappingSchema = z.strictObject(
  {
    $comment: z.unknown().optional(),
    /** Column with the architecture text in the space's grammar. */
    arch: column.min(1, { error: 'names no column' }),
    /**
     * Column with the architecture's id in another table, and that id's scheme (e.g. `nb201-index`). With `optional`,
     * an empty cell means the architecture has none (a release mixes spaces and cells with and without one).
     */
    externalId: z
      .object(
        {
          column,
          scheme: z.string({ error: 'must name an id scheme' }).min(1, { error: 'must name an id scheme' }),
          optional: z.boolean().optional(),
        },
        { error: 'must be { "column": ..., "scheme": ..., "optional"?: true|false }' },
      )
      .optional(),
    /** Column with the architecture's id as the writer computed it; a row whose architecture has another id is bad. */
    archId: column.optional(),
    dataset: columnOrValueSchema.optional(),
    protocol: columnOrValueSchema.optional(),
    /** Training seed; when absent and `seedMean` is not set, the CLI's `--seed`. */
    seed: columnOrValueSchema.optional(),
    /**
     * `true`: rows are published means over seeds (NB201's summary table), not one seed's run. `"whenSeedEmpty"`: rows
     * with a seed are that seed's run, rows with an empty seed cell are means (a release holds both).
     */
    seedMean: z
      .union([z.boolean(), z.literal('whenSeedEmpty')], { error: 'must be true, false or "whenSeedEmpty"' })
      .optional(),
    /** With `seedMean`: how many seeds each value averages, when the file says (with `"whenSeedEmpty"` it may be empty). */
    seedCount: columnOrValueSchema.optional(),
    /** Long curve layout: the column with the epoch (1-based) each row reports. */
    epoch: column.optional(),
    /** Long curve layout: the column with each epoch's wall time in seconds. */
    epochSeconds: column.optional(),
    /** Scale of accuracies in the file; stored as percent. */
    accuracyScale: z.enum(['percent', 'fraction'], { error: 'must be "percent" (0-100) or "fraction" (0-1)' }),
    /** Long layout: metric → column. */
    metrics: metricMapSchema.optional(),
    /** Column with the run's total training time in seconds. */
    trainSeconds: column.optional(),
    /** Wide layouts. */
    wide: z
      .array(wideRuleSchema, { error: 'must be a non-empty list of rules' })
      .min(1, { error: 'must be a non-empty list of rules' })
      .optional(),
    /** Curve layout: metric → column holding a JSON array (index i = epoch i + 1). */
    curves: metricMapSchema.optional(),
    /** Column with each run's source (`IMPORTED`/`TRAINED`), as releases carry it; default IMPORTED. */
    source: column.optional(),
    /** Protocols the file uses, created if missing. */
    protocols: z
      .record(z.string(), protocolDeclarationSchema, { error: 'must map protocol names to { "epochs": N }' })
      .optional(),
    /** A row without any value still names a run (or epoch) to store; by default such a row is bad. */
    keepEmptyRows: z.boolean({ error: 'must be true or false' }).optional(),
    /** Only rows whose columns hold exactly these values are imported; the rest are skipped (e.g. `{ "space": "nb201" }`). */
    where: z
      .record(z.string(), z.string({ error: 'must be a value (a string)' }), {
        error: 'must map column names to values (strings)',
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? 'is not a mapping key' : 'the mapping must be a JSON object',
  },
);

/** How the columns of a publisher's table become runs; see docs/import-mappings.md. */
export type ImportMapping = z.output<typeof importMappingSchema>;

/** Command-line defaults for keys the mapping leaves out. */
export interface MappingDefaults {
  dataset?: string;
  protocol?: string;
  seed?: number;
}

const AS_MAPPING = { code: ErrorCode.MAPPING_INVALID, what: 'mapping' } as const;

/** Checks a parsed mapping file and fills CLI defaults; throws MAPPING_INVALID naming the field at fault. */
export function resolveMapping(raw: unknown, defaults: MappingDefaults = {}): ImportMapping {
  // The mapping is stored (import_batch.mapping, jsonb) and its names become protocol rows: no NUL, valid Unicode, and
  // each declared protocol name follows the one name rule.
  checkJsonText(raw, { field: 'mapping', code: ErrorCode.MAPPING_INVALID });
  const mapping = parseWithSchema(importMappingSchema, raw, AS_MAPPING);
  for (const name of Object.keys(mapping.protocols ?? {}))
    checkName(name, { field: 'protocols', code: ErrorCode.MAPPING_INVALID });
  if (mapping.dataset === undefined && defaults.dataset !== undefined) mapping.dataset = { value: defaults.dataset };
  if (mapping.protocol === undefined && defaults.protocol !== undefined)
    mapping.protocol = { value: defaults.protocol };
  if (mapping.seed === undefined && !mapping.seedMean && defaults.seed !== undefined)
    mapping.seed = { value: defaults.seed };
  if (mapping.seed !== undefined && mapping.seedMean === true)
    throw invalid('seedMean', 'a row is either one seed or a mean over seeds, not both');
  if (mapping.seedMean === 'whenSeedEmpty' && !(mapping.seed && 'column' in mapping.seed))
    throw invalid('seed', 'seedMean "whenSeedEmpty" needs a seed column');
  if (mapping.seedCount !== undefined && !mapping.seedMean)
    throw invalid('seedCount', 'only seed means (seedMean: true) have a seed count');
  if (mapping.seed === undefined && !mapping.seedMean)
    throw invalid('seed', 'no seed column, seedMean or --seed given');
  if (mapping.epochSeconds !== undefined && mapping.epoch === undefined)
    throw invalid('epochSeconds', 'needs an epoch column (long curve layout)');
  mapping.wide?.forEach((rule, i) => checkWideRule(mapping, rule, `wide[${i}]`));
  const hasValues = mapping.metrics || mapping.wide || mapping.curves || mapping.trainSeconds || mapping.epochSeconds;
  if (!hasValues) throw invalid('metrics', 'the mapping names no metric, wide rule or curve column');
  if (mapping.wide === undefined) {
    if (mapping.dataset === undefined) throw invalid('dataset', 'no dataset column or --dataset given');
    if (mapping.protocol === undefined) throw invalid('protocol', 'no protocol column or --protocol given');
  }
  return mapping;
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
    for (const [metric, column] of Object.entries(mapping[group] ?? {}))
      out.push({ field: `${group}.${metric}`, column: column! });
  }
  for (const column of Object.keys(mapping.where ?? {})) out.push({ field: `where.${column}`, column });
  return out;
}

/** A wide rule's key parts each come from a named group, the rule itself or the mapping (with its CLI defaults). */
function checkWideRule(mapping: ImportMapping, rule: WideRule, field: string): void {
  const groups = [...rule.pattern.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((match) => match[1]);
  if (!groups.includes('metric') && rule.metric === undefined)
    throw invalid(`${field}.metric`, 'needs a metric group or a fixed metric name');
  if (!groups.includes('dataset') && rule.dataset === undefined && mapping.dataset === undefined)
    throw invalid(`${field}.dataset`, 'needs a dataset group, a fixed dataset or --dataset');
  if (!groups.includes('protocol') && rule.protocol === undefined && mapping.protocol === undefined)
    throw invalid(`${field}.protocol`, 'needs a protocol group, a fixed protocol or --protocol');
}

function invalid(field: string, problem: string): ReturnType<typeof schemaError> {
  return schemaError(AS_MAPPING, { field, message: problem });
}
