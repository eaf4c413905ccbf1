import { QueryFailedError } from 'typeorm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportFatal } from './report-fatal';

describe('reportFatal', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('prints a full disk as one typed DISK_FULL line with exit status 1, not "unexpected error" and a stack', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation(
      (chunk: string | Uint8Array) => written.push(String(chunk)) > 0,
    );
    const driverError = Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), {
      code: '53100',
    });
    reportFatal(new QueryFailedError('INSERT INTO run_curve SELECT ...', ['user input'], driverError));
    reportFatal(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    expect(process.exitCode).toBe(1);
    const lines = written.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^nashub: DISK_FULL: /);
    expect(written.join('')).not.toContain('user input');
  });
});
