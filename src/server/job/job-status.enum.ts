import { registerEnumType } from 'type-graphql';
import { TrainingJobStatus } from '../../store/training';

registerEnumType(TrainingJobStatus, {
  name: 'JobStatus',
  description:
    'QUEUED (waiting for a trainer, also between retries), RUNNING, then COMPLETED, STOPPED_EARLY (learning-curve early stopping), FAILED (retries exhausted) or CANCELLED.',
});

/** The store's `TrainingJobStatus`, registered as GraphQL `JobStatus` (import it from here so the registration runs). */
export { TrainingJobStatus };
