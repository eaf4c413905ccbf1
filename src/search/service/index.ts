export * from './search-service';
export * from './strategy-replay';
export * from './training-run-driver';
export * from './run-batcher';
