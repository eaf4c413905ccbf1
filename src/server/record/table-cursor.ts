import { ErrorCode, NashubError } from '../../core';

const PREFIX = 'table:';

/**
 * Where a table page starts: `position` in the request's `archs` list, or `id` after an architecture row id when the
 * whole stored table is paged.
 */
export type TableCursor = { kind: 'position'; value: number } | { kind: 'id'; value: number };

/** Opaque cursor of a table position. */
export function encodeTableCursor(cursor: TableCursor): string {
  return Buffer.from(`${PREFIX}${cursor.kind}:${cursor.value}`).toString('base64url');
}

/** The position of a cursor of this kind; a forged, foreign or other-kind cursor is INVALID_ARGUMENT. */
export function decodeTableCursor(text: string, kind: TableCursor['kind']): number {
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const head = `${PREFIX}${kind}:`;
  const value = decoded.startsWith(head) ? Number(decoded.slice(head.length)) : NaN;
  if (!Number.isSafeInteger(value) || value < 0 || encodeTableCursor({ kind, value }) !== text) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      kind === 'position'
        ? 'after is not a cursor of a table page over archs'
        : 'after is not a cursor of a whole-table page',
      { details: { argument: 'after' } },
    );
  }
  return value;
}
