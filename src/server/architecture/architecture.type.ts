import { Field, ID, ObjectType } from 'type-graphql';

/** An external id of an architecture. */
@ObjectType('ExternalId', { description: 'The id an architecture has in another table, e.g. scheme nb201-index.' })
export class ExternalIdType {
  @Field()
  scheme: string;

  @Field()
  id: string;
}

/** A canonical architecture of a space; fields with arguments are resolved by ArchitectureResolver. */
@ObjectType('Architecture', { description: 'A canonical member of a search space, stored or not.' })
export class ArchitectureType {
  @Field(() => ID, {
    description:
      "The space's identity key: the canonical string for nb201, the module hash for nb101, a sha256 prefix for darts.",
  })
  id: string;

  @Field({ description: 'Canonical text of the architecture.' })
  arch: string;
}
