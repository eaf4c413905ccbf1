import type { QueryRunner } from 'typeorm';
import { asDiskFull } from '../core';

/**
 * Rolls back the runner's transaction after `error` and returns the error to throw: the FIRST error, never the
 * rollback's (after a failed statement PGlite's ROLLBACK can fail with "cannot drop active portal", which hid a full
 * disk). A failed rollback is attached to it as `rollbackError`, for the log. A full disk becomes DISK_FULL.
 */
export async function rollbackAfter(runner: QueryRunner, error: unknown): Promise<unknown> {
  if (runner.isTransactionActive) {
    try {
      await runner.rollbackTransaction();
    } catch (rollbackError) {
      if (error instanceof Error)
        Object.defineProperty(error, 'rollbackError', { value: rollbackError, enumerable: false, configurable: true });
    }
  }
  return asDiskFull(error) ?? error;
}
