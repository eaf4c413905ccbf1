/** Machine-readable `reason` values of the InvalidArchitectureErrors the darts space raises. */
export const DartsInvalidReason = {
  /** Text longer than {@link DARTS_MAX_TEXT_LENGTH}; rejected before any scanning. */
  TOO_LONG: 'too-long',
  /** Nothing but whitespace. */
  EMPTY: 'empty',
  /** A character no token starts with (Python text), or characters after a complete genotype. */
  STRAY_CHARACTERS: 'stray-characters',
  /** A quote with no closing quote on the same line. */
  UNTERMINATED_STRING: 'unterminated-string',
  /** A token the `Genotype(...)` grammar does not allow here. */
  UNEXPECTED_TOKEN: 'unexpected-token',
  /** The text ends inside the genotype. */
  UNEXPECTED_END: 'unexpected-end',
  /** JSON text that does not parse; `position` is set when the JSON parser names one. */
  MALFORMED_JSON: 'malformed-json',
  /** A value that is not a genotype object (or not a string, for `parse`). */
  WRONG_TYPE: 'wrong-type',
  /** A field other than `normal`, `normal_concat`, `reduce`, `reduce_concat`. */
  UNKNOWN_FIELD: 'unknown-field',
  /** A field given twice. */
  DUPLICATE_FIELD: 'duplicate-field',
  /** `normal` or `reduce` absent. */
  MISSING_FIELD: 'missing-field',
  /** A cell that is not a list of exactly 8 pairs. */
  WRONG_PAIR_COUNT: 'wrong-pair-count',
  /** A pair that is not `[op, input]` / `{op, input}` (JSON and in-memory forms). */
  BAD_PAIR: 'bad-pair',
  /** An op name that is not one of the seven DARTS ops. */
  UNKNOWN_OP: 'unknown-op',
  /** An input that is not an integer state node k may read (0..k+1). */
  BAD_INPUT_INDEX: 'bad-input-index',
  /** The two pairs of a node read the same state. */
  DUPLICATE_INPUT: 'duplicate-input',
  /** A concat other than [2, 3, 4, 5] (or `range(2, 6)`). */
  BAD_CONCAT: 'bad-concat',
} as const;

/** One of {@link DartsInvalidReason}'s values. */
export type DartsInvalidReasonValue = (typeof DartsInvalidReason)[keyof typeof DartsInvalidReason];

/**
 * Longest text `parse` looks at. The canonical genotype is about 470 characters; the slack allows one pair per line
 * with indentation, and anything longer is refused in O(1) so a 1 MB request costs nothing.
 */
export const DARTS_MAX_TEXT_LENGTH = 4096;
