import { Field, ObjectType } from 'type-graphql';

/** A key just created: the only time its secret is shown. */
@ObjectType('CreatedApiKey', { description: 'A new API key. `key` is shown this once; only its sha256 is stored.' })
export class CreatedApiKeyType {
  @Field({ description: 'Unique name of the key (who or what holds it).' })
  name: string;

  @Field({ description: 'publisher, trainer or admin.' })
  role: string;

  @Field(() => Date, { description: 'When the key was created.' })
  createdAt: Date;

  @Field({ description: 'The secret, for `Authorization: Bearer KEY`; it cannot be shown again.' })
  key: string;
}
