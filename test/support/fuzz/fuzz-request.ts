import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Rng } from '../../../src/core';
import { chance, deepJsonText, fuzzFloat, fuzzInt, fuzzJson, fuzzString, pick, type KnownValues } from './fuzz-values';

/** One HTTP request of the fuzzer. */
export interface FuzzRequest {
  /** What kind of document it is, for the report. */
  kind: string;
  method: 'GET' | 'POST';
  /** The POST body as sent (a JSON text, sometimes not valid JSON), or the GET query text. */
  body: string;
  /** Role of the API key sent, if any ('bad' sends a key nobody issued). */
  role?: 'publisher' | 'trainer' | 'admin' | 'bad';
}

/** Options of {@link createFuzzer}. */
export interface FuzzerOptions {
  schema: GraphQLSchema;
  rng: Rng;
  known: KnownValues;
  /** Argument values the fuzzer must not send (another branch fixes what they break): (field, argument, value). */
  exclude?: (field: string, argument: string, value: unknown) => boolean;
}

/** State of one document being written. */
interface Draft {
  variables: Record<string, unknown>;
  declarations: string[];
  fragments: string[];
  fields: number;
}

/**
 * Writes random GraphQL requests from the schema: random fields and arguments (known names and hostile strings,
 * edge numbers, lists of many lengths, nested JSON), aliases, named and inline fragments (sometimes cyclic),
 * directives, variables, nesting past the depth limit; and hostile shapes: alias floods, fragment bombs, deep
 * variables, huge strings, long curves, garbage bodies.
 */
