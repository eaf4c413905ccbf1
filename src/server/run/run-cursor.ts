import { ErrorCode, NashubError } from '../../core';

const PREFIX = 'run:';

/** Opaque cursor of a run id. */
export function encodeRunCursor(id: number): string {
  return Buffer.from(`${PREFIX}${id}`).toString('base64url');
}

/** The run id of a cursor; a forged or foreign cursor is INVALID_ARGUMENT. */
export function decodeRunCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(id) || id < 0 || encodeRunCursor(id) !== cursor) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'after is not a cursor this API issued', {
      details: { argument: 'after' },
    });
  }
  return id;
}
