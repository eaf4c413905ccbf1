import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/** A dataset runs are trained on. */
@ObjectType('Dataset', { description: 'A dataset: cifar10-valid, cifar100, ImageNet16-120, fashion-mnist, ...' })
export class DatasetType {
  @Field()
  name: string;

  @Field(() => Int, { nullable: true })
  numClasses: number | null;

  @Field()
  description: string;
}

/** How runs were trained. */
@ObjectType('Protocol', {
  description: 'A training protocol (NB201 hp=200 and hp=12 are two); records compare only within one.',
})
export class ProtocolType {
  @Field()
  name: string;

  @Field(() => Int, { description: 'Epochs of the full schedule; the default epoch of a record.' })
  epochs: number;

  @Field(() => GraphQLJSONObject, { description: 'Optimiser, schedule, batch size, channels C, cells N, ...' })
  hyperparameters: Record<string, unknown>;

  @Field()
  description: string;
}
