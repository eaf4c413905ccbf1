import { Ctx, Query, Resolver } from 'type-graphql';
import { getSpace } from '../../core';
import { listStoredSpaces } from '../../store';
import type { RequestContext } from '../context.type';
import { SearchSpaceType } from './search-space.type';

/** Lists the search spaces registered in the store. */
@Resolver(() => SearchSpaceType)
export class SearchSpaceResolver {
  @Query(() => [SearchSpaceType], { description: 'Registered search spaces.' })
  async spaces(@Ctx() ctx: RequestContext): Promise<SearchSpaceType[]> {
    const stored = await listStoredSpaces(ctx.store.dataSource);
    return stored.map((row) => {
      const space = getSpace(row.name);
      return { id: space.name, name: space.title, size: space.size, encodings: [...space.encodings] };
    });
  }
}
