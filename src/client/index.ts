// nashub/client: a typed GraphQL client of the nashub API and a search worker loop. It speaks GraphQL over HTTP
// only, so it runs where neither the store nor the server is (eslint.config.mjs keeps it free of both).
export { NashubClient } from './nashub-client';
export { nodeHttpTransport } from './node-http-transport';
export type { HttpTransport } from './node-http-transport';
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
