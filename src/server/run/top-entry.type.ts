import { Field, Int, ObjectType } from 'type-graphql';
import { ArchitectureType } from '../architecture/architecture.type';
import { EstimateType } from '../record/estimate.type';

/** One place in a ranking. */
@ObjectType('TopEntry', { description: 'An architecture and its measured value, ranked (1 = best).' })
export class TopEntryType {
  @Field(() => Int)
  rank: number;

  @Field(() => ArchitectureType)
  architecture: unknown;

  @Field(() => EstimateType)
  estimate: EstimateType;
}
