import { describe, expect, it } from 'vitest';
import { asDiskFull } from './as-disk-full';
import { ErrorCode, NashubError } from './nashub-error';

/** A driver error as pg raises it (TypeORM's QueryFailedError copies `code` and keeps it as `driverError`). */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('asDiskFull', () => {
  it("recognises PostgreSQL 53100, ENOSPC and PGlite's errno text, on the error, its driverError or any cause", () => {
    const cases: unknown[] = [
      pgError('53100', 'could not extend file "base/5/16384": No space left on device'),
      Object.assign(new Error('query failed'), { driverError: pgError('53100', 'disk full') }),
      Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      }),
      new Error('could not write to file "pg_wal/xlogtemp.42": No space left on device'),
      new NashubError(ErrorCode.IMPORT_REJECTED, 'wrapped', {
        cause: new Error('outer', { cause: pgError('53100', 'disk full') }),
      }),
    ];
    for (const error of cases) {
      const typed = asDiskFull(error);
      expect(typed?.code, String(error)).toBe('DISK_FULL');
      expect(typed?.cause).toBe(error);
    }
  });

  it('leaves every other error alone, and a DISK_FULL as it is', () => {
    for (const error of [
      pgError('54000', 'index row requires 12024 bytes'),
      new Error('cannot drop active portal'),
      'ENOSPC',
      null,
      new NashubError(ErrorCode.CONFLICT, 'taken'),
    ]) {
      expect(asDiskFull(error)).toBeNull();
    }
    const typed = new NashubError(ErrorCode.DISK_FULL, 'full');
    expect(asDiskFull(typed)).toBe(typed);
  });
});
