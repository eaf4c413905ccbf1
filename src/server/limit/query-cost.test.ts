import {
  Kind,
  getOperationAST,
  getVariableValues,
  parse,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNashubSchema } from '../build-schema';
import { CostUnits } from './field-costs';
import { introspectionSizes, listSizes, type ListSizes } from './list-sizes';
import { queryCost } from './query-cost';

describe('queryCost', () => {
  let schema: GraphQLSchema;
  let sizes: ListSizes;
  beforeAll(async () => {
    schema = await buildNashubSchema();
    const protocol = (name: string, epochs: number) => ({
      id: epochs,
      name,
      epochs,
      hyperparameters: {},
      description: '',
    });
    const catalog = {
      datasets: [],
      protocols: [protocol('hp=12', 12), protocol('hp=200', 200)],
      datasetByName: new Map(),
      protocolByName: new Map(),
      protocolsWithRecords: new Map(),
    };
    sizes = listSizes(catalog, introspectionSizes(schema));
  });

  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = getOperationAST(document)!;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) throw coerced.errors[0];
    const fragments = new Map(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    return queryCost({ schema, operation, fragments, variables: coerced.coerced, sizes });
  };

  it('pays a list selection once per item, with the length its argument gives, literal or variable', () => {
    const archs = Array.from({ length: 1_000 }, () => 'x');
    const perArch = 1 + 2; // the item, record, validAcc
    const expected = 1 + 1_000 * CostUnits.PARSE + 1_000 * perArch;
    expect(
      cost('query($a: [String!]!) { architectures(space: "nb201", archs: $a) { record(dataset: "d") { validAcc } } }', {
        a: archs,
      }),
    ).toBe(expected);
    expect(
      cost(
        `{ architectures(space: "nb201", archs: [${archs.map(() => '"x"').join(',')}]) { record(dataset: "d") { validAcc } } }`,
      ),
    ).toBe(expected);
    expect(cost('{ sample(space: "nb201", n: 50) { id } }')).toBe(1 + 50 * CostUnits.PARSE + 50 * 2);
  });

  it('multiplies a connection edge selection by first, 100 when not given', () => {
    const edges = (first: number) => 1 + 2 * CostUnits.STATEMENT + 1 + first * (1 + 2); // runs, edges, per edge: the item, node, seed
    expect(cost('{ runs(first: 7) { edges { node { seed } } } }')).toBe(edges(7));
    expect(cost('{ runs { edges { node { seed } } } }')).toBe(edges(100));
  });

  it('bounds isomorphs by the space, and by the largest space when the space is a variable', () => {
    const iso = (n: number) => 1 + CostUnits.STATEMENT + 1 + n * (1 + 1);
    expect(cost('{ architecture(space: "nb201", index: 1) { isomorphs { id } } }')).toBe(iso(459));
    expect(cost('{ architecture(space: "nb101", arch: "x") { isomorphs { id } } }')).toBe(iso(0));
    expect(cost('query($s: ID!) { architecture(space: $s, arch: "x") { isomorphs { id } } }', { s: 'nb101' })).toBe(
      iso(575),
    );
  });

  it('grows as isomorph counts multiply: three levels are tens of millions', () => {
    const three = cost('{ architecture(space:"nb201", arch:"x") { isomorphs { isomorphs { isomorphs { id } } } } }');
    expect(three).toBeGreaterThan(459 ** 3);
    expect(cost('{ architecture(space:"nb201", arch:"x") { isomorphs { isomorphs { id } } } }')).toBeLessThan(
      1_000_000,
    );
  });

  it('counts curve arrays by the longest protocol, forecasts by their curve length', () => {
    expect(cost('{ architecture(space: "nb201", index: 1) { curve(dataset: "d") { validAcc trainAcc } } }')).toBe(
      1 + CostUnits.STATEMENT + 1 + 2 * (1 + 200),
    );
    const curve = Array.from({ length: 100 }, () => 50);
    const one = 1 + CostUnits.FORECAST + 100 * CostUnits.CURVE_POINT + 1;
    expect(cost('query($c: [Float!]!) { extrapolate(curve: $c, targetEpoch: 200) { mean } }', { c: curve })).toBe(one);
    expect(
      cost(
        'query($c: [Float!]!) { a: extrapolate(curve: $c, targetEpoch: 200) { mean } b: extrapolate(curve: $c, targetEpoch: 200) { mean } }',
        { c: curve },
      ),
    ).toBe(2 * one);
  });

  it('honours @skip and @include', () => {
    const q = 'query($x: Boolean!) { spaces @include(if: $x) { id } datasets { name } }';
    expect(cost(q, { x: false })).toBe(cost('{ datasets { name } }'));
    expect(cost(q, { x: true })).toBeGreaterThan(cost(q, { x: false }));
  });

  it('costs a fragment spread 2^40 times by a short walk, and ends on a cycle', () => {
    const levels = 40;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on SearchSpace { ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : 'id'} }`,
    ).join(' ');
    const started = performance.now();
    const bomb = cost(`{ spaces { ...F0 } } ${fragments}`);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(bomb).toBeGreaterThan(2 ** 39);
    expect(
      cost('{ spaces { ...A } } fragment A on SearchSpace { id ...B } fragment B on SearchSpace { name ...A }'),
    ).toBeGreaterThan(0);
  });

  it('bounds introspection by the schema', () => {
    const all = cost('{ __schema { types { name fields { name args { name } } } } }');
    const { types, fields, args } = sizes.introspection;
    expect(all).toBe(1 + 1 + types * (1 + 1 + 1 + fields * (1 + 1 + 1 + args * 2)));
  });
});
