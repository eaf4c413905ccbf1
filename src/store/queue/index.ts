export * from './job-queue';
export * from './queue-worker';
