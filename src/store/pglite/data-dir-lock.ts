import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { ErrorCode, NashubError } from '../../core';

/** Name of the lock file inside a PGlite data folder. */
export const LOCK_FILE = 'nashub.lock';

/** A running server's address, published in the lock so a second `nashub` can go through its API. */
export interface LockServerInfo {
  /** `http://127.0.0.1:PORT/graphql`. */
  url: string;
  /** Per-start secret the server accepts as an admin credential from loopback only. */
  token: string;
}

/** What the lock file says about its holder. */
export interface LockHolder {
  pid: number;
  /** Start time of `pid` in clock ticks since boot (/proc/PID/stat field 22), null where /proc is missing. */
  startTime: string | null;
  host: string;
  /** The holder's command line, for the message a refused process prints. */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Present while `nashub serve` holds the folder and listens. */
  server?: LockServerInfo;
}

/** The lock of one PGlite data folder, held by this process until {@link DataDirLock.release}. */
export interface DataDirLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Rewrites the lock with the server's address (or removes it with null), atomically (write, then rename). */
  publishServer(server: LockServerInfo | null): void;
  /** Removes the lock if it is still ours; idempotent. Also runs on process exit. */
  release(): void;
}

/** Options of {@link acquireDataDirLock}. */
export interface AcquireDataDirLockOptions {
  /** How long to wait for another process that is taking over the same stale lock (default 5 s). */
  takeoverWaitMs?: number;
}

interface ReadLock {
  ino: number;
  raw: string;
  holder: LockHolder | null;
}

/**
 * Takes `<dataDir>/nashub.lock` for this process, or throws DATA_DIR_LOCKED naming the live holder. PGlite keeps
 * PostgreSQL's data files in one process's memory: a second process writing the same folder destroys it.
 *
 * The lock is created atomically: the full record goes to a temporary file first, which `link()` then publishes under
 * the lock's name (EEXIST when taken), so a reader never sees a partial lock. A lock whose holder is gone (no such pid,
 * or the pid now belongs to a process that started at another time) is stale. Taking it over is arbitrated by a
 * second `link()` to a marker named after that exact stale lock (inode, pid, start time): one taker wins and removes
 * the stale lock; the others wait and retry. Only the winner removes it, so no taker can remove a lock taken since.
 * A taker killed while holding the marker leaves it behind; the next taker sees its owner dead and competes for the
 * next marker generation instead.
 */
