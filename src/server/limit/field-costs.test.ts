import { getNullableType, isListType, isObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, listSpaces, nb101Space, nb201Space } from '../../core';
import { buildNashubSchema } from '../build-schema';
import { FIELD_COSTS } from './field-costs';
import { ISOMORPH_BOUNDS } from './list-sizes';

describe('FIELD_COSTS', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildNashubSchema();
  });

  it('gives every list field of the schema, introspection included, a size', () => {
    const lists: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields()))
        if (isListType(getNullableType(field.type))) lists.push(`${type.name}.${field.name}`);
    }
    expect(lists.length).toBeGreaterThan(20);
    expect(lists.filter((name) => FIELD_COSTS[name]?.items === undefined)).toEqual([]);
  });

  it('names only fields that exist', () => {
    const exists = (name: string) => {
      const [type, field] = name.split('.');
      const found = schema.getType(type);
      return isObjectType(found) && found.getFields()[field] !== undefined;
    };
    expect(Object.keys(FIELD_COSTS).filter((name) => !exists(name))).toEqual([]);
  });
});

describe('ISOMORPH_BOUNDS', () => {
  it('has a bound for every registered space', () => {
    expect(listSpaces().filter((space) => ISOMORPH_BOUNDS[space.name] === undefined)).toEqual([]);
  });

  it('is the largest nb201 isomorphism class less the architecture itself', () => {
    const sizes = new Map<string, number>();
    for (const arch of nb201Space.enumerate()) {
      const key = nb201Space.isoClass(arch);
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    expect(ISOMORPH_BOUNDS.nb201).toBe(Math.max(...sizes.values()) - 1);
  });

  it('is 0 for nb101, whose isomorphism class is its id', () => {
    const rng = createRng(3);
    for (let i = 0; i < 50; i++) {
      const arch = nb101Space.sample(rng);
      expect(nb101Space.isoClass(arch)).toBe(nb101Space.id(arch));
    }
    expect(ISOMORPH_BOUNDS.nb101).toBe(0);
  });
});
