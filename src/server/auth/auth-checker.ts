import type { AuthCheckerFn } from 'type-graphql';
import { ErrorCode, NashubError } from '../../core';
import type { ApiKeyRoleValue } from '../../store';
import type { RequestContext } from '../context.type';
import { roleSatisfies } from './role-satisfies';

/**
 * type-graphql's check behind `@Authorized(role, ...)`: passes when the request's key satisfies any listed role.
 * It throws typed errors itself (rather than returning false) so the codes are ours: no key is UNAUTHENTICATED, a key
 * of another role is FORBIDDEN. An `@Authorized()` without roles asks only for some valid key.
 */
export const authChecker: AuthCheckerFn<RequestContext, ApiKeyRoleValue> = ({ context, info }, roles) => {
  const field = `${info.parentType.name}.${info.fieldName}`;
  if (context.auth === null) {
    throw new NashubError(
      ErrorCode.UNAUTHENTICATED,
      `${field} needs an API key${roles.length > 0 ? ` with role ${roles.join(' or ')}` : ''}; send Authorization: Bearer KEY`,
      {
        details: { field, requiredRoles: roles },
      },
    );
  }
  if (roles.length > 0 && !roles.some((role) => roleSatisfies(context.auth!.role, role))) {
    throw new NashubError(
      ErrorCode.FORBIDDEN,
      `${field} needs role ${roles.join(' or ')}; key "${context.auth.keyName}" has role ${context.auth.role}`,
      {
        details: { field, requiredRoles: roles, role: context.auth.role },
      },
    );
  }
  return true;
};
