import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { ErrorCode, NashubError } from '../../core';
import { ApiKeyRole } from '../../store';
import { importFile, resolveMapping } from '../../store/import';
import type { RequestContext } from '../context.type';

/**
 * `nashub import` of a table through the server that holds a PGlite folder: the same function as the CLI's, run in the
 * process that may open the folder. Local only, as `file` is a path on the server's own disk.
 */
@Resolver()
export class ImportFileResolver {
  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => GraphQLJSONObject, {
    description:
      "Imports a table file from the server's own disk, whole or not at all, and returns what `nashub import` prints. " +
      'Only for the local CLI (the per-start token from the PGlite lock file, from loopback): FORBIDDEN for API keys.',
  })
  async importFile(
    @Arg('space', { description: 'Search space of the architectures.' }) space: string,
    @Arg('file', { description: "Absolute path of the table on the server's disk." }) file: string,
    @Arg('mapping', () => GraphQLJSONObject, { description: 'The column mapping, defaults applied.' })
    mapping: Record<string, unknown>,
    @Arg('format', () => String, {
      nullable: true,
      description: 'csv | jsonl | parquet (default: from the extension).',
    })
    format: string | null,
    @Arg('replace', { defaultValue: false, description: 'Overwrite stored values that the file changes.' })
    replace: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<Record<string, unknown>> {
    if (!ctx.auth?.isLocal) {
      throw new NashubError(
        ErrorCode.FORBIDDEN,
        "importFile reads a path on the server's disk: only the local nashub CLI may call it",
        { details: { field: 'file' } },
      );
    }
    const result = await importFile({
      dataSource: ctx.store.dataSource,
      space,
      file,
      format: format ?? undefined,
      mapping: resolveMapping(mapping),
      replace,
    });
    await ctx.loaders.refreshCatalog();
    return { ...result };
  }
}
