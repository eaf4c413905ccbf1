import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { FIELD_COSTS, type FieldCost } from './field-costs';
import type { RequestBudget } from './request-budget';

/** What the metered resolvers read from the context of every request (HTTP and WebSocket). */
export interface MeteredContext {
  budget: RequestBudget;
}

const metered = new WeakSet<GraphQLSchema>();

/**
 * Wraps every field resolver of the schema's object types (in place, once per schema) so that each request's
 * {@link RequestBudget} sees its real work as it happens: every field costs a unit plus its own work
 * (`FIELD_COSTS[].units`), every list its items as they come back, every leaf its bytes; and every resolver runs only
 * when the request's slice of the event loop allows. A request that passes a limit gets no further field resolved.
 * Introspection's own types are graphql-js singletons shared by every schema and are not wrapped: their lists are
 * bounded by the schema, which the estimate before execution counts exactly.
 */
export function meterResolvers(schema: GraphQLSchema, costs: Readonly<Record<string, FieldCost>> = FIELD_COSTS): void {
  if (metered.has(schema)) return;
  metered.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      const units = costs[`${type.name}.${field.name}`]?.units;
      const list = isListType(getNullableType(field.type));
      const leaf = isLeafType(getNamedType(field.type));
      field.resolve = (source, args, context: MeteredContext, info) => {
        const { budget } = context;
        const spent = units ? 1 + units(args) : 1;
        budget.charge(spent);
        // Leaves are cheap and many: they run at once (a promise each would cost more than the field). Objects and
        // lists wait for their turn, and their leaves go with them; while the slice lasts they too run at once.
        if ((leaf && !units) || !budget.mustWait) {
          budget.pace(spent);
          return finish(budget, resolve(source, args, context, info), info, list, leaf);
        }
        return budget.run(spent, () => finish(budget, resolve(source, args, context, info), info, list, leaf));
      };
    }
  }
}

function finish(
  budget: RequestBudget,
  result: unknown,
  info: GraphQLResolveInfo,
  list: boolean,
  leaf: boolean,
): unknown {
  if (isPromiseLike(result)) return list ? result.then((value) => settle(budget, value, info, list, leaf)) : result;
  return settle(budget, result, info, list, leaf);
}

/** Charges what a resolved value adds: its items (lists) and a lower bound of its JSON bytes (key, leaf values). */
function settle(
  budget: RequestBudget,
  value: unknown,
  info: GraphQLResolveInfo,
  list: boolean,
  leaf: boolean,
): unknown {
  let bytes = (info.fieldNodes[0]?.alias?.value ?? info.fieldName).length + 3;
  if (list && Array.isArray(value)) {
    budget.charge(value.length);
    budget.pace(value.length);
    bytes += value.length;
    if (leaf) for (const item of value) bytes += leafBytes(item);
  } else if (leaf) {
    bytes += leafBytes(value);
  }
  budget.chargeBytes(bytes);
  // The items' fields run right after their list: when the slice is spent, the list waits for the next turn once,
  // instead of each item's fields queueing (a closure and a promise each) for the same turn.
  if (list && !leaf && budget.mustWait) return budget.run(0, () => value);
  return value;
}

/** Fewest bytes a leaf value takes in JSON: strings their length, numbers a digit (a float three), objects their JSON. */
function leafBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return Number.isInteger(value) ? 1 : 3;
    case 'object':
      return value === null ? 4 : (JSON.stringify(value)?.length ?? 4);
    default:
      return 4;
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
