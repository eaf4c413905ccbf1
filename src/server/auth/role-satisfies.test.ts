import { describe, expect, it } from 'vitest';
import { ApiKeyRole, type ApiKeyRoleValue } from '../../store';
import { roleSatisfies } from './role-satisfies';

describe('roleSatisfies', () => {
  it('lets admin do everything and publisher and trainer only their own work', () => {
    const roles = Object.values(ApiKeyRole);
    const allowed = (held: ApiKeyRoleValue) => roles.filter((required) => roleSatisfies(held, required));
    expect(allowed('admin')).toEqual(roles);
    expect(allowed('publisher')).toEqual(['publisher']);
    expect(allowed('trainer')).toEqual(['trainer']);
  });
});
