import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('ReleaseFile', { description: 'One data file of a release.' })
export class ReleaseFileType {
  @Field({ description: 'File name in the release folder, e.g. records.parquet.' })
  name: string;

  @Field({ description: "Hex sha256 of the file's bytes (its ETag when served)." })
  sha256: string;

  @Field(() => Int, { description: 'Size in bytes.' })
  bytes: number;

  @Field(() => Int, { description: 'Data rows (a CSV header is not a row).' })
  rows: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Path of the file on this server (/releases/NAME/VERSION/FILE); null when this server does not serve it.',
  })
  url: string | null;
}

@ObjectType('Release', { description: 'An immutable, versioned, checksummed export of part of the store.' })
export class ReleaseType {
  @Field()
  name: string;

  @Field()
  version: string;

  @Field({ description: 'sha256 over the data files: the same runs and curves give the same value.' })
  contentSha256: string;

  @Field(() => GraphQLJSONObject, { description: 'manifest.json as stored.' })
  manifest: Record<string, unknown>;

  @Field(() => [ReleaseFileType], { description: 'The data files, in file-name order.' })
  files: ReleaseFileType[];

  @Field(() => String, {
    nullable: true,
    description: 'Path of the release on this server (/releases/NAME/VERSION/, for `nashub import --release URL`).',
  })
  url: string | null;

  @Field({ description: 'When this store recorded it.' })
  createdAt: Date;
}
