import { isNashubError } from './nashub-error';

/** Most characters of a message or statement kept in a log line. */
const MAX_TEXT = 1_000;
/** Most characters of a stack kept in a log line. */
const MAX_STACK = 4_000;
/** Most characters of a detail value kept (details may echo a caller's string). */
const MAX_DETAIL = 200;
/** Causes followed. */
const MAX_DEPTH = 3;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/**
 * What a log line keeps of an error: type, code (SQLSTATE, errno code or nashub code), message and stack clipped, the
 * SQL statement's text, details clipped, and its causes. Never the statement's parameters (a TypeORM QueryFailedError
 * carries them, and they are user input: a 1 MB protocol name was a 3 MB log line) nor the driver's `detail` (it
 * quotes row values); everything else a driver copied onto the error is left out too.
 */
export function loggableError(error: unknown, depth = 0): Record<string, unknown> {
  if (isLoggable(error)) return error;
  if (!(error instanceof Error)) return { type: typeof error, message: clip(String(error), MAX_TEXT) };
  const e = error as Error & { code?: unknown; query?: unknown; driverError?: { code?: unknown } };
  const out: Record<string, unknown> = { type: e.name || e.constructor?.name, message: clip(e.message, MAX_TEXT) };
  const code = e.code ?? e.driverError?.code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (typeof e.query === 'string') out.query = clip(e.query, MAX_TEXT);
  if (isNashubError(e)) {
    out.details = Object.fromEntries(
      Object.entries(e.details).map(([key, value]) => [
        key,
        typeof value === 'string' ? clip(value, MAX_DETAIL) : clip(JSON.stringify(value) ?? 'undefined', MAX_DETAIL),
      ]),
    );
  }
  if (e.stack) out.stack = clip(e.stack, MAX_STACK);
  if (e.cause !== undefined && depth < MAX_DEPTH) out.cause = loggableError(e.cause, depth + 1);
  const rollbackError = (e as { rollbackError?: unknown }).rollbackError;
  if (rollbackError !== undefined && depth < MAX_DEPTH) out.rollbackError = loggableError(rollbackError, depth + 1);
  return out;
}

/** Already made by {@link loggableError} (a logger's `err` serializer may see it twice). */
function isLoggable(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
