import {
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { invariant } from '../core';
import { architectureRecord, type ArchitectureRecordArgs } from './architecture/architecture-record';
import type { ArchitectureNode } from './architecture/architecture-node';
import type { RequestContext } from './context.type';

/**
 * Fields resolved once per item of a list, resolved by graphql-js straight from its coerced arguments. type-graphql
 * would, on every call, sort the parameter metadata, copy each argument into an instance of its input class, wrap the
 * root and run its middleware chain: a good part of a 1,000-architecture batch's CPU. The type-graphql classes still
 * declare these fields (names, types, descriptions), so the schema is the same.
 */
const DIRECT_RESOLVERS: Record<string, Record<string, GraphQLFieldResolver<never, RequestContext, never>>> = {
  Architecture: {
    record: (node: ArchitectureNode, args: ArchitectureRecordArgs, ctx: RequestContext, info: GraphQLResolveInfo) =>
      architectureRecord(node, args, ctx, info),
  },
};

/**
 * Object types whose every field is a plain property of the objects their resolvers return: graphql-js reads them
 * itself, where type-graphql's wrapper would make an object and a closure for every value of every item. A field
 * resolver added to one of these types would be lost here, so installing refuses a type that has one: give the field
 * its own type, or take the type off this list.
 */
const PROPERTY_TYPES = ['Record'] as const;

/** The field resolvers type-graphql knows for an object type (`@FieldResolver`s and `@Field` methods), by name. */
export function fieldResolversOf(typeName: string): string[] {
  const storage = getMetadataStorage();
  const type = storage.objectTypes.find((t) => t.name === typeName)?.target;
  if (!type) return [];
  return storage.fieldResolvers
    .filter((r) => r.target === type || r.getObjectType?.() === type)
    .map((r) => r.schemaName);
}

/**
 * Puts {@link DIRECT_RESOLVERS} in place of type-graphql's resolvers of the same fields, and graphql-js's property
 * reads in place of those of {@link PROPERTY_TYPES}; before meterResolvers, which wraps what it finds.
 */
export function installDirectResolvers(schema: GraphQLSchema): void {
  for (const typeName of PROPERTY_TYPES) {
    const resolved = fieldResolversOf(typeName);
    invariant(
      resolved.length === 0,
      `direct resolvers: ${typeName} is read as plain properties, but ${resolved.join(', ')} has a field resolver`,
    );
    for (const field of Object.values(objectType(schema, typeName).getFields())) field.resolve = undefined;
  }
  for (const [typeName, fields] of Object.entries(DIRECT_RESOLVERS)) {
    const type = objectType(schema, typeName);
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = type.getFields()[fieldName];
      invariant(field, `direct resolvers: ${typeName}.${fieldName} is not in the schema`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
}

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  invariant(isObjectType(type), `direct resolvers: ${name} is not an object type of the schema`);
  return type;
}
