import { Field, Int, ObjectType } from 'type-graphql';
import { ArchitectureType } from '../architecture/architecture.type';
import { RunType } from '../run/run.type';
import { JobType } from './job.type';

/** The answer for one (architecture, seed) of `requestTraining`. */
@ObjectType('TrainingRequest', {
  description:
    'One (architecture, seed) of a requestTraining call. Exactly one of job and run is set: job when training is queued or under way ' +
    '(isNew says whether this call queued it or it was already pending), run when a finished run (COMPLETE or STOPPED_EARLY, trained or ' +
    'imported) already answers it, so nothing was queued.',
})
export class TrainingRequestType {
  @Field(() => ArchitectureType, { description: 'The architecture, canonicalised.' })
  architecture: unknown;

  @Field(() => Int)
  seed: number;

  @Field(() => JobType, { nullable: true, description: 'The new or pending job; null when run is set.' })
  job: unknown;

  @Field(() => RunType, {
    nullable: true,
    description: 'The finished run that makes training unnecessary; null when job is set.',
  })
  run: unknown;

  @Field({ description: 'True when this call created the job; false for a pending job or a finished run.' })
  isNew: boolean;
}
