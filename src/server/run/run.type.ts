import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { RunSource, type RunSourceValue } from '../../store/entity/run.entity';
import { ArchitectureType } from '../architecture/architecture.type';
import { connectionType, type Connection } from '../page/connection-type';

// The store's run sources are the one vocabulary: GraphQL registers them as they are.
registerEnumType(RunSource, {
  name: 'RunSource',
  description: 'IMPORTED from a table or release; TRAINED by a nashub trainer.',
});

/** One training of one architecture. */
@ObjectType('Run', { description: 'One training of one architecture on one dataset under one protocol with one seed.' })
export class RunType {
  @Field(() => ID)
  id: string;

  @Field(() => ArchitectureType)
  architecture: unknown;

  @Field()
  dataset: string;

  @Field()
  protocol: string;

  @Field(() => Int, { nullable: true, description: 'Seed; null for a published seed mean.' })
  seed: number | null;

  @Field(() => Int, { nullable: true, description: 'Seeds behind a published mean, when known.' })
  seedCount: number | null;

  @Field(() => RunSource)
  source: RunSourceValue;

  @Field()
  status: string;

  @Field(() => Float, { nullable: true, description: 'Final training accuracy, percent.' })
  trainAcc: number | null;
  @Field(() => Float, { nullable: true, description: 'Final validation accuracy, percent.' })
  validAcc: number | null;
  @Field(() => Float, { nullable: true, description: 'Final test accuracy, percent.' })
  testAcc: number | null;
  @Field(() => Float, { nullable: true })
  trainLoss: number | null;
  @Field(() => Float, { nullable: true })
  validLoss: number | null;
  @Field(() => Float, { nullable: true })
  testLoss: number | null;
  @Field(() => Float, { nullable: true, description: 'Total training time, seconds.' })
  trainTimeSeconds: number | null;
}

/** A page of runs. */
export const RunConnection = connectionType<RunType>('Run', () => RunType, 'Runs');
/** The shape {@link RunConnection} resolves to. */
export type RunConnection = Connection<RunType>;

/** Which runs to list. */
@InputType('RunFilter')
export class RunFilterInput {
  @Field(() => ID, { nullable: true })
  space?: string;

  @Field({ nullable: true })
  dataset?: string;

  @Field({ nullable: true })
  protocol?: string;

  @Field(() => RunSource, { nullable: true })
  source?: RunSourceValue;

  @Field({ nullable: true, description: 'Architecture text (needs space); canonicalised.' })
  arch?: string;

  @Field(() => Int, { nullable: true })
  seed?: number;
}
