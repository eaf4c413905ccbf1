import { InitialSchema1764288000000 } from './1764288000000-initial-schema';
import { PredictorsAndJobs1764374400000 } from './1764374400000-predictors-and-jobs';
import { ShippedProtocols1764460800000 } from './1764460800000-shipped-protocols';
import { RecordScope1764633600000 } from './1764633600000-record-scope';
import { DropUnreadColumns1764720000000 } from './1764720000000-drop-unread-columns';
import { SearchRuns1764806400000 } from './1764806400000-search-runs';
import { StoreGeneration1764892800000 } from './1764892800000-store-generation';
import { ReleasePublications1764979200000 } from './1764979200000-release-publications';
import { RunProvenance1765065600000 } from './1765065600000-run-provenance';
import { RunSeedMean1765152000000 } from './1765152000000-run-seed-mean';
import { ApiKeyChanges1765238400000 } from './1765238400000-api-key-changes';
import { SearchBatchCheck1765242000000 } from './1765242000000-search-batch-check';

/** Every migration, oldest first; the last one's name is the schema version. */
export const migrations = [
  InitialSchema1764288000000,
  PredictorsAndJobs1764374400000,
  ShippedProtocols1764460800000,
  RecordScope1764633600000,
  DropUnreadColumns1764720000000,
  SearchRuns1764806400000,
  StoreGeneration1764892800000,
  ReleasePublications1764979200000,
  RunProvenance1765065600000,
  RunSeedMean1765152000000,
  ApiKeyChanges1765238400000,
  SearchBatchCheck1765242000000,
];
