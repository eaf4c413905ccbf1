/** Machine-readable `reason` values of the InvalidArchitectureErrors the nb101 space raises. */
export const Nb101InvalidReason = {
  /** Text longer than {@link NB101_MAX_TEXT_LENGTH}; rejected before JSON parsing. */
  TOO_LONG: 'too-long',
  /** Nothing but whitespace. */
  EMPTY: 'empty',
  /** Text that is not JSON; `position` is set when the JSON parser names one. */
  MALFORMED_JSON: 'malformed-json',
  /** A value that is not an object `{"matrix": ..., "ops": ...}` (or not a string, for `parse`). */
  WRONG_TYPE: 'wrong-type',
  /** A key other than `matrix` and `ops`. */
  UNKNOWN_FIELD: 'unknown-field',
  /** `matrix` or `ops` absent. */
  MISSING_FIELD: 'missing-field',
  /** `matrix` is not an array of equally long arrays, or a row's length differs from the number of rows. */
  NOT_SQUARE: 'not-square',
  /** A matrix entry other than the numbers 0 and 1. */
  BAD_ENTRY: 'bad-entry',
  /** More than seven vertices. */
  TOO_MANY_VERTICES: 'too-many-vertices',
  /** Fewer than two vertices. */
  TOO_FEW_VERTICES: 'too-few-vertices',
  /** `ops` is not an array as long as the matrix. */
  SIZE_MISMATCH: 'size-mismatch',
  /** A label that is none of the five NB101 labels. */
  UNKNOWN_OP: 'unknown-op',
  /** The first label is not `input`. */
  MISSING_INPUT: 'missing-input',
  /** The last label is not `output`. */
  MISSING_OUTPUT: 'missing-output',
  /** `input` or `output` on an interior vertex. */
  MISPLACED_IO: 'misplaced-io',
  /** A 1 on or below the diagonal (a self-loop or a backward edge). */
  NOT_UPPER_TRIANGULAR: 'not-upper-triangular',
  /** No path from input to output. */
  DISCONNECTED: 'disconnected',
  /** More than nine edges after pruning. */
  TOO_MANY_EDGES: 'too-many-edges',
} as const;

/** One of {@link Nb101InvalidReason}'s values. */
export type Nb101InvalidReasonValue = (typeof Nb101InvalidReason)[keyof typeof Nb101InvalidReason];

/**
 * Longest text `parse` looks at. The compact 7-vertex JSON is about 250 characters; the slack allows pretty-printed
 * JSON, and anything longer is refused in O(1) so a 1 MB request costs nothing.
 */
export const NB101_MAX_TEXT_LENGTH = 4096;
