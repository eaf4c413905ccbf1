import { ErrorCode, NashubError, type ErrorCodeValue } from '../error/nashub-error';
import { echoName } from './echo-name';
import {
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
  NameProblem,
  nameProblem,
  textProblem,
  type NameProblemValue,
} from './name-problem';

/** Options of {@link checkName} and {@link checkText}. */
export interface CheckNameOptions {
  /** The argument, option or mapping field at fault (`details.field`). */
  field: string;
  /** The code to raise (default INVALID_ARGUMENT; an import mapping says MAPPING_INVALID). */
  code?: ErrorCodeValue;
}

const EXPLAINED: Record<NameProblemValue, string> = {
  [NameProblem.EMPTY]: 'is empty',
  [NameProblem.TOO_LONG]: 'is too long',
  [NameProblem.SURROUNDING_SPACE]: 'starts or ends with white space',
  [NameProblem.CONTROL_CHARACTER]: 'holds a control character (such as NUL)',
  [NameProblem.LONE_SURROGATE]: 'holds a lone UTF-16 surrogate (not valid Unicode)',
};

/**
 * The one name rule of nashub, for every name written (protocols, datasets, API key labels): 1-200 characters, no
 * control character, valid Unicode, no surrounding white space. A name is stored exactly as given or refused, so the
 * string written is the string that reads it back. Returns `value`; throws INVALID_ARGUMENT (or `code`).
 */
export function checkName(value: string, options: CheckNameOptions): string {
  const problem = nameProblem(value);
  if (problem) throw refused(value, problem, MAX_NAME_LENGTH, options);
  return value;
}

/** A free text written to the database (a description): at most `maxLength` characters, no NUL, valid Unicode. */
export function checkText(value: string, options: CheckNameOptions & { maxLength?: number }): string {
  const max = options.maxLength ?? MAX_TEXT_LENGTH;
  const problem = textProblem(value, max);
  if (problem) throw refused(value, problem, max, options);
  return value;
}

/** Every string (keys and values, at any depth) of a JSON value written to the database, checked as {@link checkText}. */
export function checkJsonText(value: unknown, options: CheckNameOptions & { maxLength?: number }): void {
  const max = options.maxLength ?? MAX_TEXT_LENGTH;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') checkText(next, { ...options, maxLength: max });
    else if (Array.isArray(next)) pending.push(...next);
    else if (typeof next === 'object' && next !== null) {
      for (const [key, inner] of Object.entries(next)) {
        checkText(key, { ...options, maxLength: max });
        pending.push(inner);
      }
    }
  }
}

function refused(value: string, reason: NameProblemValue, max: number, options: CheckNameOptions): NashubError {
  const limit = reason === NameProblem.TOO_LONG ? ` (${value.length} characters; at most ${max})` : '';
  return new NashubError(
    options.code ?? ErrorCode.INVALID_ARGUMENT,
    `${options.field} ${JSON.stringify(echoName(value))} ${EXPLAINED[reason]}${limit}`,
    {
      details: {
        field: options.field,
        reason,
        ...(reason === NameProblem.TOO_LONG ? { max, length: value.length } : {}),
      },
    },
  );
}
