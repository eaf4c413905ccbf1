import { ErrorCode, NashubError } from '../../core';
import { isTrainingJobId } from '../../store/training';

const PREFIX = 'job:';

/** Opaque cursor of a job id. */
export function encodeJobCursor(id: string): string {
  return Buffer.from(`${PREFIX}${id}`).toString('base64url');
}

/** The job id of a cursor; a forged or foreign cursor is INVALID_ARGUMENT. */
export function decodeJobCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  if (!isTrainingJobId(id) || encodeJobCursor(id) !== cursor) {
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'after is not a cursor this API issued', {
      details: { argument: 'after' },
    });
  }
  return id;
}
