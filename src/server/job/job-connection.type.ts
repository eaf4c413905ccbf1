import { Field, InputType, Int, ObjectType, ID } from 'type-graphql';
import type { TrainingJobStatusValue } from '../../store/training';
import { PageInfo } from '../run/run.type';
import { TrainingJobStatus } from './job-status.enum';
import { JobType } from './job.type';

/** An edge of the jobs connection. */
@ObjectType('JobEdge')
export class JobEdge {
  @Field()
  cursor: string;

  @Field(() => JobType)
  node: unknown;
}

/** A page of jobs. */
@ObjectType('JobConnection')
export class JobConnection {
  @Field(() => [JobEdge])
  edges: JobEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'Jobs matching the filter, over all pages.' })
  totalCount: number;
}

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
