/** Machine-readable `reason` values of the InvalidArchitectureErrors the nb201 space raises. */
export const Nb201InvalidReason = {
  /** Text longer than {@link NB201_MAX_TEXT_LENGTH}; rejected before any scanning. */
  TOO_LONG: 'too-long',
  /** Nothing but whitespace. */
  EMPTY: 'empty',
  /** A character the grammar does not allow here (a missing `|`, `~` or `+`, inner whitespace, ...). */
  UNEXPECTED_CHARACTER: 'unexpected-character',
  /** An op name that is not one of the five NB201 ops. */
  UNKNOWN_OP: 'unknown-op',
  /** `~k` naming a node that is not the next expected input (inputs are 0..j-1, in order). */
  WRONG_INPUT_INDEX: 'wrong-input-index',
  /** A node with more or fewer edges than its index, or an in-memory array that is not 6 long. */
  WRONG_EDGE_COUNT: 'wrong-edge-count',
  /** Fewer or more than three `+`-separated nodes. */
  WRONG_NODE_COUNT: 'wrong-node-count',
  /** Characters after a complete architecture. */
  TRAILING_CHARACTERS: 'trailing-characters',
  /** `validate` got something that is neither a string nor an array. */
  WRONG_TYPE: 'wrong-type',
} as const;

/** One of {@link Nb201InvalidReason}'s values. */
export type Nb201InvalidReasonValue = (typeof Nb201InvalidReason)[keyof typeof Nb201InvalidReason];

/**
 * Longest text `parse` looks at. The longest canonical string is 95 characters; the slack allows outer whitespace,
 * and anything longer is refused in O(1) so a 1 MB request costs nothing.
 */
export const NB201_MAX_TEXT_LENGTH = 1024;
