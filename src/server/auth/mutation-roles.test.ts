import { describe, expect, it } from 'vitest';
import { getMetadataStorage } from 'type-graphql';
import { ApiKeyRole } from '../../store';
import { buildNashubSchema } from '../build-schema';

describe('mutations', () => {
  it('each declares the roles it needs with @Authorized(role), and only known roles', async () => {
    const schema = await buildNashubSchema();
    const storage = getMetadataStorage();
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(mutations.length).toBeGreaterThan(0);
    for (const name of mutations) {
      const mutation = storage.mutations.find((m) => m.schemaName === name);
      const authorized = storage.authorizedFields.find(
        (a) => a.target === mutation?.target && a.fieldName === mutation?.methodName,
      );
      expect(authorized?.roles, `Mutation.${name}`).toEqual(expect.arrayContaining([expect.any(String)]));
      for (const role of authorized!.roles) expect(Object.values(ApiKeyRole)).toContain(role);
    }
  });
});
