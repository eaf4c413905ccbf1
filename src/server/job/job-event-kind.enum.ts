import { registerEnumType } from 'type-graphql';
import { JobEventKind } from '../../store/training';

registerEnumType(JobEventKind, {
  name: 'JobEventKind',
  description:
    'SNAPSHOT: the job as it stood when the subscription started; STARTED: a trainer claimed it; EPOCH: an epoch was written; RELEASED: a stopping trainer gave it back; RETRYING: an attempt failed and will be retried; FINISHED: it reached a final status.',
});

/** The store's `JobEventKind`, registered as GraphQL `JobEventKind` (import it from here so the registration runs). */
export { JobEventKind };
