import { ErrorCode, NashubError, echoName } from '../../core';
import { ApiKeyRole, type ApiKeyRoleValue } from '../entity/api-key.entity';

const roles = new Set<string>(Object.values(ApiKeyRole));

/** Checks a role name against {@link ApiKeyRole}, or throws INVALID_ARGUMENT listing the valid ones. */
export function parseApiKeyRole(value: string): ApiKeyRoleValue {
  if (!roles.has(value)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `unknown role "${echoName(value)}"; expected one of ${[...roles].join(', ')}`,
      {
        details: { field: 'role', value },
      },
    );
  }
  return value as ApiKeyRoleValue;
}
