import { Field, Float, Int, ObjectType } from 'type-graphql';

/** A run's per-epoch curve, as parallel arrays indexed like `epochs`. */
@ObjectType('Curve', {
  description: 'Per-epoch values of one run (or a published seed-mean curve); arrays are parallel to epochs.',
})
export class CurveType {
  @Field()
  dataset: string;

  @Field()
  protocol: string;

  @Field(() => Int, { nullable: true, description: 'Seed of the run; null for a published seed-mean curve.' })
  seed: number | null;

  @Field(() => [Int], { description: 'Epochs (1-based).' })
  epochs: number[];

  @Field(() => [Float], { nullable: 'items', description: 'Training accuracy per epoch, percent.' })
  trainAcc: Array<number | null>;
  @Field(() => [Float], { nullable: 'items', description: 'Validation accuracy per epoch, percent.' })
  validAcc: Array<number | null>;
  @Field(() => [Float], { nullable: 'items', description: 'Test accuracy per epoch, percent.' })
  testAcc: Array<number | null>;
  @Field(() => [Float], { nullable: 'items', description: 'Training loss per epoch.' })
  trainLoss: Array<number | null>;
  @Field(() => [Float], { nullable: 'items', description: 'Validation loss per epoch.' })
  validLoss: Array<number | null>;
  @Field(() => [Float], { nullable: 'items', description: 'Test loss per epoch.' })
  testLoss: Array<number | null>;
  @Field(() => [Float], { nullable: 'items', description: 'Wall time of each epoch, seconds.' })
  epochSeconds: Array<number | null>;
}
