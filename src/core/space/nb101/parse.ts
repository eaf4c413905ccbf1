import type { Nb101Arch } from './cell';
import { failNb101 } from './fail';
import { NB101_MAX_TEXT_LENGTH, Nb101InvalidReason } from './invalid-reason';
import { validateNb101 } from './validate';

/** V8 names an offset in some JSON syntax errors ("... at position 12"); other messages carry none. */
function jsonErrorPosition(error: unknown): number | undefined {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * Parses the JSON text of a cell, `{"matrix": [[0,1],[0,0]], "ops": ["input","output"]}` (any JSON whitespace), and
 * returns the canonical (pruned) cell; see `validateNb101` for the rules. Text longer than
 * {@link NB101_MAX_TEXT_LENGTH} is refused before parsing.
 */
export function parseNb101(text: string): Nb101Arch {
  if (typeof text !== 'string') failNb101('an nb101 architecture text must be a string', Nb101InvalidReason.WRONG_TYPE);
  if (text.length > NB101_MAX_TEXT_LENGTH) {
    failNb101(
      `architecture text of ${text.length} characters is over the limit of ${NB101_MAX_TEXT_LENGTH}`,
      Nb101InvalidReason.TOO_LONG,
      { position: NB101_MAX_TEXT_LENGTH },
    );
  }
  if (text.trim() === '') failNb101('empty architecture text', Nb101InvalidReason.EMPTY, { position: 0 });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    failNb101('architecture text is not valid JSON', Nb101InvalidReason.MALFORMED_JSON, {
      position: jsonErrorPosition(error),
      cause: error,
    });
  }
  return validateNb101(value);
}
