/**
 * nashub as a library (`require('nashub')`): core's search spaces, errors and seeded RNG; opening a store; the API
 * server; the search strategies and their runner. The command line is `nashub` (dist/cli/main.js); the typed GraphQL
 * client will be `nashub/client`.
 */
export * from './core';
export { openStore, type Store } from './store/open-store';
export type { StoreConfig } from './store/store-config';
export { startServer } from './server/start-server';
export * from './search';
