import { failDarts } from './fail';
import type { DartsGenotype } from './genotype';
import { DARTS_MAX_TEXT_LENGTH, DartsInvalidReason } from './invalid-reason';
import { parseDartsPython } from './parse-python';
import { validateDarts, validateRawDarts } from './validate';

/** V8 names an offset in some JSON syntax errors ("... at position 12"); other messages carry none. */
function jsonErrorPosition(error: unknown): number | undefined {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * Parses a genotype and returns it canonical. Text starting with `{` (after whitespace) is the JSON form
 * (`readDartsValue`); anything else is the Python `Genotype(...)` text (`parseDartsPython`). Text longer than
 * {@link DARTS_MAX_TEXT_LENGTH} is refused before scanning.
 */
export function parseDarts(text: string): DartsGenotype {
  if (typeof text !== 'string') failDarts('a darts architecture text must be a string', DartsInvalidReason.WRONG_TYPE);
  if (text.length > DARTS_MAX_TEXT_LENGTH) {
    failDarts(
      `architecture text of ${text.length} characters is over the limit of ${DARTS_MAX_TEXT_LENGTH}`,
      DartsInvalidReason.TOO_LONG,
      { position: DARTS_MAX_TEXT_LENGTH },
    );
  }
  const trimmed = text.trimStart();
  if (trimmed.trimEnd() === '') failDarts('empty architecture text', DartsInvalidReason.EMPTY, { position: 0 });
  if (!trimmed.startsWith('{')) return validateRawDarts(parseDartsPython(text));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    failDarts('architecture text is not valid JSON', DartsInvalidReason.MALFORMED_JSON, {
      position: jsonErrorPosition(error),
      cause: error,
    });
  }
  return validateDarts(value);
}
