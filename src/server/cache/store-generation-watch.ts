import type { Logger } from 'pino';
import type { Store } from '../../store';
import { ReconnectingListen } from '../listen/reconnecting-listen';
import { STORE_GENERATION_CHANNEL, readStoreGeneration } from '../../store/generation/store-generation';

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
  /** Bumps seen while the generation is unknown (between LISTEN and the read: the read may miss one that commits after it started). */
  private seen = -1n;
  private readonly listen: ReconnectingListen;

  constructor(
    private readonly store: Store,
    logger: Logger,
  ) {
    this.listen = new ReconnectingListen(store, logger, {
      channel: STORE_GENERATION_CHANNEL,
      onNotify: (payload) => {
        const value = BigInt(payload);
        if (this.generation === null) this.seen = value > this.seen ? value : this.seen;
        else if (value > this.generation) this.generation = value;
      },
      // LISTEN before the read: a bump that commits after the read comes as a NOTIFY, one before it is in the read.
      onListening: async () => {
        const read = await readStoreGeneration(this.store.dataSource.manager);
        if (this.listen.listening) this.generation = read > this.seen ? read : this.seen;
      },
      onLost: () => {
        this.generation = null;
        this.seen = -1n;
      },
      what: 'store generation',
      meanwhile: 'GET answers are not cached',
    });
  }

  /** The generation now, or null when it is not known (no caching then). */
  current(): bigint | null {
    return this.generation;
  }

  /** Listens, then reads the generation; a failure is logged and retried (the generation stays unknown). */
  start(): Promise<void> {
    return this.listen.start();
  }

  /** Stops listening; the generation is unknown from now on. */
  close(): Promise<void> {
    return this.listen.close();
  }
}
