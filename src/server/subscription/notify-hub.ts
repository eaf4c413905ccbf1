import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import type { Logger } from 'pino';
import type { Store } from '../../store';

/** The pub/sub topic of a hub's events, keyed by what they belong to (a job id, a run id). */
export const NOTICE_TOPIC = 'NOTICE';

/** The topics of a hub's PubSub. */
export type NoticeTopics = { [NOTICE_TOPIC]: [key: string, event: unknown] };

/** What a {@link NotifyHub} listens to and how it reads it. */
export interface NotifyHubOptions<T> {
  /** The PostgreSQL NOTIFY channel. */
  channel: string;
  /** The event of a payload, or null when the payload is not one (logged and ignored). */
  parse(payload: string): T | null;
  /** What subscribers subscribe to: the event's job id, run id, … */
  keyOf(event: T): string;
  /** What its events are, for logs ("job event"). */
  what: string;
}

/**
 * One server's bridge from a PostgreSQL NOTIFY channel to its subscriptions: one LISTEN per process, opened on the
 * first subscription, fanning events out by key through a PubSub. Every server process LISTENs on its own, so
 * subscribers see events written by any process on the database.
 */
export class NotifyHub<T> {
  /** Where events are published, by key. */
  readonly pubSub: PubSub<NoticeTopics> = createPubSub<NoticeTopics>();
  private listening: Promise<{ close(): Promise<void> }> | null = null;
  private closed = false;
  /** Open subscriptions' event streams: ended when the LISTEN is lost, so their clients subscribe again. */
  private readonly streams = new Set<AsyncIterator<T>>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly options: NotifyHubOptions<T>,
  ) {}

  /** Starts the LISTEN once (again after a lost connection); resolves when it is in place. */
  async ensureListening(): Promise<void> {
    if (this.closed) throw new Error(`the ${this.options.what} hub is closed`);
    if (!this.listening) {
      const listening = this.store.listen({
        channel: this.options.channel,
        onNotify: (payload) => this.deliver(payload),
        onError: (error) => {
          this.logger.error(
            { err: error, channel: this.options.channel },
            `${this.options.what} LISTEN connection lost; open subscriptions end, the next one listens again`,
          );
          if (this.listening === listening) this.listening = null;
          // Events in the gap are lost for good; ending the streams lets clients resubscribe and get a fresh snapshot.
          this.endStreams();
        },
      });
      this.listening = listening;
      listening.catch(() => {
        if (this.listening === listening) this.listening = null;
      });
    }
    await this.listening;
  }

  /** The events of one key from now on; `return()` stops them (and is what a lost LISTEN calls). */
  subscribe(key: string): AsyncIterator<T> {
    // The PubSub's generic event type is opaque to TypeScript here; what it yields is what `deliver` published.
    const events = this.pubSub.subscribe(NOTICE_TOPIC, key)[Symbol.asyncIterator]() as AsyncIterator<T>;
    const stream: AsyncIterator<T> = {
      next: () => events.next(),
      return: async (value?: unknown) => {
        this.streams.delete(stream);
        return events.return ? events.return(value) : { done: true, value: undefined };
      },
    };
    this.streams.add(stream);
    return stream;
  }

  private endStreams(): void {
    for (const stream of [...this.streams]) void stream.return?.();
  }

  /** Stops listening and ends open subscriptions. */
  async close(): Promise<void> {
    this.closed = true;
    this.endStreams();
    const listening = this.listening;
    this.listening = null;
    if (listening) await (await listening.catch(() => null))?.close();
  }

  private deliver(payload: string): void {
    const event = this.options.parse(payload);
    if (event === null) {
      this.logger.warn(
        { channel: this.options.channel, payload: payload.slice(0, 200) },
        `ignored a NOTIFY that is not a ${this.options.what}`,
      );
      return;
    }
    this.pubSub.publish(NOTICE_TOPIC, this.options.keyOf(event), event);
  }
}
