import { printSchema } from 'graphql';
import { buildNashubSchema } from './build-schema';

/** The SDL of the API, as committed in schema.graphql. */
export async function printNashubSchema(): Promise<string> {
  return `${printSchema(await buildNashubSchema())}\n`;
}
