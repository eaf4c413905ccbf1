import { ArgsType, Field, ID, Int } from 'type-graphql';

/** Arguments of `requestTraining`. */
@ArgsType()
export class RequestTrainingArgs {
  @Field(() => ID, {
    description:
      "Search space: nb201 or nb101, the spaces whose networks the trainer builds (nb101: the protocol's C is the stem channels and N the cells per stack, 3 stacks).",
  })
  space: string;

  @Field(() => [String], {
    description: 'Architectures as text; canonicalised. At most maxArchs, and archs × seeds at most maxArchs.',
  })
  archs: string[];

  @Field({ description: 'Dataset name; must be the one the protocol trains on.' })
  dataset: string;

  @Field({ description: 'A trainer protocol, e.g. fmnist-c8n1-e12.' })
  protocol: string;

  @Field(() => [Int], {
    nullable: true,
    description: 'Seeds, distinct, each in 0..2147483647; default [0]. One job per (architecture, seed).',
  })
  seeds?: number[] | null;

  @Field(() => Int, { nullable: true, description: 'Queue priority, higher first; default 0.' })
  priority?: number | null;
}
