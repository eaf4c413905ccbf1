import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import type { Logger } from 'pino';
import type { Store } from '../../store';
import { JOB_EVENT_CHANNEL, parseJobEvent, type JobEvent } from '../../store/training';

/** The pub/sub topic of job events, keyed by job id. */
export const JOB_EVENT_TOPIC = 'JOB_EVENT';

/** The topics of the server's PubSub. */
export type JobEventTopics = { [JOB_EVENT_TOPIC]: [jobId: string, event: JobEvent] };

/**
 * One server's bridge from PostgreSQL NOTIFY (channel `nashub_job`) to its subscriptions: one LISTEN per process,
 * opened on the first subscription, fanning events out by job id through a type-graphql PubSub. Every server process
 * LISTENs on its own, so subscribers see events written by any trainer or server on the database.
 */
export class JobEventHub {
  /** Where events are published, by job id; also the PubSub type-graphql builds the schema with. */
  readonly pubSub: PubSub<JobEventTopics> = createPubSub<JobEventTopics>();
  private listening: Promise<{ close(): Promise<void> }> | null = null;
  private closed = false;
  /** Open subscriptions' event streams: ended when the LISTEN is lost, so their clients subscribe again. */
  private readonly streams = new Set<AsyncIterator<JobEvent>>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /** Starts the LISTEN once (again after a lost connection); resolves when it is in place. */
  async ensureListening(): Promise<void> {
    if (this.closed) throw new Error('the job event hub is closed');
    if (!this.listening) {
      const listening = this.store.listen({
        channel: JOB_EVENT_CHANNEL,
        onNotify: (payload) => this.deliver(payload),
        onError: (error) => {
          this.logger.error(
            { err: error },
            'job event LISTEN connection lost; open subscriptions end, the next one listens again',
          );
          if (this.listening === listening) this.listening = null;
          // Events in the gap are lost for good; ending the streams lets clients resubscribe and get a fresh SNAPSHOT.
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

  /** The events of one job from now on; `return()` stops them (and is what a lost LISTEN calls). */
  subscribe(jobId: string): AsyncIterator<JobEvent> {
    const events = this.pubSub.subscribe(JOB_EVENT_TOPIC, jobId)[Symbol.asyncIterator]();
    const stream: AsyncIterator<JobEvent> = {
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
    const event = parseJobEvent(payload);
    if (!event) {
      this.logger.warn(
        { channel: JOB_EVENT_CHANNEL, payload: payload.slice(0, 200) },
        'ignored a NOTIFY that is not a job event',
      );
      return;
    }
    this.pubSub.publish(JOB_EVENT_TOPIC, event.jobId, event);
  }
}
