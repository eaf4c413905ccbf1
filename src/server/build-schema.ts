import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ArchitectureQueryResolver } from './architecture/architecture-query.resolver';
import { ArchitectureResolver } from './architecture/architecture.resolver';
import { authChecker } from './auth/auth-checker';
import { CatalogResolver } from './catalog/catalog.resolver';
import { ProtocolResolver } from './catalog/protocol.resolver';
import { ExtrapolateResolver } from './extrapolate/extrapolate.resolver';
import { RunResolver } from './run/run.resolver';
import { SearchSpaceResolver } from './space/search-space.resolver';
import { PredictorResolver } from './predictor/predictor.resolver';

/** The resolvers of the API, in one list. */
export const resolvers = [SearchSpaceResolver, CatalogResolver, ProtocolResolver, ArchitectureQueryResolver, ArchitectureResolver, RunResolver, ExtrapolateResolver, PredictorResolver] as const;

/** Builds the executable schema from the type-graphql classes; `@Authorized(role)` fields go through {@link authChecker}. */
export function buildNashubSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, validate: false, authChecker, authMode: 'error' });
}
