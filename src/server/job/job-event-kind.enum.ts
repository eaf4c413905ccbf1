import { registerEnumType } from 'type-graphql';
import { JobEventKind } from '../../store/training';

/** GraphQL `JobEventKind`. */
export const JobEventKindEnum = JobEventKind;
registerEnumType(JobEventKindEnum, {
  name: 'JobEventKind',
  description:
    'SNAPSHOT: the job as it stood when the subscription started; STARTED: a trainer claimed it; EPOCH: an epoch was written; RELEASED: a stopping trainer gave it back; RETRYING: an attempt failed and will be retried; FINISHED: it reached a final status.',
});
