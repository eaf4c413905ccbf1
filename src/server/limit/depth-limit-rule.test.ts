import { parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNashubSchema } from '../build-schema';
import { depthLimitRule } from './depth-limit-rule';
import { inputDepthRule } from './input-depth-rule';

describe('depthLimitRule and inputDepthRule', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildNashubSchema();
  });
  const errors = (query: string, maxDepth = 12) =>
    validate(schema, parse(query), [
      ...specifiedRules,
      depthLimitRule({ maxDepth }),
      inputDepthRule({ maxInputDepth: 4 }),
    ]).map((e) => ({
      code: e.extensions.code,
      limit: e.extensions.limit,
    }));
  const nested = (levels: number) =>
    `{ architecture(space: "nb201", index: 0) ${'{ isomorphs '.repeat(levels)}{ id }${' }'.repeat(levels)} }`;

  it('accepts fields nested maxDepth deep and refuses one more, through fragments too', () => {
    expect(errors(nested(11))).toEqual([]);
    expect(errors(nested(12))).toEqual([{ code: 'LIMIT_EXCEEDED', limit: 'maxDepth' }]);
    const viaFragments = `{ architecture(space: "nb201", index: 0) { ...A } } fragment A on Architecture { isomorphs { ...B } } fragment B on Architecture { isomorphs { id } }`;
    expect(errors(viaFragments, 3)).toEqual([]);
    expect(errors(viaFragments, 2)).toEqual([{ code: 'LIMIT_EXCEEDED', limit: 'maxDepth' }]);
  });

  it('reports a fragment cycle as a validation error instead of overflowing the stack', () => {
    const cyclic = '{ spaces { ...A } } fragment A on SearchSpace { id ...B } fragment B on SearchSpace { name ...A }';
    // One error, NoFragmentCyclesRule's (Apollo codes it GRAPHQL_VALIDATION_FAILED); the depth rule adds none.
    expect(errors(cyclic)).toEqual([{ code: undefined, limit: undefined }]);
    const deepCycle =
      '{ architecture(space: "nb201", index: 0) { ...A } } fragment A on Architecture { isomorphs { ...A } }';
    expect(errors(deepCycle).length).toBeGreaterThan(0);
  });

  it('leaves an unknown fragment to KnownFragmentNamesRule and walks a doubling fragment chain once', () => {
    expect(errors('{ spaces { ...Nope } }')).toEqual([{ code: undefined, limit: undefined }]);
    const levels = 60;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on SearchSpace { ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : 'id'} }`,
    ).join(' ');
    const started = performance.now();
    validate(schema, parse(`{ spaces { ...F0 } } ${fragments}`), [depthLimitRule({ maxDepth: 12 })]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses literals nested deeper than maxInputDepth', () => {
    expect(errors('{ architectures(space: "nb201", archs: ["x"]) { id } }')).toEqual([]);
    const deep = `mutation { createProtocol(name: "p", epochs: 1, hyperparameters: ${'{ a: '.repeat(5)}1${' }'.repeat(5)}) { name } }`;
    expect(errors(deep)).toEqual([{ code: 'LIMIT_EXCEEDED', limit: 'maxInputDepth' }]);
  });
});
