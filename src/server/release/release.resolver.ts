import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ErrorCode, NashubError } from '../../core';
import { requestReleasePublication } from '../../releases';
import { ApiKeyRole } from '../../store';
import { RELEASE_NAME, findPublication, findRelease, listReleases } from '../../store/release';
import type { RequestContext } from '../context.type';
import { ReleaseFilterInput, ReleasePublicationType } from './release-publication.type';
import { ReleaseType } from './release.type';
import { toPublicationType } from './to-publication-type';
import { toReleaseType } from './to-release-type';

/** Recorded releases: list, read, and publish (as a queued job). */
@Resolver()
export class ReleaseResolver {
  @Query(() => [ReleaseType], { description: 'Every recorded release, by name then version.' })
  async releases(@Ctx() ctx: RequestContext): Promise<ReleaseType[]> {
    const rows = await listReleases(ctx.store.dataSource.manager);
    return Promise.all(rows.map((row) => toReleaseType(row, ctx.releasesDir)));
  }

  @Query(() => ReleaseType, { nullable: true, description: 'One release by name and version, or null.' })
  async release(
    @Ctx() ctx: RequestContext,
    @Arg('name') name: string,
    @Arg('version') version: string,
  ): Promise<ReleaseType | null> {
    // Checked before the lookup: PostgreSQL refuses some strings (NUL) as text, which would surface as an internal error.
    for (const [field, value] of [
      ['name', name],
      ['version', version],
    ] as const)
      if (!RELEASE_NAME.test(value))
        throw new NashubError(
          ErrorCode.INVALID_ARGUMENT,
          `release ${field} must be 1-128 letters, digits or ._+- (starting with a letter or digit)`,
          { details: { argument: field } },
        );
    const row = await findRelease(ctx.store.dataSource.manager, name, version);
    return row ? toReleaseType(row, ctx.releasesDir) : null;
  }

  @Authorized(ApiKeyRole.PUBLISHER)
  @Mutation(() => ReleasePublicationType, {
    description:
      "Queues the publication of a release of the store's complete runs (role publisher or admin) into this server's " +
      'release folder, where it is then served. Returns it QUEUED; `releasePublicationProgress(id)` (graphql-ws) pushes its ' +
      'status and progress until it ends, or poll `releasePublication(id)`.',
  })
  async publishRelease(
    @Ctx() ctx: RequestContext,
    @Arg('name', { description: 'Release name, e.g. nb201-cifar10: letters, digits and ._+-.' }) name: string,
    @Arg('version', { description: 'Release version, e.g. 1.0.0; a name and version are published once.' })
    version: string,
    @Arg('filter', () => ReleaseFilterInput, { nullable: true }) filter?: ReleaseFilterInput | null,
  ): Promise<ReleasePublicationType> {
    if (ctx.releasesDir === undefined)
      throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'this server has no release folder (NASHUB_RELEASES)', {
        details: { field: 'name' },
      });
    const queue = await ctx.services.queue();
    const row = await requestReleasePublication(ctx.store.dataSource, queue, {
      name,
      version,
      filters: { space: filter?.space ?? null, dataset: filter?.dataset ?? null, protocol: filter?.protocol ?? null },
    });
    await ctx.services.startPublisher(ctx.releasesDir);
    return toPublicationType(ctx.store.dataSource.manager, row, ctx.releasesDir);
  }

  @Query(() => ReleasePublicationType, { nullable: true, description: 'A queued publication by id, or null.' })
  async releasePublication(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
  ): Promise<ReleasePublicationType | null> {
    const row = await findPublication(ctx.store.dataSource.manager, id);
    return row ? toPublicationType(ctx.store.dataSource.manager, row, ctx.releasesDir) : null;
  }
}
