import type { QueryRunner } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { rollbackAfter } from './rollback-after';

/** A runner in a transaction whose ROLLBACK fails as PGlite's did after a failed statement. */
function runnerWithFailingRollback(): QueryRunner {
  return {
    isTransactionActive: true,
    rollbackTransaction: () => Promise.reject(new Error('cannot drop active portal')),
  } as unknown as QueryRunner;
}

describe('rollbackAfter', () => {
  it('keeps the first error when the rollback fails, and attaches the rollback error (issue 16: "cannot drop active portal" hid a full disk)', async () => {
    const diskFull = Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), {
      code: '53100',
    });
    const thrown = await rollbackAfter(runnerWithFailingRollback(), diskFull);
    expect(thrown).toMatchObject({ code: 'DISK_FULL', cause: diskFull });
    expect((diskFull as { rollbackError?: Error }).rollbackError?.message).toBe('cannot drop active portal');

    const other = new Error('duplicate key');
    expect(await rollbackAfter(runnerWithFailingRollback(), other)).toBe(other);
  });

  it('rolls back a transaction that is still open', async () => {
    let rolledBack = 0;
    const runner = {
      isTransactionActive: true,
      rollbackTransaction: async () => void (rolledBack += 1),
    } as unknown as QueryRunner;
    const error = new Error('bad row');
    expect(await rollbackAfter(runner, error)).toBe(error);
    expect(rolledBack).toBe(1);
  });
});
