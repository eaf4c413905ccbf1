import { ErrorCode, NashubError, isNashubError } from './nashub-error';

/** PostgreSQL's SQLSTATE disk_full (class 53, insufficient resources). */
const PG_DISK_FULL = '53100';
/** Causes followed when looking for the disk-full one. */
const MAX_DEPTH = 5;

/** The disk-full error in `error` or its causes (PostgreSQL 53100 on the error or its driverError, or errno ENOSPC). */
function findDiskFull(error: unknown, depth: number): (Error & { code?: unknown; path?: unknown }) | undefined {
  if (!(error instanceof Error) || depth > MAX_DEPTH) return undefined;
  const e = error as Error & {
    code?: unknown;
    driverError?: { code?: unknown };
    path?: unknown;
    rollbackError?: unknown;
  };
  if (e.code === PG_DISK_FULL || e.code === 'ENOSPC' || e.driverError?.code === PG_DISK_FULL) return e;
  // PGlite reports a failed write of its WASM file system as the errno's text, with no code.
  if (/No space left on device/i.test(e.message)) return e;
  return findDiskFull(e.cause, depth + 1);
}

/**
 * DISK_FULL for an error caused by a full disk, wherever the cause sits (a failed rollback or a wrapping error must not
 * hide it); null for any other error. The original is kept as the cause.
 */
export function asDiskFull(error: unknown): NashubError | null {
  if (isNashubError(error) && error.code === ErrorCode.DISK_FULL) return error;
  const found = findDiskFull(error, 0);
  if (!found) return null;
  const where = typeof found.path === 'string' ? ` writing ${found.path}` : '';
  return new NashubError(
    ErrorCode.DISK_FULL,
    `the disk is full${where} (${found.code ?? 'no space left on device'}): nothing was written; free space and run it again`,
    {
      details: { code: found.code ?? null, ...(typeof found.path === 'string' ? { path: found.path } : {}) },
      cause: error,
    },
  );
}
