import type { Logger } from 'pino';
import { loggableError } from '../../core';
import type { Store } from '../../store';
import type { ChannelListener } from '../../store/listen-channel';

/** How long a lost LISTEN waits before it listens again. */
const RECONNECT_MS = 1_000;

/** What a {@link ReconnectingListen} listens to, and what its owner does as it comes and goes. */
export interface ReconnectingListenOptions {
  channel: string;
  onNotify(payload: string): void;
  /** Once the LISTEN is in place (after every (re)start); a failure here counts as a lost LISTEN. */
  onListening(): void | Promise<void>;
  /** When the LISTEN is lost or closed: whatever the NOTIFYs kept current is not, from now on. */
  onLost(): void;
  /** For the log line of a loss: what is listened for ("store generation"), what the owner does without it. */
  what: string;
  meanwhile: string;
}

/**
 * One LISTEN of a server process that its owner keeps state by (kept API keys, the store's generation): started
 * once, and on every loss (or failed start) logged, reported to the owner, and started again after a second.
 */
export class ReconnectingListen {
  private listener: ChannelListener | null = null;
  /** The current start's token; replaced at each start, dropped at a loss or close. */
  private attempt: object | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly options: ReconnectingListenOptions,
  ) {}

  /** Whether the LISTEN is in place (not closed, not lost). */
  get listening(): boolean {
    return !this.closed && this.listener !== null;
  }

  /** Listens; a failure is logged and retried. */
  async start(): Promise<void> {
    if (this.closed || this.listener) return;
    // A lost connection's late NOTIFYs and errors are not this attempt's: only the current one is heard.
    const attempt = {};
    this.attempt = attempt;
    try {
      this.listener = await this.store.listen({
        channel: this.options.channel,
        onNotify: (payload) => {
          if (this.attempt === attempt) this.options.onNotify(payload);
        },
        onError: (error) => {
          if (this.attempt === attempt) this.lost(error);
        },
      });
      await this.options.onListening();
    } catch (error) {
      this.lost(error);
    }
  }

  /** Stops listening for good. */
  async close(): Promise<void> {
    this.closed = true;
    this.attempt = null;
    this.options.onLost();
    if (this.retry) clearTimeout(this.retry);
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
  }

  private lost(error: unknown): void {
    this.attempt = null;
    this.options.onLost();
    const listener = this.listener;
    this.listener = null;
    void listener?.close().catch(() => undefined);
    if (this.closed) return;
    this.logger.error(
      { err: loggableError(error) },
      `${this.options.what} LISTEN lost; ${this.options.meanwhile} until it is back`,
    );
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
