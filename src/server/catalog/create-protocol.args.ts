import { ArgsType, Field, Int } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/** Arguments of `createProtocol`. */
@ArgsType()
export class CreateProtocolArgs {
  @Field({ description: 'Unique protocol name, e.g. "hp=200" or "fmnist-c8n1-e10".' })
  name: string;

  @Field(() => Int, { description: 'Epochs of the full schedule (at least 1).' })
  epochs: number;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Optimiser, schedule, batch size, channels C, cells N, ...; default {}.',
  })
  hyperparameters?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'Free text; default empty.' })
  description?: string | null;
}
