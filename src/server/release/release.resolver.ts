import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { findRelease, listReleases } from '../../store/release';
import type { RequestContext } from '../context.type';
import { ReleaseType } from './release.type';
import { toReleaseType } from './to-release-type';

/** Recorded releases: list and read. */
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
    const row = await findRelease(ctx.store.dataSource.manager, name, version);
    return row ? toReleaseType(row, ctx.releasesDir) : null;
  }
}
