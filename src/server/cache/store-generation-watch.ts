import type { Logger } from 'pino';
import { loggableError } from '../../core';
import type { Store } from '../../store';
import type { ChannelListener } from '../../store/listen-channel';
import { STORE_GENERATION_CHANNEL, readStoreGeneration } from '../../store/generation/store-generation';

/** How long a lost LISTEN waits before it listens and reads the generation again. */
const RECONNECT_MS = 1_000;

/**
 * The store's generation as this process knows it, without a database round trip: read once, then raised by every
 * NOTIFY of the bumping transactions (delivered at commit, in commit order, from every process on the database).
 * Unknown (null) until the first read and from a lost LISTEN until the next read, so no answer is tagged or
 * revalidated with a generation that may have missed a write. The window that remains is the NOTIFY's trip from the
 * committing transaction to this process's LISTEN connection (a write committed less than that before a request may
 * be answered as of just before it, as if the request had come first).
 */
export class StoreGenerationWatch {
  private generation: bigint | null = null;
  private listener: ChannelListener | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /** The generation now, or null when it is not known (no caching then). */
  current(): bigint | null {
    return this.generation;
  }

  /** Listens, then reads the generation; a failure is logged and retried (the generation stays unknown). */
  async start(): Promise<void> {
    if (this.closed || this.listener) return;
    // Bumps seen between LISTEN and the read: the read may miss one that commits after it started.
    let seen = -1n;
    try {
      this.listener = await this.store.listen({
        channel: STORE_GENERATION_CHANNEL,
        onNotify: (payload) => {
          const value = BigInt(payload);
          if (this.generation === null) seen = value > seen ? value : seen;
          else if (value > this.generation) this.generation = value;
        },
        onError: (error) => this.lost(error),
      });
      // LISTEN before the read: a bump that commits after the read comes as a NOTIFY, one before it is in the read.
      const read = await readStoreGeneration(this.store.dataSource.manager);
      if (!this.closed && this.listener) this.generation = read > seen ? read : seen;
    } catch (error) {
      this.lost(error);
    }
  }

  /** Stops listening; the generation is unknown from now on. */
  async close(): Promise<void> {
    this.closed = true;
    this.generation = null;
    if (this.retry) clearTimeout(this.retry);
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
  }

  private lost(error: unknown): void {
    this.generation = null;
    const listener = this.listener;
    this.listener = null;
    void listener?.close().catch(() => undefined);
    if (this.closed) return;
    this.logger.error(
      { err: loggableError(error) },
      'store generation LISTEN lost; GET answers are not cached until it is back',
    );
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
