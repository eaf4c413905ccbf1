import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { TrainingJobStatusValue } from '../../store/training';
import { TrainingJobStatus } from './job-status.enum';

/** A training job; its source object is the store's `TrainingJobRow` (see job-fields.resolver.ts for derived fields). */
@ObjectType('Job', {
  description: 'A request to train one (architecture, dataset, protocol, seed), with its progress.',
})
export class JobType {
  @Field(() => ID, { description: 'The job id (also the pg-boss job id).' })
  id: string;

  @Field(() => TrainingJobStatus)
  status: TrainingJobStatusValue;

  @Field({ description: 'Dataset name.' })
  dataset: string;

  @Field({ description: 'Protocol name.' })
  protocol: string;

  @Field(() => Int)
  seed: number;

  @Field(() => Int, { description: 'Queue priority: higher is claimed first.' })
  priority: number;

  @Field(() => Int, { description: 'Epochs finished and written so far.' })
  epochsDone: number;

  @Field(() => Int, { description: "The protocol's epochs." })
  totalEpochs: number;

  @Field(() => Int, { description: 'Attempts started (a resume after a release, a retry or a lapsed lease counts).' })
  attempts: number;

  @Field(() => String, {
    nullable: true,
    description: 'tfjs backend of the latest attempt (tensorflow, webgpu, wasm, cpu).',
  })
  backend: string | null;

  @Field(() => String, { nullable: true, description: 'Hardware of the latest attempt.' })
  device: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the job failed, or the last failed attempt of a job being retried.',
  })
  error: string | null;

  @Field(() => String, { nullable: true, description: 'Name of the API key that requested it.' })
  requestedBy: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the first attempt started.' })
  startedAt: Date | null;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}
