import { Field, ID, Int, ObjectType } from 'type-graphql';

/** A registered search space. */
@ObjectType('SearchSpace', { description: 'A search space: NAS-Bench-201, NAS-Bench-101, DARTS.' })
export class SearchSpaceType {
  @Field(() => ID, { description: 'Short name used as the space argument everywhere: nb201, nb101, darts.' })
  id: string;

  @Field({ description: 'Human title, e.g. "NAS-Bench-201".' })
  name: string;

  @Field(() => Int, { nullable: true, description: 'Number of architectures when the space is enumerable, else null.' })
  size: number | null;

  @Field(() => [String], { description: 'Encodings predictors can use: onehot, adjacency, path.' })
  encodings: string[];
}
