import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { ErrorCode, NashubError } from '../../core';
import {
  JobEventKind,
  findTrainingJob,
  isFinishedJobStatus,
  type JobEvent,
  type TrainingJobRow,
} from '../../store/training';
import { JobEventType } from './job-event.type';
import { liveIterator } from './live-iterator';
import type { SubscriptionContext } from './subscription-context.type';

/** Live job progress over graphql-ws. */
@Resolver()
export class JobProgressResolver {
  @Subscription(() => JobEventType, {
    description:
      'Events of one training job over graphql-ws (same path, /graphql): first a SNAPSHOT of the job as it stands, then each event as ' +
      'it commits (STARTED, EPOCH with the epoch written, RELEASED, RETRYING, FINISHED), from whichever trainer or server wrote it ' +
      '(PostgreSQL LISTEN/NOTIFY). The stream completes after FINISHED, or right after the SNAPSHOT of a finished job. NOT_FOUND for an ' +
      'unknown id. Public, like every read.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { id: string }, SubscriptionContext>) =>
      subscribeJobEvents(context, args.id),
  })
  jobProgress(@Root() event: JobEvent | undefined, @Arg('id', () => ID) _id: string): JobEventType {
    // A subscription sent as an HTTP request is executed once, as a query, with no event: refuse it, typed.
    if (event === undefined) throw servedOverWebSocket();
    return { ...event, at: new Date(event.at) };
  }
}

/**
 * Listens first, then reads the job, so no event falls between the snapshot and the live stream; live events the
 * snapshot already covers (epochs up to its epochsDone) are skipped. Throws NOT_FOUND before any event, so the client
 * gets a GraphQL error rather than a broken stream.
 */
async function subscribeJobEvents(ctx: SubscriptionContext, id: string): Promise<AsyncIterableIterator<JobEvent>> {
  if (!ctx.jobEvents) throw servedOverWebSocket();
  await ctx.jobEvents.ensureListening();
  const live = ctx.jobEvents.subscribe(id);
  // A Repeater starts listening on its first next(): call it now, await it after the snapshot.
  let next = live.next();
  let job: TrainingJobRow | null;
  try {
    job = await findTrainingJob(ctx.store.dataSource.manager, id);
  } catch (error) {
    await live.return?.();
    throw error;
  }
  if (!job) {
    await live.return?.();
    throw new NashubError(ErrorCode.NOT_FOUND, `no training job ${id}`, { details: { job: id } });
  }
  const snapshot = job;
  const events = (async function* (): AsyncGenerator<JobEvent> {
    try {
      yield snapshotEvent(snapshot);
      if (isFinishedJobStatus(snapshot.status)) return;
      for (;;) {
        const result = await next;
        if (result.done) return;
        next = live.next();
        const event = result.value;
        if (event.kind === JobEventKind.EPOCH && event.epochsDone <= snapshot.epochsDone) continue;
        yield event;
        if (event.kind === JobEventKind.FINISHED) return;
      }
    } finally {
      await live.return?.();
    }
  })();
  return liveIterator(events, live);
}

function snapshotEvent(job: TrainingJobRow): JobEvent {
  return {
    jobId: job.id,
    kind: JobEventKind.SNAPSHOT,
    status: job.status,
    epochsDone: job.epochsDone,
    totalEpochs: job.totalEpochs,
    epoch: null,
    error: job.error,
    at: job.updatedAt.toISOString(),
  };
}

function servedOverWebSocket(): NashubError {
  return new NashubError(ErrorCode.INVALID_ARGUMENT, 'jobProgress is served over graphql-ws at /graphql', {
    details: { field: 'jobProgress' },
  });
}
