/** Most characters of a caller's string repeated in an error message or detail. */
const ECHO_LENGTH = 100;

/**
 * A caller's string as an error may repeat it: the first 100 characters and "…" (a 1 MB unknown name must not make a
 * 2 MB error), with a lone surrogate cut in half by the truncation dropped.
 */
export function echoName(value: string): string {
  if (value.length <= ECHO_LENGTH) return value;
  const end = /[\uD800-\uDBFF]/.test(value[ECHO_LENGTH - 1]) ? ECHO_LENGTH - 1 : ECHO_LENGTH;
  return `${value.slice(0, end)}…`;
}
