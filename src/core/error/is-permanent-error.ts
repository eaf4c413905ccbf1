import { ErrorCode, isNashubError, type ErrorCodeValue } from './nashub-error';

/**
 * Codes of errors that no retry, on this machine or another, can fix: the work itself is wrong (a bad architecture,
 * protocol, file or name, too few records to fit, a conflicting state). Everything else is transient: a lost
 * connection, a full disk, a dataset or backend missing on one trainer but perhaps present on the next.
 */
const PERMANENT_CODES: ReadonlySet<ErrorCodeValue> = new Set<ErrorCodeValue>([
  ErrorCode.INVALID_ARCHITECTURE,
  ErrorCode.INVALID_ARGUMENT,
  ErrorCode.INVALID_CURVE,
  ErrorCode.UNKNOWN_SPACE,
  ErrorCode.UNKNOWN_DATASET,
  ErrorCode.UNKNOWN_PROTOCOL,
  ErrorCode.NOT_ENUMERABLE,
  ErrorCode.FILE_INVALID,
  ErrorCode.MAPPING_INVALID,
  ErrorCode.RELEASE_INVALID,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONFLICT,
]);

/** The one meaning of "permanent" for queued work (fits, training jobs): retrying is pointless, fail it now. */
export function isPermanentError(error: unknown): boolean {
  return isNashubError(error) && PERMANENT_CODES.has(error.code);
}
