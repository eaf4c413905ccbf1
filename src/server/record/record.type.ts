import { Field, Float, Int, ObjectType } from 'type-graphql';

/** Metrics of one (architecture, dataset, protocol, epoch) under a seed choice. */
@ObjectType('Record', {
  description: 'Measured metrics of an architecture under a protocol at an epoch, aggregated over seeds as asked.',
})
export class RecordType {
  @Field({ description: 'Dataset name.' })
  dataset: string;

  @Field({ description: 'Protocol name.' })
  protocol: string;

  @Field(() => Int, { description: 'Epoch (1-based) the values are at.' })
  epoch: number;

  @Field(() => [Int], { description: 'Seeds whose runs were used; empty when the values are a published seed mean.' })
  seeds: number[];

  @Field(() => Int, {
    nullable: true,
    description: 'Number of seeds behind the values (null when a publisher did not say).',
  })
  n: number | null;

  @Field({
    description: 'True when a value is a mean published without its per-seed runs (e.g. the NB201 summary table).',
  })
  isPublishedMean: boolean;

  @Field(() => Float, { nullable: true, description: 'Training accuracy, percent.' })
  trainAcc: number | null;
  @Field(() => Float, { nullable: true, description: 'Population std of trainAcc over seeds, percent.' })
  trainAccStd: number | null;
  @Field(() => Float, { nullable: true, description: 'Validation accuracy, percent.' })
  validAcc: number | null;
  @Field(() => Float, { nullable: true, description: 'Population std of validAcc over seeds, percent.' })
  validAccStd: number | null;
  @Field(() => Float, { nullable: true, description: 'Test accuracy, percent.' })
  testAcc: number | null;
  @Field(() => Float, { nullable: true, description: 'Population std of testAcc over seeds, percent.' })
  testAccStd: number | null;
  @Field(() => Float, { nullable: true, description: 'Training loss.' })
  trainLoss: number | null;
  @Field(() => Float, { nullable: true, description: 'Validation loss.' })
  validLoss: number | null;
  @Field(() => Float, { nullable: true, description: 'Test loss.' })
  testLoss: number | null;

  @Field(() => Float, { nullable: true, description: 'Total training time in seconds (at the last epoch only).' })
  trainTimeSeconds: number | null;
}
