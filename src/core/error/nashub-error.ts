/** Every error code nashub raises on purpose; the server maps each to `extensions.code`. */
export const ErrorCode = {
  INVALID_ARCHITECTURE: 'INVALID_ARCHITECTURE',
  UNKNOWN_SPACE: 'UNKNOWN_SPACE',
  UNKNOWN_DATASET: 'UNKNOWN_DATASET',
  UNKNOWN_PROTOCOL: 'UNKNOWN_PROTOCOL',
  NOT_ENUMERABLE: 'NOT_ENUMERABLE',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  CONFIG_INVALID: 'CONFIG_INVALID',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  DATA_DIR_UNWRITABLE: 'DATA_DIR_UNWRITABLE',
  MIGRATION_FAILED: 'MIGRATION_FAILED',
  PORT_IN_USE: 'PORT_IN_USE',
  MAPPING_INVALID: 'MAPPING_INVALID',
  FILE_INVALID: 'FILE_INVALID',
  IMPORT_REJECTED: 'IMPORT_REJECTED',
  CONFLICT: 'CONFLICT',
  RELEASE_INVALID: 'RELEASE_INVALID',
  INVALID_CURVE: 'INVALID_CURVE',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  DATASET_MISSING: 'DATASET_MISSING',
  CHECKPOINT_INVALID: 'CHECKPOINT_INVALID',
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  UNKNOWN_STRATEGY: 'UNKNOWN_STRATEGY',
  UNKNOWN_PRESET: 'UNKNOWN_PRESET',
  DATA_NOT_IMPORTED: 'DATA_NOT_IMPORTED',
  DATA_DIR_LOCKED: 'DATA_DIR_LOCKED',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /** A download over HTTP did not complete: refused, timed out, cut off, or redirected in a loop (details.reason). */
  DOWNLOAD_FAILED: 'DOWNLOAD_FAILED',
  /** The disk (of the database or of an output folder) is full: PostgreSQL 53100 disk_full or ENOSPC. */
  DISK_FULL: 'DISK_FULL',
} as const;

/** One of {@link ErrorCode}'s values. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options of {@link NashubError}. */
export interface NashubErrorOptions {
  /** Machine-readable context: the field, position or limit at fault. */
  details?: Record<string, unknown>;
  /** The underlying error, kept for logs. */
  cause?: unknown;
}

/** Base of every domain error: a caller mistake or an environment problem, never a bug. */
export class NashubError extends Error {
  readonly code: ErrorCodeValue;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCodeValue, message: string, options: NashubErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NashubError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True for errors nashub raised on purpose (as opposed to bugs). */
export function isNashubError(value: unknown): value is NashubError {
  return value instanceof NashubError;
}
