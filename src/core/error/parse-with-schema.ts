import type { z } from 'zod';
import { NashubError, type ErrorCodeValue } from './nashub-error';

/** Options of {@link parseWithSchema}. */
export interface ParseWithSchemaOptions {
  /** Code of the error thrown for a document the schema refuses (MAPPING_INVALID, RELEASE_INVALID, ...). */
  code: ErrorCodeValue;
  /** What the document is, for the message (`mapping`, `release manifest`, ...). */
  what: string;
  /** Context merged into the error's `details` (the file, the key name, ...). */
  details?: Record<string, unknown>;
  /** Where the document sits inside a larger one (`curveOnly`), prefixed to every field path. */
  at?: string;
  /** Leave the bad value out of `details` (a document that may hold secrets, such as the environment). */
  hideValue?: boolean;
}

/** One problem a schema found: the dotted path of the bad field (`wide[0].pattern`, `''` for the whole document). */
export interface SchemaIssue {
  /** Path of the bad field, as a user would write it. */
  field: string;
  /** What is wrong with it. */
  message: string;
  /** The bad value, when it is a string, number, boolean or null (never a whole object: details go into replies). */
  value?: unknown;
}

/**
 * Parses untrusted JSON with a zod schema. Refused documents become one {@link NashubError} with `options.code`, the
 * first bad field's path in `details.field` and every problem in `details.issues`, so callers and tests see our codes,
 * never zod's error type.
 */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  value: unknown,
  options: ParseWithSchemaOptions,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const paths = result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path,
  );
  // An unknown key is a bad field too: name it, not the object holding it.
  const issues = result.error.issues.map((issue, i) => ({
    field: joinPath(options.at, formatPath(paths[i])),
    message: issue.message,
  }));
  const bad = options.hideValue ? undefined : plainValueAt(value, paths[0]);
  throw schemaError(
    options,
    { ...issues[0], value: bad },
    { issues, cause: options.hideValue ? undefined : result.error },
  );
}

/** A {@link NashubError} for one bad field of a document, worded like {@link parseWithSchema}'s (for checks across fields). */
export function schemaError(
  options: ParseWithSchemaOptions,
  issue: SchemaIssue,
  extra: { issues?: SchemaIssue[]; cause?: unknown } = {},
): NashubError {
  const where = issue.field ? `${options.what} field ${issue.field}` : options.what;
  return new NashubError(options.code, `${where}: ${issue.message}`, {
    details: {
      ...options.details,
      field: issue.field,
      ...(issue.value === undefined ? {} : { value: issue.value }),
      issues: extra.issues ?? [{ field: issue.field, message: issue.message }],
    },
    cause: extra.cause,
  });
}

/** `curveOnly` + `fractions[0]` → `curveOnly.fractions[0]`. */
function joinPath(at: string | undefined, field: string): string {
  if (!at) return field;
  if (!field) return at;
  return field.startsWith('[') ? `${at}${field}` : `${at}.${field}`;
}

/** `['wide', 0, 'pattern']` → `wide[0].pattern`. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** The value at `path` in `document` when it is plain (not an object or list), else undefined. */
function plainValueAt(document: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = document;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  // A long string is cut: details travel in replies and logs.
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return value === null || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}
