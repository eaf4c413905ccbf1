import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { JobEventKindValue, TrainingJobStatusValue } from '../../store/training';
import { JobEpochType } from '../job/job-epoch.type';
import { JobEventKind } from '../job/job-event-kind.enum';
import { TrainingJobStatus } from '../job/job-status.enum';

/** One event of `jobProgress`; its source object is the store's `JobEvent`. */
@ObjectType('JobEvent', {
  description: 'Something that happened to a training job, with its status and progress after it.',
})
export class JobEventType {
  @Field(() => ID)
  jobId: string;

  @Field(() => JobEventKind)
  kind: JobEventKindValue;

  @Field(() => TrainingJobStatus)
  status: TrainingJobStatusValue;

  @Field(() => Int)
  epochsDone: number;

  @Field(() => Int)
  totalEpochs: number;

  @Field(() => JobEpochType, { nullable: true, description: 'The epoch just written (kind EPOCH).' })
  epoch: JobEpochType | null;

  @Field(() => String, { nullable: true, description: 'The failure (kinds RETRYING, FINISHED with status FAILED).' })
  error: string | null;

  @Field(() => Date, { description: 'When the event was written.' })
  at: Date;
}
