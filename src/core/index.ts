export * from './error/nashub-error';
export * from './error/invariant';
export * from './error/invalid-architecture-error';
export * from './random/rng';
export * from './space/search-space';
export * from './space/registry';
export * from './space/nb201';
