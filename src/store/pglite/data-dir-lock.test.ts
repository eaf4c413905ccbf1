import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NashubError } from '../../core';
import { acquireDataDirLock, LOCK_FILE, readDataDirLock, type LockHolder } from './data-dir-lock';

/** A pid that no process has now: a child that already exited (the kernel reuses pids only after wrapping). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(dir: string, holder: Partial<LockHolder>): void {
  const full: LockHolder = {
    pid: 1,
    startTime: null,
    host: hostname(),
    command: 'nashub serve',
    since: '2026-01-01T00:00:00.000Z',
    ...holder,
  };
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(full));
}

async function lockError(dir: string): Promise<NashubError> {
  const error = await acquireDataDirLock(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NashubError);
  return error as NashubError;
}

describe('acquireDataDirLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nashub-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a 0600 record of this process, refuses a second holder, and is removed on release', async () => {
    const lock = await acquireDataDirLock(dir);
    const record = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder;
    expect(record).toMatchObject({ pid: process.pid, host: hostname() });
    expect(statSync(join(dir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);

    // Even this same process: two PGlite instances on one folder corrupt it just as two processes do.
    const error = await lockError(dir);
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.details).toMatchObject({ pid: process.pid, dataDir: dir });

    lock.release();
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    (await acquireDataDirLock(dir)).release();
  });

  it('publishes and withdraws a server address atomically', async () => {
    const lock = await acquireDataDirLock(dir);
    lock.publishServer({ url: 'http://127.0.0.1:1/graphql', token: 't' });
    expect(readDataDirLock(dir)?.server).toEqual({ url: 'http://127.0.0.1:1/graphql', token: 't' });
    expect(statSync(join(dir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    lock.publishServer(null);
    expect(readDataDirLock(dir)?.server).toBeUndefined();
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock whose process is gone', async () => {
    writeLock(dir, { pid: deadPid() });
    expect(readDataDirLock(dir)).toBeNull();
    const lock = await acquireDataDirLock(dir);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(!existsSync('/proc/self/stat'))(
    'takes over a lock whose pid now belongs to a process started at another time',
    async () => {
      writeLock(dir, { pid: process.ppid, startTime: '1' });
      const lock = await acquireDataDirLock(dir);
      expect(readDataDirLock(dir)?.pid).toBe(process.pid);
      lock.release();
    },
  );

  it('takes over a lock file that is not a lock record', async () => {
    writeFileSync(join(dir, LOCK_FILE), 'not json');
    (await acquireDataDirLock(dir)).release();
  });

  it('refuses a live holder, and one on another host whose liveness it cannot check', async () => {
    writeLock(dir, { pid: process.ppid, startTime: null, command: 'nashub serve --port 4000' });
    const live = await lockError(dir);
    expect(live.code).toBe('DATA_DIR_LOCKED');
    expect(live.details).toMatchObject({ pid: process.ppid, command: 'nashub serve --port 4000' });

    writeLock(dir, { pid: deadPid(), host: `${hostname()}-elsewhere` });
    const remote = await lockError(dir);
    expect(remote.code).toBe('DATA_DIR_LOCKED');
    expect(remote.details).toMatchObject({ host: `${hostname()}-elsewhere` });
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('removes temporary files left by a process killed while locking', async () => {
    writeFileSync(join(dir, `${LOCK_FILE}.${deadPid()}.abcdef.tmp`), '{}');
    const lock = await acquireDataDirLock(dir);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
  });
});
