import { closeSync, openSync } from 'node:fs';
import { writeAll } from './write-all';

/** Where a table writer's bytes go: a new file (a release) or memory drained into a response (an export). */
export interface ByteSink {
  /** Takes bytes in order; synchronous, so a writer's output never depends on where it goes. */
  write(bytes: Uint8Array | string): void;
  /** Releases what the sink holds; safe to call twice. */
  close(): void;
}

/** A sink into a new file at `path` (it must not exist). */
export function fileSink(path: string): ByteSink {
  const fd = openSync(path, 'wx');
  let closed = false;
  return {
    write: (bytes) => writeAll(fd, bytes),
    close: () => {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}

/** A sink that keeps what it is given until {@link MemorySink.take} hands it on. */
export class MemorySink implements ByteSink {
  private chunks: Buffer[] = [];

  write(bytes: Uint8Array | string): void {
    // Copies: the Parquet writer reuses its buffer after a flush.
    this.chunks.push(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes));
  }

  /** The bytes written since the last take, as one buffer (empty when none). */
  take(): Buffer {
    // One chunk (a CSV page) is handed on as it is: it is already a copy.
    const out = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = [];
    return out;
  }

  /** Nothing to release: a writer closes its sink when it finishes, and the last bytes are still to be taken. */
  close(): void {}
}
