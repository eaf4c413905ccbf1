import type { ApiKeyRoleValue } from '../../store';

/** Who a request acts as: the active API key it carried. */
export interface RequestAuth {
  /** The key's name, for logs and error details. */
  keyName: string;
  role: ApiKeyRoleValue;
}
