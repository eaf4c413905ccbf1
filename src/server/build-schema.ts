import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { SearchSpaceResolver } from './space/search-space.resolver';

/** The resolvers of the API, in one list. */
export const resolvers = [SearchSpaceResolver] as const;

/** Builds the executable schema from the type-graphql classes. */
export function buildNashubSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, validate: false });
}
