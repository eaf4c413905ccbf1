import { Arg, Field, ID, ObjectType, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { ErrorCode, NashubError } from '../../core';
import {
  findSearchRun,
  findSearchTrial,
  SearchRunEventKind,
  SearchRunStatus,
  type SearchRunEventKindValue,
  type SearchRunNotice,
} from '../../store/search';
import { liveIterator } from '../subscription/live-iterator';
import type { SubscriptionContext } from '../subscription/subscription-context.type';
import { SearchRunType, SearchTrialType } from './search-run.type';
import { toSearchRunView, toSearchTrialView, type SearchRunView } from './search-views';

/** One event of a run, as a subscriber gets it. */
@ObjectType('SearchRunEvent')
export class SearchRunEventType {
  @Field(() => SearchRunEventKind)
  kind: SearchRunEventKindValue;

  @Field(() => SearchRunType, { description: 'The run as it stands after the event.' })
  run: SearchRunView;

  @Field(() => SearchTrialType, {
    nullable: true,
    description: 'The trial the event happened to (none for FINISHED, STOPPED).',
  })
  trial: SearchTrialType | null;
}

function servedOverWebSocket(): NashubError {
  return new NashubError(ErrorCode.INVALID_ARGUMENT, 'searchRunEvents is served over graphql-ws at /graphql', {
    details: { field: 'searchRunEvents' },
  });
}

/** Live search run events over graphql-ws. */
@Resolver()
export class SearchRunEventsResolver {
  @Subscription(() => SearchRunEventType, {
    description:
      'Events of one search run over graphql-ws (same path, /graphql) as they commit, from whichever API process wrote them (PostgreSQL ' +
      'LISTEN/NOTIFY): ASKED, TOLD, FAILED, EXPIRED per trial, then FINISHED or STOPPED, after which the stream completes (at once for a ' +
      'run already over). NOT_FOUND for an unknown run. Public, like every read.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { run: string }, SubscriptionContext>) =>
      subscribeSearchRunEvents(context, args.run),
  })
  searchRunEvents(
    @Root() event: SearchRunEventType | undefined,
    @Arg('run', () => ID) _run: string,
  ): SearchRunEventType {
    if (event === undefined) throw servedOverWebSocket();
    return event;
  }
}

async function subscribeSearchRunEvents(
  ctx: SubscriptionContext,
  runText: string,
): Promise<AsyncIterableIterator<SearchRunEventType>> {
  if (!ctx.searchEvents) throw servedOverWebSocket();
  const runId = /^[1-9][0-9]{0,9}$/.test(runText) ? Number(runText) : Number.NaN;
  await ctx.searchEvents.ensureListening();
  const live = ctx.searchEvents.subscribe(String(runId));
  let next = live.next();
  const manager = ctx.store.dataSource.manager;
  const run = Number.isFinite(runId) ? await findSearchRun(manager, runId).catch(() => null) : null;
  if (!run) {
    await live.return?.();
    throw new NashubError(ErrorCode.NOT_FOUND, `no search run ${runText}`, { details: { run: runText } });
  }
  const events = (async function* (): AsyncGenerator<SearchRunEventType> {
    try {
      if (run.status !== SearchRunStatus.RUNNING) {
        const kind = run.status === SearchRunStatus.STOPPED ? SearchRunEventKind.STOPPED : SearchRunEventKind.FINISHED;
        yield { kind, run: toSearchRunView(run), trial: null };
        return;
      }
      for (;;) {
        const result = await next;
        if (result.done) return;
        next = live.next();
        const notice: SearchRunNotice = result.value;
        const now = (await findSearchRun(manager, runId))!;
        const trial = notice.trialId === null ? null : await findSearchTrial(manager, notice.trialId);
        yield { kind: notice.kind, run: toSearchRunView(now), trial: trial && toSearchTrialView(now, trial) };
        if (notice.kind === SearchRunEventKind.FINISHED || notice.kind === SearchRunEventKind.STOPPED) return;
      }
    } finally {
      await live.return?.();
    }
  })();
  return liveIterator(events, live);
}
