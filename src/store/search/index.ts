export * from './load-protocol-values';
export * from './search-run-store';
export * from './search-run-vocabulary';
export * from './search-run-event';
export * from './search-run-driver-claim';
export * from './search-run-writes';
export * from './open-run-batch';
export type { NewSearchRun, SearchRunRow } from './search-run-rows';
