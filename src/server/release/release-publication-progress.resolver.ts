import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { ErrorCode, NashubError } from '../../core';
import { PublicationStatus, findPublication, type PublicationRow } from '../../store/release';
import { liveIterator } from '../subscription/live-iterator';
import type { SubscriptionContext } from '../subscription/subscription-context.type';
import { ReleasePublicationType } from './release-publication.type';
import { toPublicationType } from './to-publication-type';

/** Live progress of a queued release publication over graphql-ws. */
@Resolver()
export class ReleasePublicationProgressResolver {
  @Subscription(() => ReleasePublicationType, {
    description:
      'A publishRelease publication over graphql-ws (same path, /graphql): first as it stands, then each time its status or progress ' +
      'changes, as the change commits (PostgreSQL LISTEN/NOTIFY, whichever server publishes it). The stream completes after ' +
      'PUBLISHED (with its release) or FAILED (with errorCode), at once for a publication already over. NOT_FOUND for an unknown id. ' +
      'Public, like releasePublication.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { id: string }, SubscriptionContext>) =>
      subscribePublication(context, args.id),
  })
  releasePublicationProgress(
    @Root() publication: ReleasePublicationType | undefined,
    @Arg('id', () => ID) _id: string,
  ): ReleasePublicationType {
    // A subscription sent as an HTTP request is executed once, as a query, with no event: refuse it, typed.
    if (publication === undefined) throw servedOverWebSocket();
    return publication;
  }
}

const isOver = (row: PublicationRow) =>
  row.status === PublicationStatus.PUBLISHED || row.status === PublicationStatus.FAILED;

/**
 * Listens first, then reads the row, so no change falls between the first answer and the live stream. Each notice
 * reads the row again (the notice says only that it changed): what a subscriber gets is always the row as committed,
 * and a change it already saw is not sent twice.
 */
async function subscribePublication(
  ctx: SubscriptionContext,
  id: string,
): Promise<AsyncIterableIterator<ReleasePublicationType>> {
  if (!ctx.publicationEvents) throw servedOverWebSocket();
  await ctx.publicationEvents.ensureListening();
  const live = ctx.publicationEvents.subscribe(id);
  // A Repeater starts listening on its first next(): call it now, await it after the first read.
  let next = live.next();
  const manager = ctx.store.dataSource.manager;
  let row: PublicationRow | null;
  try {
    row = await findPublication(manager, id);
  } catch (error) {
    await live.return?.();
    throw error;
  }
  if (!row) {
    await live.return?.();
    throw new NashubError(ErrorCode.NOT_FOUND, `no release publication ${id}`, { details: { publication: id } });
  }
  let current = row;
  const events = (async function* (): AsyncGenerator<ReleasePublicationType> {
    try {
      yield await toPublicationType(manager, current, ctx.releasesDir);
      while (!isOver(current)) {
        const result = await next;
        if (result.done) return;
        next = live.next();
        const now = await findPublication(manager, id);
        if (!now || (now.status === current.status && now.progress === current.progress)) continue;
        current = now;
        yield await toPublicationType(manager, current, ctx.releasesDir);
      }
    } finally {
      await live.return?.();
    }
  })();
  return liveIterator(events, live);
}

function servedOverWebSocket(): NashubError {
  return new NashubError(
    ErrorCode.INVALID_ARGUMENT,
    'releasePublicationProgress is served over graphql-ws at /graphql',
    {
      details: { field: 'releasePublicationProgress' },
    },
  );
}
