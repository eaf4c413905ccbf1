import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, type GraphQLSchema } from 'graphql';
import { listSpaces } from '../../core';
import type { Catalog } from '../../store/catalog/catalog';

/**
 * Most other architectures of one isomorphism class, per space: the most `isomorphs` can return. nb201: the largest
 * of its 5,390 classes has 460 cells (a test enumerates the space); nb101: the id is the isomorphism class, so a
 * stored cell has no other stored isomorph; darts: a class holds at most the 24 × 24 node renumberings of its two
 * cells (`dartsIsoClass`).
 */
export const ISOMORPH_BOUNDS: Readonly<Record<string, number>> = { nb201: 459, nb101: 0, darts: 575 };

/** The longest lists introspection can return for this schema. */
export interface IntrospectionSizes {
  types: number;
  directives: number;
  /** Fields (or input fields, enum values) of the largest type. */
  fields: number;
  /** Arguments of the field or directive with the most. */
  args: number;
  /** Interfaces or possible types of the type with the most. */
  interfaces: number;
  /** Locations of the directive with the most. */
  locations: number;
}

/** The sizes the cost estimate multiplies selections by, as the store and the schema stand. */
export interface ListSizes {
  /** Stored datasets. */
  datasets: number;
  /** Stored protocols. */
  protocols: number;
  /** Most epochs of any stored protocol: the longest curve. */
  maxEpochs: number;
  /** Registered search spaces. */
  spaces: number;
  /** Most encodings of a space. */
  encodings: number;
  /** Most isomorphs of an architecture of `space` (of any space when undefined or unknown). */
  isomorphs(space: string | undefined): number;
  introspection: IntrospectionSizes;
}

const maxIsomorphs = Math.max(...Object.values(ISOMORPH_BOUNDS));

/** The list sizes of a catalog (datasets, protocols, epochs) and a schema (introspection). */
export function listSizes(catalog: Catalog, introspection: IntrospectionSizes): ListSizes {
  const spaces = listSpaces();
  return {
    datasets: catalog.datasets.length,
    protocols: catalog.protocols.length,
    maxEpochs: Math.max(1, ...catalog.protocols.map((p) => p.epochs)),
    spaces: spaces.length,
    encodings: Math.max(0, ...spaces.map((s) => s.encodings.length)),
    isomorphs: (space) =>
      space !== undefined && ISOMORPH_BOUNDS[space] !== undefined ? ISOMORPH_BOUNDS[space] : maxIsomorphs,
    introspection,
  };
}

/** The longest introspection lists of a schema. */
export function introspectionSizes(schema: GraphQLSchema): IntrospectionSizes {
  const types = Object.values(schema.getTypeMap());
  const directives = schema.getDirectives();
  let fields = 0;
  let args = Math.max(0, ...directives.map((d) => d.args.length));
  let interfaces = 0;
  for (const type of types) {
    if (isObjectType(type) || isInterfaceType(type)) {
      const own = Object.values(type.getFields());
      fields = Math.max(fields, own.length);
      args = Math.max(args, ...own.map((f) => f.args.length));
      interfaces = Math.max(interfaces, type.getInterfaces().length);
    } else if (isInputObjectType(type)) {
      fields = Math.max(fields, Object.keys(type.getFields()).length);
    } else if (isEnumType(type)) {
      fields = Math.max(fields, type.getValues().length);
    } else if (isUnionType(type)) {
      interfaces = Math.max(interfaces, type.getTypes().length);
    }
  }
  for (const type of types)
    if (isInterfaceType(type)) interfaces = Math.max(interfaces, schema.getPossibleTypes(type).length);
  return {
    types: types.length,
    directives: directives.length,
    fields,
    args,
    interfaces,
    locations: Math.max(0, ...directives.map((d) => d.locations.length)),
  };
}
