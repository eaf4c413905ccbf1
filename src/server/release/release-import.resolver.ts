import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Float, Int, Mutation, Resolver } from 'type-graphql';
import { ErrorCode, NashubError } from '../../core';
import { importReleaseFromUrl, mirrorReleases } from '../../releases';
import { ApiKeyRole } from '../../store';
import type { RequestContext } from '../context.type';

/**
 * `nashub import --release URL` and `nashub mirror` through the server that holds a PGlite folder: the same functions
 * as the CLI's, run in the process that may open the folder. Local only: they make the server fetch any URL.
 */
@Resolver()
export class ReleaseImportResolver {
  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => GraphQLJSONObject, {
    description:
      'Imports a release by URL into this store and serves it from here; returns what `nashub import --release URL` ' +
      'prints. Only for the local CLI (the per-start token from the PGlite lock file, from loopback).',
  })
  async importReleaseFromUrl(
    @Ctx() ctx: RequestContext,
    @Arg('url', { description: "The release's folder URL or its manifest.json." }) url: string,
    @Arg('replace', { defaultValue: false, description: 'Overwrite stored values the release changes.' })
    replace: boolean,
    @Arg('timeoutSeconds', () => Float, { defaultValue: 30, description: 'Idle timeout of each request.' })
    timeoutSeconds: number,
    @Arg('retries', () => Int, { defaultValue: 3, description: 'Resumes per file after a cut connection.' })
    retries: number,
  ): Promise<Record<string, unknown>> {
    const releasesDir = localReleasesDir(ctx, 'importReleaseFromUrl');
    const result = await importReleaseFromUrl({
      dataSource: ctx.store.dataSource,
      url,
      releasesDir,
      replace,
      timeoutMs: timeoutSeconds * 1000,
      retries,
    });
    await ctx.loaders.refreshCatalog();
    return { ...result };
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => GraphQLJSONObject, {
    description:
      'Imports every release another nashub lists that this store lacks; returns what `nashub mirror` prints. Only ' +
      'for the local CLI (the per-start token from the PGlite lock file, from loopback).',
  })
  async mirrorReleases(
    @Ctx() ctx: RequestContext,
    @Arg('from', { description: 'The other server, e.g. http://host:4000.' }) from: string,
    @Arg('timeoutSeconds', () => Float, { defaultValue: 30 }) timeoutSeconds: number,
    @Arg('retries', () => Int, { defaultValue: 3 }) retries: number,
  ): Promise<Record<string, unknown>> {
    const releasesDir = localReleasesDir(ctx, 'mirrorReleases');
    const result = await mirrorReleases({
      dataSource: ctx.store.dataSource,
      from,
      releasesDir,
      timeoutMs: timeoutSeconds * 1000,
      retries,
    });
    await ctx.loaders.refreshCatalog();
    return {
      imported: result.imported.map((r) => ({ name: r.name, version: r.version, status: r.status })),
      present: result.present,
    };
  }
}

/** The server's release folder, for the local CLI only (FORBIDDEN to every API key, admin included). */
function localReleasesDir(ctx: RequestContext, field: string): string {
  if (!ctx.auth?.isLocal)
    throw new NashubError(
      ErrorCode.FORBIDDEN,
      `${field} makes the server fetch a URL: only the local nashub CLI may call it`,
      { details: { field } },
    );
  if (ctx.releasesDir === undefined)
    throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'this server has no release folder (NASHUB_RELEASES)', {
      details: { field },
    });
  return ctx.releasesDir;
}
