export * from './search-service';
export * from './strategy-replay';
