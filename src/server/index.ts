export * from './start-server';
export * from './build-schema';
export * from './context.type';
