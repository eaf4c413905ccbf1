import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCode, NashubError } from '../core';

/**
 * Takes `path` (a lock file beside a download folder) for this process, so that two imports of the same URL never
 * write the same files; a lock whose process is gone is taken over. Returns the release function.
 */
export function takeDownloadLock(path: string, url: string): () => void {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid))
        throw new NashubError(
          ErrorCode.CONFLICT,
          `another import of ${url} is running (pid ${pid}); wait for it, or run this once it has finished`,
          { details: { url, pid } },
        );
      rmSync(path, { force: true });
    }
  }
  throw new NashubError(ErrorCode.CONFLICT, `another import of ${url} took its download lock first`, {
    details: { url },
  });
}

/** True when a process with this id exists (EPERM: it exists, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