export function createFuzzer(options: FuzzerOptions): () => FuzzRequest {
  const { schema, rng, known } = options;
  const exclude = options.exclude ?? (() => false);

  const stringFor = (argument: string, inLongList: boolean): string => {
    const names: Record<string, readonly string[]> = {
      space: known.spaces,
      dataset: known.datasets,
      protocol: known.protocols,
      arch: known.archs,
      archs: known.archs,
    };
    const pool = names[argument] ?? [...known.datasets, ...known.protocols, '1', '2'];
    // Items of long lists stay short: a request body is at most a few megabytes anyway.
    if (inLongList) return chance(rng, 0.9) ? pick(rng, pool) : `${pick(rng, pool)}\u0000`;
    return fuzzString(rng, pool);
  };

  // A value of an input type: [GraphQL literal text, JSON value].
  const value = (type: GraphQLInputType, argument: string, depth: number, inLongList = false): [string, unknown] => {
    if (isNonNullType(type)) return value(type.ofType, argument, depth, inLongList);
    if (chance(rng, 0.03)) return ['null', null];
    if (isListType(type)) {
      const length = chance(rng, 0.02) ? pick(rng, [1_000, 5_000, 100_001]) : pick(rng, [0, 1, 2, 3, 10, 100]);
      const items = Array.from({ length }, () =>
        value(type.ofType as GraphQLInputType, argument, depth + 1, inLongList || length > 10),
      );
      return [`[${items.map((i) => i[0]).join(',')}]`, items.map((i) => i[1])];
    }
    if (isInputObjectType(type)) {
      const entries = Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) || chance(rng, 0.4))
        .map((f) => [f.name, value(f.type, f.name, depth + 1, inLongList)] as const);
      return [
        `{${entries.map(([k, v]) => `${k}: ${v[0]}`).join(', ')}}`,
        Object.fromEntries(entries.map(([k, v]) => [k, v[1]])),
      ];
    }
    if (isEnumType(type)) {
      const name = chance(rng, 0.95) ? pick(rng, type.getValues()).name : 'NOT_A_VALUE';
      return [name, name];
    }
    if (isScalarType(type)) {
      switch (type.name) {
        case 'Int': {
          const n = fuzzInt(rng, argument);
          return [String(n), n];
        }
        case 'Float': {
          const x = fuzzFloat(rng);
          return [String(x), x];
        }
        case 'Boolean': {
          const b = chance(rng, 0.5);
          return [String(b), b];
        }
        case 'JSONObject': {
          const json = { k: fuzzJson(rng, chance(rng, 0.1) ? 40 : 4) };
          return [jsonLiteral(json), json];
        }
        default: {
          const text = stringFor(argument, inLongList);
          return [JSON.stringify(text), text];
        }
      }
    }
    return ['null', null];
  };

  const argumentText = (draft: Draft, field: string, arg: GraphQLArgument): string | null => {
    if (!isNonNullType(arg.type) && !chance(rng, 0.5)) return null;
    const [literal, json] = value(arg.type, arg.name, 0);
    if (exclude(field, arg.name, json)) return null;
    if (chance(rng, 0.5)) {
      const name = `v${Object.keys(draft.variables).length}`;
      draft.variables[name] = json;
      draft.declarations.push(`$${name}: ${String(arg.type)}`);
      return `${arg.name}: $${name}`;
    }
    return `${arg.name}: ${literal}`;
  };

  const selection = (draft: Draft, type: GraphQLObjectType, depth: number): string => {
    const fields = Object.values(type.getFields());
    const count = chance(rng, 0.02) ? 20 + rng.int(300) : 1 + rng.int(3);
    const parts: string[] = [];
    for (let i = 0; i < count && draft.fields < 4_000; i++) {
      draft.fields += 1;
      if (chance(rng, 0.05)) {
        parts.push('__typename');
        continue;
      }
      const deepEnough = depth >= 14;
      const candidates = deepEnough ? fields.filter((f) => isLeafType(getNamedType(f.type))) : fields;
      const field = pick(rng, candidates.length > 0 ? candidates : fields);
      const args = field.args
        .map((a) => argumentText(draft, `${type.name}.${field.name}`, a))
        .filter((a): a is string => a !== null);
      const alias = chance(rng, 0.3) ? `a${rng.int(1_000)}: ` : '';
      const directive = chance(rng, 0.05) ? ` @${pick(rng, ['include', 'skip'])}(if: ${chance(rng, 0.5)})` : '';
      let text = `${alias}${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}${directive}`;
      const named = getNamedType(field.type);
      if (isCompositeType(named) && isObjectType(named)) {
        const inner = selection(draft, named, depth + 1);
        if (chance(rng, 0.15)) {
          const name = `F${draft.fragments.length}`;
          const cyclic = chance(rng, 0.1) ? ` ...${name}` : '';
          draft.fragments.push(`fragment ${name} on ${named.name} { ${inner}${cyclic} }`);
          text += ` { ...${name}${chance(rng, 0.3) ? ` ...${name}` : ''} }`;
        } else if (chance(rng, 0.1)) {
          text += ` { ... on ${named.name} { ${inner} } }`;
        } else {
          text += ` { ${inner} }`;
        }
      }
      parts.push(text);
    }
    return parts.join(' ');
  };

  const document = (): FuzzRequest => {
    const mutation = chance(rng, 0.15);
    const root = (mutation ? schema.getMutationType() : schema.getQueryType())!;
    const draft: Draft = { variables: {}, declarations: [], fragments: [], fields: 0 };
    const body = selection(draft, root, 0);
    const header = draft.declarations.length > 0 ? `(${draft.declarations.join(', ')})` : '';
    const query = `${mutation ? 'mutation' : 'query'} Fuzz${header} { ${body} } ${draft.fragments.join(' ')}`;
    const role = mutation
      ? pick(rng, ['publisher', 'trainer', 'admin', 'admin', 'bad', undefined] as const)
      : chance(rng, 0.05)
        ? 'bad'
        : undefined;
    if (!mutation && chance(rng, 0.05) && query.length < 4_000 && Object.keys(draft.variables).length === 0) {
      return { kind: 'get', method: 'GET', body: query };
    }
    return {
      kind: mutation ? 'mutation' : 'query',
      method: 'POST',
      body: JSON.stringify({ query, variables: draft.variables }),
      role,
    };
  };

  const arch = () => pick(rng, known.archs);
  const hostile: Array<() => FuzzRequest> = [
    () => {
      const n = pick(rng, [100, 1_000, 3_000, 10_000]);
      const field = pick(rng, [
        'spaces { id }',
        'datasets { name }',
        `architecture(space: "nb201", arch: "${arch()}") { isomorphs { id } }`,
        '__typename',
      ]);
      return post('alias-flood', `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`);
    },
    () => {
      const levels = 10 + rng.int(40);
      const fragments = Array.from(
        { length: levels },
        (_, i) =>
          `fragment F${i} on Architecture { ${i + 1 < levels ? `...F${i + 1} isomorphs { ...F${i + 1} }` : 'id'} }`,
      );
      return post(
        'fragment-bomb',
        `{ architecture(space: "nb201", arch: "${arch()}") { ...F0 } } ${fragments.join(' ')}`,
      );
    },
    () => {
      const levels = 1 + rng.int(20);
      return post(
        'nested-isomorphs',
        `{ architecture(space: "nb201", arch: "${arch()}") { ${'isomorphs { '.repeat(levels)}id${' }'.repeat(levels)} } }`,
      );
    },
    () => {
      const query = pick(rng, [
        'query($f: RunFilter) { runs(filter: $f, first: 1) { totalCount } }',
        'mutation($h: JSONObject) { createProtocol(name: "deep", epochs: 1, hyperparameters: $h) { name } }',
      ]);
      const depth = pick(rng, [33, 100, 1_000, 5_000, 20_000]);
      return {
        kind: 'deep-variable',
        method: 'POST',
        body: `{"query":${JSON.stringify(query)},"variables":{"f":${deepJsonText(depth)},"h":${deepJsonText(depth)}}}`,
        role: 'publisher',
      };
    },
    () => {
      const depth = pick(rng, [40, 3_000]);
      return post(
        'deep-literal',
        `mutation { createProtocol(name: "p", epochs: 1, hyperparameters: ${'{ a: '.repeat(depth)}1${' }'.repeat(depth)}) { name } }`,
      );
    },
    () => {
      const curve = Array.from(
        { length: pick(rng, [3, 100, 1_000, 100_000, 100_001]) },
        (_, i) => 90 - 80 * Math.exp(-i / 50),
      );
      const aliases = pick(rng, [1, 10, 100]);
      const query = `query($c: [Float!]!) { ${Array.from({ length: aliases }, (_, i) => `e${i}: extrapolate(curve: $c, targetEpoch: ${curve.length + 10}) { mean q05 q95 }`).join(' ')} }`;
      return { kind: 'extrapolate', method: 'POST', body: JSON.stringify({ query, variables: { c: curve } }) };
    },
    () => {
      const huge = 'z'.repeat(pick(rng, [100_000, 1_000_000, 3_000_000]));
      const field = pick(rng, [
        `architecture(space: "nb201", arch: $s) { id }`,
        `top(space: "nb201", dataset: $s, metric: VALID_ACC, k: 1) { rank }`,
        `runs(filter: { dataset: $s }) { totalCount }`,
      ]);
      return {
        kind: 'huge-string',
        method: 'POST',
        body: JSON.stringify({ query: `query($s: String!) { ${field} }`, variables: { s: huge } }),
      };
    },
    () => {
      const texts = [
        '{',
        '}}}',
        'query {',
        '{ spaces { id }',
        '"\u0000"',
        ' '.repeat(2_000_000),
        '{ spaces(x: "\\u{1F600}") { id } }',
        'subscription { jobProgress(id: "1") { kind } }',
        '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }',
      ];
      const bodies = [
        JSON.stringify({ query: pick(rng, texts) }),
        '{"query": 12}',
        '{"query": "{ spaces { id } }", "variables": [1]}',
        'not json',
        '[]',
        '{"query":"{ spaces { id } }","operationName":"nope"}',
        JSON.stringify({ query: 'query A { spaces { id } } query B { datasets { name } }' }),
      ];
      return { kind: 'garbage', method: 'POST', body: pick(rng, bodies) };
    },
  ];

  return () => (chance(rng, 0.2) ? pick(rng, hostile)() : document());
}

function post(kind: string, query: string): FuzzRequest {
  return { kind, method: 'POST', body: JSON.stringify({ query }) };
}

/** A JSON value as a GraphQL literal (object keys unquoted). */
function jsonLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${jsonLiteral(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value);
}
