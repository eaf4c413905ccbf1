// nashub/client: a typed GraphQL client of the nashub API and a search worker loop. It speaks GraphQL over fetch
// only, so it runs where neither the store nor the server is (eslint.config.mjs keeps it free of both).
export { NashubClient } from './nashub-client';
export type {
  NashubClientOptions,
  RecordLookup,
  ClientRecord,
  ClientSearchRun,
  ClientAsk,
  ClientSearchTrial,
  ClientSearchRunPage,
  ClientSearchTrialPage,
} from './nashub-client';
export { NashubClientError, isNashubClientError } from './nashub-client-error';
export type { NashubClientErrorOptions, ErrorExtensions } from './nashub-client-error';
export { runWorker } from './run-worker';
export type { RunWorkerOptions, RunWorkerSummary, TrialResult, WorkerTrialEvent } from './run-worker';
export * from './generated/graphql';
