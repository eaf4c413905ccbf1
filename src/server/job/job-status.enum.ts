import { registerEnumType } from 'type-graphql';
import { TrainingJobStatus } from '../../store/training';

/** GraphQL `JobStatus`: the store's job statuses, one vocabulary. */
export const JobStatusEnum = TrainingJobStatus;
registerEnumType(JobStatusEnum, {
  name: 'JobStatus',
  description: 'QUEUED (waiting for a trainer, also between retries), RUNNING, then COMPLETED, STOPPED_EARLY (learning-curve early stopping), FAILED (retries exhausted) or CANCELLED.',
});
