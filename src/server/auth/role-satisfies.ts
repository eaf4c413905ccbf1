import { ApiKeyRole, type ApiKeyRoleValue } from '../../store';

/**
 * Whether a key with role `held` may do what needs `required`. Roles are not a ladder: `admin` may do everything,
 * while `publisher` (imports, protocols, releases) and `trainer` (training jobs) each may do only their own work, so a
 * trainer key cannot publish and a publisher key cannot request training.
 */
export function roleSatisfies(held: ApiKeyRoleValue, required: ApiKeyRoleValue): boolean {
  return held === ApiKeyRole.ADMIN || held === required;
}
