import {
  GraphQLError,
  Kind,
  getVariableValues,
  isEnumType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../../core';
import type { Catalog } from '../../store/catalog/catalog';
import type { CatalogCache } from '../loader/catalog-cache';
import type { ApiLimits } from './api-limits';
import { exceedsDepth } from './exceeds-depth';
import { introspectionSizes, listSizes, type ListSizes } from './list-sizes';
import { queryCost } from './query-cost';

/** Options of {@link createQueryCostCheck}. */
export interface QueryCostCheckOptions {
  schema: GraphQLSchema;
  limits: ApiLimits;
  /** Where the datasets and protocols (list sizes, curve lengths) come from. */
  catalog: CatalogCache;
}

/** An operation about to run. */
export interface OperationToCheck {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The variables as sent (not yet coerced). */
  variables: Record<string, unknown> | null | undefined;
}

/** Bad variable values graphql-js's `execute` reports before it gives up (its `maxCoercionErrors` default). */
const EXECUTION_MAX_COERCION_ERRORS = 50;

/** What one document's costs were computed with, and the costs per variable shape. */
interface DocumentCosts {
  sizes: ListSizes;
  byShape: Map<string, number>;
}

/**
 * Builds the check every operation passes before it runs, over HTTP and WebSocket alike: variables nested deeper
 * than maxInputDepth, then a cost ({@link queryCost}) above maxComplexity, are refused with LIMIT_EXCEEDED (HTTP 400)
 * before any resolver runs. Variables that do not coerce are left to execution, which refuses them without running
 * a resolver either (unless graphql-js gave up counting their errors: then they are BAD_USER_INPUT here).
 */
export function createQueryCostCheck(options: QueryCostCheckOptions): (operation: OperationToCheck) => Promise<void> {
  const { schema, limits } = options;
  const introspection = introspectionSizes(schema);
  const sizesOf = new WeakMap<Catalog, ListSizes>();
  // Apollo keeps parsed documents of repeated queries, so costs are memoised per document and per what the cost can
  // read of the variables (list lengths, numbers, booleans, enums): the walk is otherwise a third of a lookup's CPU.
  const memo = new WeakMap<DocumentNode, DocumentCosts>();
  return async ({ document, operation, variables }) => {
    if (variables && exceedsDepth(variables, limits.maxInputDepth)) {
      throw refusal('maxInputDepth', limits.maxInputDepth, `variables nested deeper than ${limits.maxInputDepth}`);
    }
    const catalog = await options.catalog.get();
    let sizes = sizesOf.get(catalog);
    if (!sizes) sizesOf.set(catalog, (sizes = listSizes(catalog, introspection)));
    let costs = memo.get(document);
    if (!costs || costs.sizes !== sizes) memo.set(document, (costs = { sizes, byShape: new Map() }));
    const shape = `${operation.name?.value ?? ''}\u0000${variableShape(schema, operation, variables ?? {})}`;
    let cost = costs.byShape.get(shape);
    if (cost === undefined) {
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, {
        maxErrors: EXECUTION_MAX_COERCION_ERRORS,
      });
      if (coerced.errors) {
        // graphql-js's execution gives up after 50 bad values with an error that names no variable, which Apollo would
        // report as an internal error: refuse such variables as bad input here. Fewer errors are execution's to report.
        if (coerced.errors.some((error) => !error.nodes)) {
          throw new GraphQLError(`${coerced.errors[0]!.message} (and more: too many errors in the variables)`, {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          });
        }
        return;
      }
      cost = queryCost({ schema, operation, fragments: fragmentsOf(document), variables: coerced.coerced, sizes });
      if (costs.byShape.size < 1_000) costs.byShape.set(shape, cost);
    }
    if (cost > limits.maxComplexity) {
      throw refusal('maxComplexity', limits.maxComplexity, `query complexity ${cost} > ${limits.maxComplexity}`, cost);
    }
  };
}

function refusal(limit: string, max: number, what: string, actual?: number): GraphQLError {
  return new GraphQLError(`${limit} limit exceeded: ${what}`, {
    extensions: {
      code: ErrorCode.LIMIT_EXCEEDED,
      limit,
      max,
      ...(actual === undefined ? {} : { actual }),
      http: { status: 400 },
    },
  });
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/**
 * What a cost can read of the variables, by their declared types: list lengths, integers, booleans and enum values.
 * Strings, ids, floats and input objects never change a cost (a `space` passed as a variable counts as any space; the
 * costs in field-costs.ts read counts, `n`, `k`, `first`, and list lengths, never a float), so requests that differ
 * only in them share one memoised cost: every worker's `tellAndAsk`, whose told value and cost differ each time.
 */
function variableShape(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): string {
  let shape = '';
  for (const definition of operation.variableDefinitions ?? []) {
    const type = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
    const value = variables[definition.variable.name.value];
    if (type.kind === Kind.LIST_TYPE) {
      shape += Array.isArray(value) ? value.length : value == null ? '-' : '1';
    } else {
      const name = type.name.value;
      const read = name === 'Int' || name === 'Boolean' || isEnumType(schema.getType(name));
      if (read)
        shape +=
          typeof value === 'string'
            ? value.slice(0, 64)
            : typeof value === 'number' || typeof value === 'boolean'
              ? String(value)
              : '-';
    }
    shape += ',';
  }
  return shape;
}
