export * from './store-config';
export * from './open-store';
export * from './create-data-source';
export * from './schema-version';
export * from './search-space.repository';
export * from './entity';
