import { Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { PublicationStatus, type PublicationStatusValue } from '../../store/release';
import { ReleaseType } from './release.type';

// The stored statuses are the one vocabulary: GraphQL registers them as they are.
registerEnumType(PublicationStatus, {
  name: 'PublicationStatus',
  description: 'QUEUED; RUNNING (see progress); PUBLISHED (see release); FAILED (see errorCode and error).',
});

@InputType('ReleaseFilterInput', { description: 'Which complete runs a release holds; a field left out selects all.' })
export class ReleaseFilterInput {
  @Field(() => String, { nullable: true, description: 'Only this search space.' })
  space?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this dataset.' })
  dataset?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this protocol.' })
  protocol?: string | null;
}

@ObjectType('ReleasePublication', {
  description: 'A queued publishRelease: its status, progress and, once done, the release.',
})
export class ReleasePublicationType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  version: string;

  @Field(() => PublicationStatus)
  status: PublicationStatusValue;

  @Field(() => Float, { description: 'Fraction done, 0..1.' })
  progress: number;

  @Field(() => String, { nullable: true, description: 'The error code of a FAILED publication.' })
  errorCode: string | null;

  @Field(() => String, { nullable: true, description: 'What went wrong, for a FAILED publication.' })
  error: string | null;

  @Field(() => ReleaseType, { nullable: true, description: 'The release, once PUBLISHED.' })
  release: ReleaseType | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}
