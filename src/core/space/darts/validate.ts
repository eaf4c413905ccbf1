import { canonicalDarts } from './canonical';
import { failDarts } from './fail';
import {
  DARTS_CELLS,
  DARTS_CONCAT,
  DARTS_PAIR_COUNT,
  dartsInputCount,
  type DartsGenotype,
  type DartsPair,
} from './genotype';
import { DartsInvalidReason } from './invalid-reason';
import { DARTS_OPS, isDartsOp } from './op';
import type { RawDartsCell, RawDartsGenotype } from './raw-genotype';
import { readDartsValue } from './from-value';

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return typeof value === 'number' ? String(value) : typeof value;
}

function validateCell(cell: RawDartsCell | undefined, name: string): DartsPair[] {
  if (cell === undefined) failDarts(`missing ${name}`, DartsInvalidReason.MISSING_FIELD, { field: name });
  if (cell.pairs.length !== DARTS_PAIR_COUNT) {
    failDarts(
      `${name} must have ${DARTS_PAIR_COUNT} pairs, got ${cell.pairs.length}`,
      DartsInvalidReason.WRONG_PAIR_COUNT,
      { field: name, position: cell.position },
    );
  }
  const pairs = cell.pairs.map(({ op, input }, slot): DartsPair => {
    if (!isDartsOp(op.value)) {
      failDarts(
        `unknown op ${shown(op.value)} at ${name}[${slot}] (ops: ${DARTS_OPS.join(' ')})`,
        DartsInvalidReason.UNKNOWN_OP,
        { field: `${name}[${slot}][0]`, position: op.position },
      );
    }
    const states = dartsInputCount(slot);
    if (!Number.isInteger(input.value) || (input.value as number) < 0 || (input.value as number) >= states) {
      failDarts(
        `${name}[${slot}] feeds node ${slot >> 1}, which reads states 0..${states - 1}, not ${shown(input.value)}`,
        DartsInvalidReason.BAD_INPUT_INDEX,
        { field: `${name}[${slot}][1]`, position: input.position },
      );
    }
    return { op: op.value, input: input.value as number };
  });
  for (let slot = 1; slot < DARTS_PAIR_COUNT; slot += 2) {
    if (pairs[slot].input === pairs[slot - 1].input) {
      failDarts(
        `both pairs of ${name} node ${slot >> 1} read state ${pairs[slot].input}`,
        DartsInvalidReason.DUPLICATE_INPUT,
        { field: `${name}[${slot}][1]`, position: cell.pairs[slot].input.position },
      );
    }
  }
  return pairs;
}

/**
 * Checks a genotype as read (`parseDartsPython`, `readDartsValue`) and returns the canonical genotype: each cell has
 * 8 pairs of a DARTS op and an input that node k = slot / 2 may read (0..k+1); the two inputs of a node differ, as
 * in every genotype DARTS derives (it keeps the two strongest edges from distinct predecessors) and every
 * NAS-Bench-301 configuration (it samples two distinct inputs per node); concats, when given, are [2, 3, 4, 5].
 */
export function validateRawDarts(raw: RawDartsGenotype): DartsGenotype {
  const [normal, reduce] = DARTS_CELLS.map((name) => validateCell(raw[name], name));
  for (const field of ['normal_concat', 'reduce_concat'] as const) {
    const concat = raw[field];
    if (concat === undefined) continue;
    const { values } = concat;
    if (
      values === null ||
      values.length !== DARTS_CONCAT.length ||
      values.some((state, i) => state !== DARTS_CONCAT[i])
    ) {
      failDarts(`${field} must be [2, 3, 4, 5]`, DartsInvalidReason.BAD_CONCAT, { field, position: concat.position });
    }
  }
  return canonicalDarts({ normal, reduce });
}

/** Checks an untrusted value (JSON form or in-memory genotype, see `readDartsValue`) and returns the canonical genotype. */
export function validateDarts(value: unknown): DartsGenotype {
  return validateRawDarts(readDartsValue(value));
}
