/** A value read from the text with the offset it started at (absent for JSON and in-memory input). */
export interface RawDartsValue {
  /** The value as read: a string, a number, or anything else from JSON. */
  value: unknown;
  /** 0-based offset of the value in the text. */
  position?: number;
}

/** One `(op, input)` pair as read, before validation. */
export interface RawDartsPair {
  /** The op name as read. */
  op: RawDartsValue;
  /** The input index as read. */
  input: RawDartsValue;
}

/** A cell's pair list as read. */
export interface RawDartsCell {
  /** Pairs in the order written. */
  pairs: RawDartsPair[];
  /** 0-based offset of the list's opening bracket in the text. */
  position?: number;
}

/** A concat as read; `values` is null for a `range(...)` too long to spell out. */
export interface RawDartsConcat {
  /** The states listed. */
  values: unknown[] | null;
  /** 0-based offset of the concat in the text. */
  position?: number;
}

/** A genotype as either text form reads it, before validation; the fields keep the Python names. */
export interface RawDartsGenotype {
  /** The normal cell's pairs, when given. */
  normal?: RawDartsCell;
  /** The reduction cell's pairs, when given. */
  reduce?: RawDartsCell;
  /** The normal cell's concat, when given. */
  normal_concat?: RawDartsConcat;
  /** The reduction cell's concat, when given. */
  reduce_concat?: RawDartsConcat;
}

/** Field names of {@link RawDartsGenotype}, as they are written in both text forms. */
export const RAW_DARTS_FIELDS = ['normal', 'normal_concat', 'reduce', 'reduce_concat'] as const;

/** One of {@link RAW_DARTS_FIELDS}. */
export type RawDartsField = (typeof RAW_DARTS_FIELDS)[number];
