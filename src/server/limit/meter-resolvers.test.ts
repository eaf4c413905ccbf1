import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { meterResolvers } from './meter-resolvers';
import { RequestBudget } from './request-budget';

function testSchema(items: number) {
  const item = new GraphQLObjectType({
    name: 'Item',
    fields: { n: { type: GraphQLInt }, text: { type: GraphQLString } },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        items: {
          type: new GraphQLList(item),
          resolve: async () => Array.from({ length: items }, (_, n) => ({ n, text: 'x'.repeat(100) })),
        },
        heavy: { type: GraphQLInt, args: { size: { type: GraphQLInt } }, resolve: () => 1 },
      },
    }),
  });
  // The estimate believes a list of one, and `heavy` costs its size: execution must count what really comes back.
  meterResolvers(schema, { 'Query.items': { items: () => 1 }, 'Query.heavy': { units: (args) => Number(args.size) } });
  return schema;
}

describe('meterResolvers', () => {
  it('counts the items a list really returns and stops the request past maxComplexity', async () => {
    const schema = testSchema(1_000);
    const small = new RequestBudget({ maxComplexity: 10_000, maxResponseBytes: 1e9 });
    const ok = await execute({ schema, document: parse('{ items { n } }'), contextValue: { budget: small } });
    expect(ok.errors).toBeUndefined();
    expect(small.used).toBe(1 + 1_000 + 1_000);
    const tight = new RequestBudget({ maxComplexity: 1_500, maxResponseBytes: 1e9 });
    const refused = await execute({ schema, document: parse('{ items { n } }'), contextValue: { budget: tight } });
    expect(tight.failure).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxComplexity' } });
    expect(refused.errors?.[0].originalError).toBe(tight.failure);
  });

  it('charges a field its own units from its arguments', async () => {
    const budget = new RequestBudget({ maxComplexity: 100, maxResponseBytes: 1e9 });
    await execute({
      schema: testSchema(0),
      document: parse('{ a: heavy(size: 40) b: heavy(size: 40) }'),
      contextValue: { budget },
    });
    expect(budget.used).toBe(82);
    await execute({ schema: testSchema(0), document: parse('{ heavy(size: 40) }'), contextValue: { budget } });
    expect(budget.failure).toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });

  it('stops building a response past maxResponseBytes', async () => {
    const budget = new RequestBudget({ maxComplexity: 1e9, maxResponseBytes: 50_000 });
    await execute({ schema: testSchema(1_000), document: parse('{ items { text } }'), contextValue: { budget } });
    expect(budget.failure).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 'maxResponseBytes', max: 50_000 },
    });
    expect(budget.bytes).toBeLessThan(51_000);
  });
});
