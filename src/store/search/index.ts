export * from './load-protocol-values';
export * from './search-run-store';
export * from './search-run-vocabulary';
export * from './search-run-event';
export * from './search-run-driver-claim';
export * from './search-run-writes';
