export * from './early-stop';
export * from './training-job-handler';
export * from './trainer-pool';
export * from './check-trainable';
export * from './request-training-jobs';
