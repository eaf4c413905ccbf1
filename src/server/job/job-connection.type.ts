import { Field, ID, InputType } from 'type-graphql';
import type { TrainingJobStatusValue } from '../../store/training';
import { connectionType, type Connection } from '../page/connection-type';
import { TrainingJobStatus } from './job-status.enum';
import { JobType } from './job.type';

/** A page of jobs. */
export const JobConnection = connectionType<unknown>('Job', () => JobType, 'Jobs');
/** The shape {@link JobConnection} resolves to. */
export type JobConnection = Connection<unknown>;

/** Which jobs to list. */
@InputType('JobFilter')
export class JobFilterInput {
  @Field(() => [TrainingJobStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: TrainingJobStatusValue[];

  @Field(() => ID, { nullable: true })
  space?: string;

  @Field({ nullable: true })
  dataset?: string;

  @Field({ nullable: true })
  protocol?: string;
}
