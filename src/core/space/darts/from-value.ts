import { failDarts } from './fail';
import { DartsInvalidReason } from './invalid-reason';
import { RAW_DARTS_FIELDS, type RawDartsCell, type RawDartsGenotype, type RawDartsPair } from './raw-genotype';

/** A short, bounded rendering of an untrusted value for messages. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPair(value: unknown, field: string): RawDartsPair {
  if (Array.isArray(value) && value.length === 2) return { op: { value: value[0] }, input: { value: value[1] } };
  if (isRecord(value) && Object.keys(value).length === 2 && 'op' in value && 'input' in value) {
    return { op: { value: value.op }, input: { value: value.input } };
  }
  failDarts(`${field} must be [op, input] or {"op", "input"}, got ${shown(value)}`, DartsInvalidReason.BAD_PAIR, {
    field,
  });
}

function readCell(value: unknown, field: string): RawDartsCell {
  if (!Array.isArray(value))
    failDarts(`${field} must be a list of 8 pairs, got ${shown(value)}`, DartsInvalidReason.WRONG_PAIR_COUNT, {
      field,
    });
  // Counted before reading the pairs so a huge list costs nothing.
  if (value.length !== 8)
    failDarts(`${field} must have 8 pairs, got ${value.length}`, DartsInvalidReason.WRONG_PAIR_COUNT, { field });
  return { pairs: value.map((pair, i) => readPair(pair, `${field}[${i}]`)) };
}

/**
 * Reads a genotype given as a value, the JSON form or the in-memory `DartsGenotype`:
 * `{"normal": [["sep_conv_3x3", 0], ...], "reduce": [...], "normal_concat": [2, 3, 4, 5]?, "reduce_concat": ...?}`,
 * where a pair is `[op, input]` or `{"op": ..., "input": ...}`. Returns the pairs as read; the caller validates them.
 */
export function readDartsValue(value: unknown): RawDartsGenotype {
  if (!isRecord(value)) {
    failDarts(
      `a darts genotype is an object {"normal": [...], "reduce": [...]}, got ${shown(value)}`,
      DartsInvalidReason.WRONG_TYPE,
    );
  }
  for (const key of Object.keys(value)) {
    if (!(RAW_DARTS_FIELDS as readonly string[]).includes(key)) {
      failDarts(
        `unknown field ${shown(key)} (fields: ${RAW_DARTS_FIELDS.join(', ')})`,
        DartsInvalidReason.UNKNOWN_FIELD,
        { field: key.slice(0, 40) },
      );
    }
  }
  const raw: RawDartsGenotype = {};
  if (value.normal !== undefined) raw.normal = readCell(value.normal, 'normal');
  if (value.reduce !== undefined) raw.reduce = readCell(value.reduce, 'reduce');
  for (const field of ['normal_concat', 'reduce_concat'] as const) {
    const concat = value[field];
    if (concat === undefined) continue;
    if (!Array.isArray(concat) || concat.length > 64) {
      failDarts(`${field} must be [2, 3, 4, 5], got ${shown(concat)}`, DartsInvalidReason.BAD_CONCAT, { field });
    }
    raw[field] = { values: [...concat] };
  }
  return raw;
}
