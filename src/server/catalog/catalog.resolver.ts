import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.type';
import { DatasetType, ProtocolType } from './catalog.type';

/** Datasets and protocols. */
@Resolver()
export class CatalogResolver {
  @Query(() => [DatasetType], { description: 'Stored datasets, by name.' })
  async datasets(@Ctx() ctx: RequestContext): Promise<DatasetType[]> {
    return (await ctx.loaders.catalog()).datasets;
  }

  @Query(() => [ProtocolType], { description: 'Stored protocols, by name.' })
  async protocols(@Ctx() ctx: RequestContext): Promise<ProtocolType[]> {
    return (await ctx.loaders.catalog()).protocols;
  }
}
