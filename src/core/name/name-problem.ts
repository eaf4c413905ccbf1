/** Why a string is refused as a name or a stored text, as `details.reason` says it. */
export const NameProblem = {
  EMPTY: 'EMPTY',
  TOO_LONG: 'TOO_LONG',
  SURROUNDING_SPACE: 'SURROUNDING_SPACE',
  CONTROL_CHARACTER: 'CONTROL_CHARACTER',
  LONE_SURROGATE: 'LONE_SURROGATE',
} as const;
/** One of {@link NameProblem}'s values. */
export type NameProblemValue = (typeof NameProblem)[keyof typeof NameProblem];

/** Most UTF-16 code units of a name (protocol, dataset, key label): far above any real one, far below an index row. */
export const MAX_NAME_LENGTH = 200;
/** Most UTF-16 code units of a free text (a description). */
export const MAX_TEXT_LENGTH = 10_240;

// A high surrogate not followed by a low one, or a low one not preceded by a high one: not valid UTF-16, so a database
// stores U+FFFD (or refuses it) and the name read back differs from the name written.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// NUL cannot be stored in PostgreSQL text at all; the other C0 controls and DEL make names that look alike but differ.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const NUL = /\u0000/;
const SURROUNDING_SPACE = /^\s|\s$/u;

/** The first problem of `value` as a name, or null when it is a valid name. */
export function nameProblem(value: string): NameProblemValue | null {
  if (value.length === 0) return NameProblem.EMPTY;
  if (value.length > MAX_NAME_LENGTH) return NameProblem.TOO_LONG;
  if (CONTROL.test(value)) return NameProblem.CONTROL_CHARACTER;
  if (LONE_SURROGATE.test(value)) return NameProblem.LONE_SURROGATE;
  if (SURROUNDING_SPACE.test(value)) return NameProblem.SURROUNDING_SPACE;
  return null;
}

/** The first problem of `value` as a stored free text (newlines and tabs allowed), or null when it can be stored. */
export function textProblem(value: string, maxLength = MAX_TEXT_LENGTH): NameProblemValue | null {
  if (value.length > maxLength) return NameProblem.TOO_LONG;
  if (NUL.test(value)) return NameProblem.CONTROL_CHARACTER;
  if (LONE_SURROGATE.test(value)) return NameProblem.LONE_SURROGATE;
  return null;
}
