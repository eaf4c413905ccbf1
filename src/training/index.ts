export * from './early-stop';
export * from './training-job-handler';
export * from './trainer-pool';
