import { Field, Float, Int, ObjectType } from 'type-graphql';

/** One finished epoch of a job. */
@ObjectType('JobEpoch', {
  description: 'One finished epoch: accuracies in percent, losses as cross-entropy, wall time in seconds.',
})
export class JobEpochType {
  @Field(() => Int, { description: '1-based.' })
  epoch: number;
  @Field(() => Float, { nullable: true })
  trainLoss: number | null;
  @Field(() => Float, { nullable: true, description: 'Percent.' })
  trainAcc: number | null;
  @Field(() => Float, { nullable: true })
  validLoss: number | null;
  @Field(() => Float, { nullable: true, description: 'Percent.' })
  validAcc: number | null;
  @Field(() => Float, { nullable: true })
  testLoss: number | null;
  @Field(() => Float, { nullable: true, description: 'Percent.' })
  testAcc: number | null;
  @Field(() => Float, { nullable: true, description: 'Wall time of the epoch (training and evaluation), seconds.' })
  seconds: number | null;
}