export async function acquireDataDirLock(
  dataDir: string,
  options: AcquireDataDirLockOptions = {},
): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    host: hostname(),
    command: commandLine(),
    since: new Date().toISOString(),
  };
  const tmp = writeTemp(path, holder);
  const deadline = Date.now() + (options.takeoverWaitMs ?? 5_000);
  try {
    for (;;) {
      try {
        linkSync(tmp, path);
        const lock = createLock(path, holder, statSync(tmp).ino);
        removeLeftovers(dataDir);
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dataDir, error);
      }
      const current = readLock(path);
      if (current === null) continue;
      if (current.holder !== null && isAlive(current.holder)) throw locked(dataDir, current.holder);
      if (!takeOver(path, current, tmp) && Date.now() > deadline) {
        throw new NashubError(
          ErrorCode.DATA_DIR_LOCKED,
          `NASHUB_DATA folder ${dataDir} has a stale lock that another process is taking over; try again`,
          { details: { dataDir } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    unlinkQuietly(tmp);
  }
}

/** Reads a lock file's holder, or null when no lock exists (used by the CLI to find a running server). */
export function readDataDirLock(dataDir: string): LockHolder | null {
  const current = readLock(join(dataDir, LOCK_FILE));
  return current?.holder && isAlive(current.holder) ? current.holder : null;
}

function createLock(path: string, holder: LockHolder, ino: number): DataDirLock {
  let ownIno: number | null = ino;
  const release = (): void => {
    if (ownIno === null) return;
    const current = readLock(path);
    if (current?.ino === ownIno) unlinkQuietly(path);
    ownIno = null;
    process.off('exit', release);
  };
  process.on('exit', release);
  return {
    path,
    holder,
    publishServer(server) {
      if (ownIno === null) throw new NashubError(ErrorCode.DATA_DIR_LOCKED, `the lock ${path} was released`);
      const next: LockHolder = { ...holder };
      if (server) next.server = server;
      const tmp = writeTemp(path, next);
      // rename() replaces the lock in one step: a reader sees the old record or the new one, never none.
      renameSync(tmp, path);
      ownIno = statSync(path).ino;
    },
    release,
  };
}

/**
 * Removes the stale lock `stale` if this process wins the right to; returns false when another live process holds that
 * right (the caller waits and retries).
 */
function takeOver(path: string, stale: ReadLock, tmp: string): boolean {
  const identity = `${stale.ino}-${stale.holder?.pid ?? 'x'}-${stale.holder?.startTime ?? 'x'}`;
  const prefix = `${path}.takeover-${identity}.`;
  for (let generation = 0; ; generation++) {
    const marker = `${prefix}${generation}`;
    try {
      linkSync(tmp, marker);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readLock(marker);
    if (owner === null) return true; // The winner finished and cleaned up: look at the lock again.
    if (owner.holder === null || isAlive(owner.holder)) return false;
  }
  try {
    const current = readLock(path);
    // Same inode and bytes: still the lock judged stale (its holder is dead, so nothing else rewrote it).
    if (current !== null && current.ino === stale.ino && current.raw === stale.raw) unlinkQuietly(path);
  } finally {
    const dir = join(path, '..');
    for (const name of readdirSync(dir)) if (join(dir, name).startsWith(prefix)) unlinkQuietly(join(dir, name));
  }
  return true;
}

/** Removes temporary files and takeover markers left by processes killed mid-way (their pid is in the record). */
function removeLeftovers(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (!name.startsWith(`${LOCK_FILE}.`) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.split('.')[2]);
    if (Number.isInteger(pid) && pid !== process.pid && !pidExists(pid)) unlinkQuietly(join(dataDir, name));
  }
}

function readLock(path: string): ReadLock | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const ino = fstatSync(fd).ino;
    const raw = readFileSync(fd, 'utf8');
    return { ino, raw, holder: parseHolder(raw) };
  } finally {
    closeSync(fd);
  }
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const value = JSON.parse(raw) as LockHolder;
    return Number.isInteger(value.pid) && value.pid > 0 ? value : null;
  } catch {
    // Locks are published complete by link(); unreadable bytes are not ours and protect nothing: treat as stale.
    return null;
  }
}

function writeTemp(path: string, holder: LockHolder): string {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  // 0600: the record can carry the server's admin token.
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(holder));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** True while the holder runs: its pid exists and started when the lock says (a reused pid started later). */
function isAlive(holder: LockHolder): boolean {
  // Another machine's pid means nothing here (a folder shared over a network or between containers): assume alive.
  if (holder.host !== hostname()) return true;
  if (!pidExists(holder.pid)) return false;
  const startTime = processStartTime(holder.pid);
  return holder.startTime === null || startTime === null || startTime === holder.startTime;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/PID/stat (starttime), read after the last ')' because the command name may hold spaces. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function commandLine(): string {
  const [, script, ...args] = process.argv;
  const name = script === undefined ? 'node' : basename(script) === 'main.js' ? 'nashub' : basename(script);
  return [name, ...args].join(' ').slice(0, 200);
}

function locked(dataDir: string, holder: LockHolder): NashubError {
  const local = holder.host === hostname();
  const where = local ? `process ${holder.pid}` : `process ${holder.pid} on host ${holder.host}`;
  const server = holder.server ? ` serving ${holder.server.url}` : '';
  // A process on another host (or container) cannot be checked from here; only a person can say it is gone.
  const remote = local
    ? ''
    : `; if nothing on ${holder.host} uses the folder any more (e.g. a removed container), delete ${join(dataDir, LOCK_FILE)}`;
  return new NashubError(
    ErrorCode.DATA_DIR_LOCKED,
    `NASHUB_DATA folder ${dataDir} is in use by ${where} (${holder.command}${server}, since ${holder.since}); ` +
      `only one process may open an embedded database: stop that process first, or run both against a shared PostgreSQL with DATABASE_URL${remote}`,
    { details: { dataDir, pid: holder.pid, host: holder.host, command: holder.command, since: holder.since } },
  );
}

function unusable(dataDir: string, error: unknown): NashubError {
  return new NashubError(
    ErrorCode.DATA_DIR_UNWRITABLE,
    `cannot lock NASHUB_DATA folder ${dataDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    {
      details: { dataDir },
      cause: error,
    },
  );
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    // Already gone is the goal; anything else (EACCES, EIO) is worth surfacing.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
