import { describe, expect, it } from 'vitest';
import { buildNashubSchema } from './build-schema';
import { fieldResolversOf, installDirectResolvers } from './direct-resolvers';

describe('installDirectResolvers', () => {
  it('finds the field resolvers type-graphql knows, and Record, read as plain properties, has none', async () => {
    const schema = await buildNashubSchema();
    expect(fieldResolversOf('Architecture')).toContain('record');
    expect(fieldResolversOf('Record')).toEqual([]);
    expect(() => installDirectResolvers(schema)).not.toThrow();
  });
});
