import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { ArchitectureQueryResolver } from './architecture/architecture-query.resolver';
import { ArchitectureResolver } from './architecture/architecture.resolver';
import { ApiKeyResolver } from './auth/api-key.resolver';
import { ImportFileResolver } from './import/import-file.resolver';
import { authChecker } from './auth/auth-checker';
import { CatalogResolver } from './catalog/catalog.resolver';
import { ProtocolResolver } from './catalog/protocol.resolver';
import { ExtrapolateResolver } from './extrapolate/extrapolate.resolver';
import { RunResolver } from './run/run.resolver';
import { RecordTableResolver } from './record/record-table.resolver';
import { SearchSpaceResolver } from './space/search-space.resolver';
import { PredictorResolver } from './predictor/predictor.resolver';
import { JobResolver } from './job/job.resolver';
import { JobFieldsResolver } from './job/job-fields.resolver';
import { JobProgressResolver } from './subscription/job-progress.resolver';
import { SearchRunResolver } from './search/search-run.resolver';
import { SearchRunEventsResolver } from './search/search-run-events.resolver';
import { ReleaseResolver } from './release/release.resolver';
import { ReleaseImportResolver } from './release/release-import.resolver';
import { installDirectResolvers } from './direct-resolvers';
import { ReleasePublicationProgressResolver } from './release/release-publication-progress.resolver';

/** The resolvers of the API, in one list. */
export const resolvers = [
  SearchSpaceResolver,
  CatalogResolver,
  ProtocolResolver,
  ArchitectureQueryResolver,
  ArchitectureResolver,
  RecordTableResolver,
  RunResolver,
  ExtrapolateResolver,
  PredictorResolver,
  JobResolver,
  JobFieldsResolver,
  JobProgressResolver,
  ApiKeyResolver,
  ImportFileResolver,
  SearchRunResolver,
  SearchRunEventsResolver,
  ReleaseResolver,
  ReleaseImportResolver,
  ReleasePublicationProgressResolver,
] as const;

/** Options of {@link buildNashubSchema}. */
export interface BuildNashubSchemaOptions {
  /** The server's PubSub for subscriptions (its JobEventHub's); default a fresh one (printing the schema). */
  pubSub?: PubSub;
}

/**
 * Builds the executable schema from the type-graphql classes; `@Authorized(role)` fields go through {@link authChecker},
 * the hottest per-item fields resolve directly ({@link installDirectResolvers}).
 */
export async function buildNashubSchema(options: BuildNashubSchemaOptions = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    validate: false,
    authChecker,
    authMode: 'error',
    pubSub: options.pubSub ?? createPubSub(),
  });
  installDirectResolvers(schema);
  return schema;
}
